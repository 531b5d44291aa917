"""The annual exam status (未参加 / 进行中 / 未通过 / 已通过): one rule, and nobody is
shown as failed before the exam window closes without a failed attempt."""
import datetime

import pytest
from django.utils import timezone, translation

from exams.models import Exam, Sitting
from officers import exam_results, qualifications as q
from officers import roles
from officers.events import exam_result_released
from officers.models import RequiredExam
from tests.factories import make_user

from .conftest import TODAY, add_hours, pass_exam

pytestmark = pytest.mark.django_db

IN_PROGRESS, FINISHED = exam_results.SITTING_IN_PROGRESS, exam_results.SITTING_FINISHED
YEAR_END = datetime.date(2026, 12, 31)


@pytest.mark.parametrize("passed, sittings, closes_on, today, expected", [
    (False, [], YEAR_END, TODAY, q.A_NOT_TAKEN),                      # not sat, window open: pending
    (False, [], YEAR_END, YEAR_END, q.A_NOT_TAKEN),                   # the last day is still open
    (False, [IN_PROGRESS], YEAR_END, TODAY, q.A_IN_PROGRESS),         # sitting open or awaiting marking
    (False, [FINISHED, IN_PROGRESS], YEAR_END, TODAY, q.A_IN_PROGRESS),  # a retake under way
    (False, [FINISHED], YEAR_END, TODAY, q.A_FAILED),                 # a released failed attempt
    (False, [], datetime.date(2026, 4, 30), TODAY, q.A_FAILED),       # window closed without a pass
    (False, [], YEAR_END, datetime.date(2027, 1, 1), q.A_FAILED),     # the year ended without a pass
    (True, [FINISHED], YEAR_END, TODAY, q.A_PASSED),
    (True, [], datetime.date(2026, 4, 30), TODAY, q.A_PASSED),
])
def test_annual_exam_status_rule(passed, sittings, closes_on, today, expected):
    assert q.annual_exam_status(passed=passed, sittings=sittings, closes_on=closes_on, today=today) == expected


def test_window_is_the_exams_close_date_or_the_year_end():
    assert q.annual_exam_closes_on(2026) == YEAR_END
    assert q.annual_exam_closes_on(2026, Exam(title="x", closes_at=None)) == YEAR_END
    shanghai_evening = datetime.datetime(2026, 6, 30, 20, 0, tzinfo=datetime.timezone.utc)  # 07-01 04:00 local
    assert q.annual_exam_closes_on(2026, Exam(title="x", closes_at=shanghai_evening)) == datetime.date(2026, 7, 1)
    late = timezone.make_aware(datetime.datetime(2027, 3, 1))
    assert q.annual_exam_closes_on(2026, Exam(title="x", closes_at=late)) == YEAR_END


@pytest.fixture
def officer(units, base_type):
    o = make_user(roles.OFFICER, unit=units["SZ-JB-01"], full_name="李明").officer
    q.grant(o, base_type, today=datetime.date(2026, 3, 1), reason="测试授予")
    add_hours(o, 60)
    return o


def _sit(officer, exam, *, attempt=1, status="graded", passed=None, released=True):
    at = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(9)))
    return Sitting.objects.create(exam=exam, officer=officer, attempt=attempt, status=status, passed=passed,
                                  started_at=at, ended_at=None if status == "open" else at,
                                  released_at=at if released else None)


def _annual(officer):
    ev = q.evaluate(officer, TODAY)
    [exam] = ev.annual_exams
    return ev, exam


def test_not_sat_and_window_open_is_pending_not_failed(officer):
    ev, exam = _annual(officer)
    assert (exam.status, str(exam.label)) == (q.A_NOT_TAKEN, "未参加")
    assert ev.reasons == ["尚未通过年度考试（未参加，2026-12-31 截止）"]
    assert not any("未通过" in r and not r.startswith("尚未通过") for r in ev.reasons)


@pytest.mark.parametrize("status, passed, released", [("open", None, False), ("marking", None, False),
                                                      ("graded", False, False)])
def test_sitting_in_progress_or_awaiting_marking(officer, status, passed, released):
    _sit(officer, Exam.objects.create(title="年度考试", kind="annual"), status=status, passed=passed,
         released=released)
    ev, exam = _annual(officer)
    assert (exam.status, str(exam.label)) == (q.A_IN_PROGRESS, "进行中")
    assert ev.reasons == ["尚未通过年度考试（进行中）"]


def test_failed_attempt_is_failed(officer):
    _sit(officer, Exam.objects.create(title="年度考试", kind="annual"), passed=False)
    ev, exam = _annual(officer)
    assert (exam.status, str(exam.label)) == (q.A_FAILED, "未通过")
    assert ev.reasons == ["年度考试未通过"]


def test_named_exam_window_closed_without_pass_is_failed(officer, base_type):
    closed = Exam.objects.create(title="2026 年度执法能力考试", kind="annual",
                                 closes_at=timezone.make_aware(datetime.datetime(2026, 4, 20, 18)))
    RequiredExam.objects.create(qualification_type=base_type, exam=closed, annual=True)
    ev, exam = _annual(officer)
    assert (exam.status, exam.closes_on) == (q.A_FAILED, datetime.date(2026, 4, 20))
    assert ev.reasons == ["2026 年度考试《2026 年度执法能力考试》未通过"]


def test_named_exam_window_open_is_pending(officer, base_type):
    open_exam = Exam.objects.create(title="2026 年度执法能力考试", kind="annual",
                                    closes_at=timezone.make_aware(datetime.datetime(2026, 11, 30, 18)))
    RequiredExam.objects.create(qualification_type=base_type, exam=open_exam, annual=True)
    ev, exam = _annual(officer)
    assert exam.status == q.A_NOT_TAKEN
    assert ev.reasons == ["尚未通过 2026 年度考试《2026 年度执法能力考试》（未参加，2026-11-30 截止）"]


def test_passed_is_passed(officer):
    exam_row = Exam.objects.create(title="年度考试", kind="annual")
    _sit(officer, exam_row, passed=True)
    pass_exam(officer, kind="annual", score=80, ref_id=exam_row.pk)
    ev, exam = _annual(officer)
    assert (exam.status, str(exam.label)) == (q.A_PASSED, "已通过")
    assert ev.reasons == []


def test_my_qualification_shows_pending_status(client, officer_user, base_type):
    q.grant(officer_user.officer, base_type, reason="t")
    client.force_login(officer_user)
    body = client.get("/my/qualification/").content.decode()
    assert 'data-annual-exam="not_taken"' in body and "未参加" in body and "年度考试未通过" not in body


def test_hr_failed_list_excludes_not_yet_sat(client, units, base_type, hr_user, officer):
    failed = make_user(roles.OFFICER, unit=units["SZ-JB-01"], full_name="未过者").officer
    q.grant(failed, base_type, reason="测试授予")
    exam = Exam.objects.create(title="年度考试", kind="annual")
    now = timezone.now()
    Sitting.objects.create(exam=exam, officer=failed, attempt=1, status="graded", passed=False, percent=40,
                           started_at=now, ended_at=now, released_at=now)
    q.evaluate(failed)
    q.evaluate(officer)  # 李明: no sitting this year, the window is open
    client.force_login(hr_user)
    rows = list(client.get("/hr/lists/failed_exam/").context["page"].object_list)
    assert [r.officer for r in rows] == [failed]
    assert client.get("/hr/").context["failed"] == 1
    everyone = client.get("/hr/lists/all/").content.decode()
    assert "年度考试未通过" in everyone.split("未过者")[1].split("</tr>")[0]
    assert "年度考试未通过" not in everyone.split("李明")[1].split("</tr>")[0]


def test_status_and_reason_are_translated():
    exam = q.AnnualExam(q.A_NOT_TAKEN, YEAR_END, 2026)
    with translation.override("en"):
        assert (str(exam.label), exam.reason) == ("Not taken", "Annual exam not yet taken (closes 2026-12-31)")


def test_a_released_failed_result_updates_the_stored_reasons_at_once(officer):
    """HR lists show the stored reasons: a failed result released by the exams app updates them
    through the exam_result_released event, not only at the next nightly run."""
    today = timezone.localdate()
    q.evaluate_all(officer, today)
    record = officer.qualifications.get()
    assert record.reasons == [f"尚未通过年度考试（未参加，{today.year}-12-31 截止）"]
    sitting = _sit(officer, Exam.objects.create(title="年度考试", kind="annual"), passed=False)
    Sitting.objects.filter(pk=sitting.pk).update(started_at=timezone.now(), ended_at=timezone.now(),
                                                 released_at=timezone.now())
    exam_result_released.send(sender=Sitting, officer=officer, sitting=sitting, exam=sitting.exam, passed=False)
    record.refresh_from_db()
    assert record.reasons == ["年度考试未通过"]
