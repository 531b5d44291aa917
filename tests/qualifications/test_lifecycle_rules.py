"""The 执法证 lifecycle: the decisions as a table of cases (officers.lifecycle), the
rule configuration checks, and the daily job walking officers through it with a
moved clock."""
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from exams.models import Exam, Sitting
from officers import lifecycle as lc
from officers import qualifications as q
from officers.models import AuditLog, Certificate, QualificationRecord, QualificationType, RequiredExam
from tests.factories import make_user

from .conftest import add_hours, pass_exam

D = datetime.date


# --- The decisions, as plain functions --------------------------------------------------------------

EXPIRES = D(2031, 3, 1)  # granted 2026-03-01 for 60 months; window of 6 months opens 2030-09-01


@pytest.mark.parametrize("case, today, met, failures, state, action", [
    ("before window", D(2030, 8, 31), False, 0, lc.S_ACTIVE, ""),
    ("before window, already met", D(2030, 8, 31), True, 0, lc.S_ACTIVE, ""),
    ("window opens", D(2030, 9, 1), False, 0, lc.S_RENEWAL_DUE, ""),
    ("in window", D(2030, 12, 1), False, 1, lc.S_RENEWAL_DUE, ""),
    ("in window, exam passed", D(2030, 12, 1), True, 1, lc.S_ACTIVE, lc.T_RENEW),
    ("second failure", D(2030, 12, 1), False, 2, lc.S_RENEWAL_DUE, lc.T_REVOKE),
    ("second failure beats a later pass", D(2030, 12, 1), True, 2, lc.S_RENEWAL_DUE, lc.T_REVOKE),
    ("last day", D(2031, 3, 1), False, 0, lc.S_RENEWAL_DUE, ""),
    ("overdue", D(2031, 3, 2), False, 0, lc.S_RENEWAL_DUE, lc.T_EXPIRE),
    ("renewed after expiry", D(2031, 4, 1), True, 0, lc.S_ACTIVE, lc.T_RENEW),
])
def test_renewal_decision(case, today, met, failures, state, action):
    d = lc.renewal_decision(today=today, expires_at=EXPIRES, window_months=6, requirements_met=met,
                            failures=failures, failures_to_revoke=2)
    assert (d.state, d.action) == (state, action), case


def test_renewal_reasons_name_the_dates_and_the_failures():
    due = lc.renewal_decision(today=D(2030, 12, 1), expires_at=EXPIRES, window_months=6, requirements_met=False,
                              failures=0, failures_to_revoke=2)
    assert due.reason == "换证期 2030-09-01 起：须在 2031-03-01 前完成换证"
    revoked = lc.renewal_decision(today=D(2030, 12, 1), expires_at=EXPIRES, window_months=6,
                                  requirements_met=False, failures=2, failures_to_revoke=2)
    assert revoked.reason == "换证考试 2 次未通过，吊销执法证"


def test_no_automatic_revocation_when_configured_off():
    d = lc.renewal_decision(today=D(2030, 12, 1), expires_at=EXPIRES, window_months=6, requirements_met=False,
                            failures=5, failures_to_revoke=0)
    assert d.action == ""


DUE = D(2027, 3, 1)


@pytest.mark.parametrize("case, today, met, state, action", [
    ("not open yet", D(2026, 11, 30), True, lc.S_ACTIVE, ""),
    ("open, not met", D(2026, 12, 1), False, lc.S_REVIEW_DUE, ""),
    ("open, met", D(2026, 12, 1), True, lc.S_ACTIVE, lc.T_REVIEW),
    ("due day", DUE, False, lc.S_REVIEW_DUE, ""),
    ("overdue within grace", D(2027, 3, 31), False, lc.S_REVIEW_OVERDUE, ""),
    ("overdue beyond grace", D(2027, 4, 1), False, lc.S_REVIEW_OVERDUE, lc.T_SUSPEND),
    ("overdue but completed", D(2027, 4, 1), True, lc.S_ACTIVE, lc.T_REVIEW),
])
def test_review_decision(case, today, met, state, action):
    d = lc.review_decision(today=today, due=DUE, grace_days=30, requirements_met=met, opens_days=90)
    assert (d.state, d.action) == (state, action), case


def test_overdue_review_reason():
    d = lc.review_decision(today=D(2027, 4, 1), due=DUE, grace_days=30, requirements_met=False)
    assert d.reason == "年审逾期：应于 2027-03-01 完成，宽限至 2027-03-31 仍未完成，暂扣执法证"


@pytest.mark.parametrize("case, today, until, state", [
    ("bar running", D(2027, 6, 1), D(2028, 12, 1), lc.S_BARRED),
    ("bar last day", D(2028, 11, 30), D(2028, 12, 1), lc.S_BARRED),
    ("bar over", D(2028, 12, 1), D(2028, 12, 1), lc.S_ALLOWED),
    ("no bar", D(2027, 6, 1), None, lc.S_ALLOWED),
])
def test_reapply_decision(case, today, until, state):
    assert lc.reapply_decision(today=today, reapply_after=until).state == state, case


def test_reapply_bar_is_counted_in_months():
    assert lc.reapply_until(D(2026, 12, 1), 24) == D(2028, 12, 1)
    assert lc.reapply_until(D(2026, 12, 1), 0) is None


@pytest.mark.parametrize("case, number, every, exam", [
    ("年审 with exam every year", 1, 1, True),
    ("every 2nd: first without", 1, 2, False),
    ("every 2nd: second with", 2, 2, True),
    ("every 2nd: third without", 3, 2, False),
    ("every 4th: fourth with", 4, 4, True),
])
def test_review_exam_every_nth(case, number, every, exam):
    assert lc.review_requires_exam(number, every) is exam, case


def test_review_schedule_stops_at_the_renewal():
    granted = D(2026, 3, 1)
    assert lc.next_review_due(granted, 12, EXPIRES) == D(2027, 3, 1)
    assert lc.next_review_due(D(2030, 3, 1), 12, EXPIRES) is None  # the renewal takes its place
    assert lc.review_number(granted, D(2029, 3, 1), 12) == 3
    assert lc.review_number(granted, D(2030, 3, 1), 24) == 2


@pytest.mark.parametrize("today", [D(2026, 2, 28), D(2026, 8, 31), D(2026, 3, 15), D(2024, 2, 29)])
def test_latest_expiry_in_window_agrees_with_the_window_start(today):
    edge = lc.latest_expiry_in_window(today, 6)
    assert lc.renewal_window_start(edge, 6) <= today
    assert lc.renewal_window_start(edge + datetime.timedelta(days=1), 6) > today


# --- Rule configuration ----------------------------------------------------------------------------


def _type(**fields):
    values = {"code": "X", "name": "执法证"}
    values.update(fields)
    return QualificationType(**values)


def test_defaults_are_the_documented_ones():
    t = _type()
    assert (t.validity_months, t.renewal_window_months, t.review_interval_months, t.review_exam_every,
            t.renewal_failures_to_revoke, t.reapply_bar_months) == (60, 6, 12, 1, 2, 24)
    assert t.renewal_exam_required is True
    t.clean()  # the defaults agree with each other


@pytest.mark.parametrize("fields, field, code", [
    ({"renewal_window_months": 60}, "renewal_window_months", "renewal_window_too_long"),
    ({"renewal_window_months": 72}, "renewal_window_months", "renewal_window_too_long"),
    ({"validity_months": 0}, "validity_months", "validity_not_positive"),
    ({"renewal_window_months": -1}, "renewal_window_months", "renewal_window_negative"),
    ({"min_hours_per_year": Decimal("-1")}, "min_hours_per_year", "negative_hours"),
    ({"review_exam_every": 0}, "review_exam_every", "review_exam_every_too_small"),
    ({"review_interval_months": 0}, "review_interval_months", "review_interval_too_short"),
    ({"reapply_bar_months": -3}, "reapply_bar_months", "bar_negative"),
    ({"review_grace_days": -1}, "review_grace_days", "review_grace_negative"),
])
def test_contradictory_configuration_is_refused_with_a_reason(fields, field, code):
    with pytest.raises(ValidationError) as exc:
        _type(**fields).clean()
    errors = exc.value.error_dict[field]
    assert [e.code for e in errors] == [code]
    assert all(e.messages[0] and not e.messages[0].isascii() for e in errors)  # a Chinese reason


def test_window_reason_names_both_numbers():
    with pytest.raises(ValidationError) as exc:
        _type(validity_months=12, renewal_window_months=12).clean()
    assert exc.value.message_dict["renewal_window_months"] == ["换证期（12 个月）必须短于有效期（12 个月）。"]


# --- The daily job walks an officer through the lifecycle -----------------------------------------------

@pytest.fixture
def card(db):
    """The 执法证 type with the documented defaults; every 2nd 年审 with an exam."""
    return QualificationType.objects.create(code="ZFZ", name="行政执法证", is_base=True, review_exam_every=2,
                                            min_hours_per_year=Decimal("20"))


@pytest.fixture
def officer(units):
    return make_user("officer", unit=units["SZ-JB-01"], full_name="王建国").officer


def _run(day):
    out = io.StringIO()
    call_command("run_daily", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def _rec(officer):
    return QualificationRecord.objects.get(officer=officer)


def _fail(officer, exam, day):
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    n = Sitting.objects.filter(officer=officer, exam=exam).count()
    return Sitting.objects.create(exam=exam, officer=officer, attempt=n + 1, status="graded", passed=False,
                                  started_at=at, ended_at=at, released_at=at)


@pytest.mark.django_db
def test_grant_schedules_the_first_review_and_the_expiry(officer, card):
    pass_exam(officer, date=D(2026, 3, 1))
    _run(D(2026, 3, 1))
    rec = _rec(officer)
    assert (rec.granted_at, rec.expires_at, rec.review_due) == (D(2026, 3, 1), D(2031, 3, 1), D(2027, 3, 1))


@pytest.mark.django_db
def test_review_without_exam_year_then_with_exam_year(officer, card):
    q.grant(officer, card, today=D(2026, 3, 1), reason="测试")
    # 1st 年审 (no exam: every 2nd): due without the hours, met with them
    assert q.evaluate(officer, D(2027, 1, 5), apply=False).reasons == ["须于 2027-03-01 前完成年审",
                                                                       "2027 年学时 0/20"]
    add_hours(officer, 20, date=D(2027, 1, 10))
    ev = q.evaluate(officer, D(2027, 1, 15), apply=False)
    assert ev.annual_exams == [] and ev.reasons == []
    assert "annual reviews passed: 1" in _run(D(2027, 1, 15))
    rec = _rec(officer)
    assert (rec.last_review, rec.review_due, rec.expires_at) == (D(2027, 1, 15), D(2028, 3, 1), D(2031, 3, 1))
    # 2nd 年审 needs the annual exam too
    add_hours(officer, 20, date=D(2028, 1, 10))
    ev = q.evaluate(officer, D(2028, 1, 15), apply=False)
    assert ev.reasons == ["须于 2028-03-01 前完成年审", "尚未通过年度考试（未参加，2028-12-31 截止）"]
    pass_exam(officer, kind="annual", ref_id=2, date=D(2028, 1, 20))
    assert "annual reviews passed: 1" in _run(D(2028, 1, 20))
    assert _rec(officer).review_due == D(2029, 3, 1)


@pytest.mark.django_db
def test_overdue_review_suspends_once_and_completing_it_lifts_the_suspension(officer, card):
    rec = q.grant(officer, card, today=D(2026, 3, 1), reason="测试")
    cert = Certificate.objects.get(qualification=rec)
    assert q.evaluate(officer, D(2027, 3, 20), apply=False).status == "review_overdue"
    out = _run(D(2027, 4, 1))
    assert "suspended (年审 overdue): 1" in out
    rec = _rec(officer)
    assert rec.status == "suspended" and rec.status_reason.startswith("年审逾期：应于 2027-03-01 完成")
    entry = AuditLog.objects.get(action="qualification.suspend", officer=officer)
    assert entry.actor is None and entry.reason == rec.status_reason
    cert.refresh_from_db()
    assert cert.status == "suspended"
    n = AuditLog.objects.count()
    assert "nothing changed" in _run(D(2027, 4, 1))  # the same day again: nothing
    assert AuditLog.objects.count() == n
    add_hours(officer, 20, date=D(2027, 4, 5))
    assert "reinstated: 1" in _run(D(2027, 4, 6))
    rec = _rec(officer)
    assert (rec.status, rec.last_review, rec.review_due) == ("qualified", D(2027, 4, 6), D(2028, 3, 1))
    cert.refresh_from_db()
    assert cert.status == "valid"
    assert list(AuditLog.objects.filter(officer=officer, action__startswith="qualification.")
                .order_by("id").values_list("action", flat=True)) == [
        "qualification.grant", "qualification.suspend", "qualification.reinstate", "qualification.review"]


@pytest.mark.django_db
def test_renewal_exam_in_the_window_renews_for_another_period(officer, card):
    q.grant(officer, card, today=D(2026, 3, 1), reason="测试")
    QualificationRecord.objects.filter(officer=officer).update(review_due=None)  # the 年审 are done
    add_hours(officer, 20, date=D(2030, 9, 10))
    pass_exam(officer, date=D(2030, 8, 20), key="before")  # before the window: does not count
    ev = q.evaluate(officer, D(2030, 9, 15), apply=False)
    assert ev.status == "renewal_due"
    assert ev.reasons == ["换证期 2030-09-01 起：须在 2031-03-01 前完成换证",
                          "换证考试尚未通过（2030-09-01 起须重新通过资格考试）"]
    pass_exam(officer, date=D(2030, 10, 1), key="renewal")
    assert "renewed: 1" in _run(D(2030, 10, 1))
    rec = _rec(officer)
    assert (rec.status, rec.expires_at, rec.review_due) == ("qualified", D(2036, 3, 1), D(2032, 3, 1))
    assert AuditLog.objects.get(action="qualification.renew").reason == "换证考试合格，有效期延至 2036-03-01"


@pytest.mark.django_db
def test_second_failed_renewal_exam_revokes_with_a_bar(officer, card, hr_user):
    exam = Exam.objects.create(title="2030 年行政执法资格考试", kind="qualification")
    q.grant(officer, card, today=D(2026, 3, 1), reason="测试")
    QualificationRecord.objects.filter(officer=officer).update(review_due=None)
    _fail(officer, exam, D(2030, 8, 1))  # before the window: not counted
    _fail(officer, exam, D(2030, 9, 10))
    assert "revoked (renewal exam failed): 0" in _run(D(2030, 9, 11))
    _fail(officer, exam, D(2030, 11, 10))
    assert "revoked (renewal exam failed): 1" in _run(D(2030, 11, 11))
    rec = _rec(officer)
    assert rec.status == "revoked" and rec.reapply_after == D(2032, 11, 11)
    assert rec.status_reason == "换证考试 2 次未通过，吊销执法证"
    entry = AuditLog.objects.get(action="qualification.revoke", officer=officer)
    assert entry.actor is None and entry.reason == rec.status_reason
    assert q.evaluate(officer, D(2031, 1, 1), apply=False).reasons == [
        "资格已取消：换证考试 2 次未通过，吊销执法证", "2032-11-11 前不得重新申请"]
    assert "nothing changed" in _run(D(2030, 11, 11))
    with pytest.raises(ValidationError) as exc:
        q.hr_grant(rec, actor=hr_user, reason="重新申请", today=D(2031, 6, 1))
    assert exc.value.code == "reapply_barred"
    q.hr_grant(rec, actor=hr_user, reason="限制期满重新取得", today=D(2032, 11, 11))
    rec = _rec(officer)
    assert rec.status == "qualified" and rec.reapply_after is None


@pytest.mark.django_db
def test_run_daily_twice_a_day_through_five_years_changes_nothing_the_second_time(officer, card):
    """A moved clock over the whole period: every second run of a day is a no-op."""
    pass_exam(officer, date=D(2026, 3, 1))
    for year in range(2026, 2032):
        add_hours(officer, 20, date=D(year, 1, 5))
        pass_exam(officer, kind="annual", ref_id=2, date=D(year, 1, 6), key=f"annual{year}")
    pass_exam(officer, date=D(2030, 10, 1), key="renewal")
    day = D(2026, 3, 1)
    while day <= D(2031, 6, 1):
        _run(day)
        n = AuditLog.objects.count()
        assert "nothing changed" in _run(day), day
        assert AuditLog.objects.count() == n
        day += datetime.timedelta(days=45)
    rec = _rec(officer)
    assert rec.status == "qualified" and rec.expires_at == D(2036, 3, 1)
    assert AuditLog.objects.filter(action="qualification.suspend").count() == 0


# --- Two-part qualification ---------------------------------------------------------------------


@pytest.mark.django_db
def test_two_parts_each_with_its_own_validity(officer, card):
    general = Exam.objects.create(title="通用法律知识考试", kind="qualification")
    special = Exam.objects.create(title="城市管理专门法律知识考试", kind="qualification")
    RequiredExam.objects.create(qualification_type=card, exam=general, part_name="通用法律知识", valid_months=24)
    RequiredExam.objects.create(qualification_type=card, exam=special, part_name="专门法律知识", valid_months=12)
    pass_exam(officer, ref_id=general.pk, date=D(2025, 6, 1), key="g")
    pass_exam(officer, ref_id=special.pk, date=D(2025, 1, 10), key="s")
    ev = q.evaluate(officer, D(2026, 3, 1), apply=False)
    assert ev.status == "not_qualified"
    assert ev.reasons == ["专门法律知识：考试《城市管理专门法律知识考试》成绩已超过 12 个月有效期，须重新通过"]
    assert ev.unmet_for_grant[0].exam_id == special.pk  # the next step links this exam
    pass_exam(officer, ref_id=special.pk, date=D(2026, 2, 20), key="s2")
    assert q.evaluate(officer, D(2026, 3, 1)).status == "qualified"


@pytest.mark.django_db
def test_a_part_never_passed_is_named(officer, card):
    general = Exam.objects.create(title="通用法律知识考试", kind="qualification")
    RequiredExam.objects.create(qualification_type=card, exam=general, part_name="通用法律知识")
    assert q.evaluate(officer, D(2026, 3, 1), apply=False).reasons == [
        "通用法律知识：考试《通用法律知识考试》未通过（须 60 分）"]


@pytest.mark.django_db
def test_admin_form_refuses_a_contradictory_configuration():
    form_class = QualificationType.snippet_viewset.get_form_class()
    data = {"code": "X", "name": "执法证", "personnel_category": "officer", "validity_months": 12,
            "renewal_window_months": 12, "review_interval_months": 12, "review_exam_every": 0,
            "review_grace_days": 30, "renewal_failures_to_revoke": 2, "reapply_bar_months": 24,
            "min_hours_per_year": "-1", "window_years": 0, "window_min_hours": "0", "exam_min_score": "60",
            "annual_exam_min_score": "60", "sort_order": 0}
    form = form_class(data=data)
    assert not form.is_valid()
    codes = {name: [e.code for e in errors] for name, errors in form.errors.as_data().items()}
    assert codes["renewal_window_months"] == ["renewal_window_too_long"]
    assert codes["review_exam_every"] == ["review_exam_every_too_small"]
    assert codes["min_hours_per_year"] == ["negative_hours"]
    assert not QualificationType.objects.exists()
    form = form_class(data={**data, "renewal_window_months": 6, "review_exam_every": 2, "min_hours_per_year": "60"})
    assert form.is_valid(), form.errors
