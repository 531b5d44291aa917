"""What to do next about every unmet requirement (text and link), the open exams an officer
can take, and the one number format for hours on 我的资格."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from exams.models import Exam, Sitting
from officers import exam_results, qualifications as q
from officers import roles
from officers.models import QualificationType, RequiredCourse, RequiredExam
from tests.courses.factories import make_course
from tests.factories import make_user

from .conftest import TODAY, add_hours

pytestmark = pytest.mark.django_db

NO_EXAM = "暂无可参加的考试，请关注通知"


# --- number format -------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (Decimal("60"), "60"), (Decimal("60.0"), "60"), (Decimal("59.5"), "59.5"), (Decimal("12.25"), "12.3"),
    (0, "0"), (None, "0"), (Decimal("20.00"), "20"), (7, "7"),
])
def test_hours_format_whole_numbers_as_integers_else_one_decimal(value, expected):
    assert q.fmt_hours(value) == expected


@pytest.mark.parametrize("have, need, expected", [
    ("59", "20.0", "已完成 59 学时 / 要求 20 学时（已达标）"),
    ("38.5", "60", "已完成 38.5 学时 / 要求 60 学时（还差 21.5 学时）"),
    ("60.0", "60.0", "已完成 60 学时 / 要求 60 学时（已达标）"),
    ("3", "0", "已完成 3 学时（无年度要求）"),
])
def test_hours_text_does_not_read_as_a_ratio(have, need, expected):
    ev = q.Evaluation(officer=None, qualification_type=None, status=q.Q_QUALIFIED, reasons=[],
                      year_hours=Decimal(have), required_hours=Decimal(need))
    assert ev.hours_text == expected


# --- the next-step rule ----------------------------------------------------------------


class _Course:
    title = "首违不罚专题"
    url = "/courses/first-offence/"


def test_missing_named_exam_with_an_open_exam_links_to_it():
    unmet = q.Unmet(q.U_EXAM, "考试《资格考试》未通过（须 60 分）", exam_id=7)
    step = q.next_step(unmet, [(3, "annual", "别的考试"), (7, "qualification", "资格考试")])
    assert (step.text, step.url) == ("去参加考试《资格考试》", "/exams/7/")
    assert step.reason == unmet.reason


def test_missing_exam_by_kind_links_to_an_open_exam_of_that_kind():
    unmet = q.Unmet(q.U_EXAM, "尚未通过年度考试（未参加，2026-12-31 截止）", exam_kind=q.EXAM_KIND_ANNUAL)
    step = q.next_step(unmet, [(3, "qualification", "资格考试"), (5, "annual", "2026 年度考试")])
    assert (step.text, step.url) == ("去参加考试《2026 年度考试》", "/exams/5/")


def test_annual_exam_in_progress_links_to_continue():
    unmet = q.Unmet(q.U_EXAM, "尚未通过年度考试（进行中）", exam_kind=q.EXAM_KIND_ANNUAL, in_progress=True)
    step = q.next_step(unmet, [(5, "annual", "2026 年度考试")])
    assert (step.text, step.url) == ("继续考试《2026 年度考试》", "/exams/5/")


@pytest.mark.parametrize("unmet", [
    q.Unmet(q.U_EXAM, "考试《资格考试》未通过（须 60 分）", exam_id=7),
    q.Unmet(q.U_EXAM, "资格考试未通过", exam_kind=q.EXAM_KIND_QUALIFICATION),
    q.Unmet(q.U_EXAM, "专项资格考试未通过"),  # a 专项资格 without its own exam named
])
def test_no_open_exam_says_so_plainly(unmet):
    step = q.next_step(unmet, [(3, "annual", "年度考试")])
    assert (step.text, step.url) == (NO_EXAM, "")
    assert step.extra == [("我的考试", "/exams/")]


def test_missing_hours_link_to_my_learning_and_onsite_sessions():
    step = q.next_step(q.Unmet(q.U_HOURS, "2026 年学时 38/60", hours_short=Decimal("22")), [])
    assert (step.text, step.url) == ("还差 22 学时：去学习课程", "/learning/")
    assert step.extra == [("报名现场培训", "/learning/sessions/")]


def test_missing_course_links_to_the_course_page():
    step = q.next_step(q.Unmet(q.U_COURSE, "课程《首违不罚专题》未完成", course=_Course()), [])
    assert (step.text, step.url) == ("去学习《首违不罚专题》", "/courses/first-offence/")


def test_missing_prerequisite_links_to_that_qualification_on_the_page(base_type):
    step = q.next_step(q.Unmet(q.U_PREREQUISITE, "须先取得行政执法资格", prerequisite=base_type), [])
    assert (step.text, step.url) == ("先取得行政执法资格", "/my/qualification/#qual-BASE")


# --- from the evaluation -----------------------------------------------------------------


@pytest.fixture
def officer(units):
    return make_user(roles.OFFICER, unit=units["SZ-JB-01"], full_name="李明").officer


def _open_exam(**kw):
    kw.setdefault("draft", False)
    return Exam.objects.create(**kw)


def test_every_reason_of_a_not_qualified_officer_has_a_next_step(officer, base_type, special_type):
    course = make_course(title="违法建设查处实务")
    RequiredCourse.objects.create(qualification_type=special_type, course=course)
    exam = _open_exam(title="违法建设专项考试", kind="qualification")
    RequiredExam.objects.create(qualification_type=special_type, exam=exam, min_score=Decimal("60"))
    evs = q.attach_next_steps(q.evaluate_all(officer, TODAY, apply=False), officer)
    base, special = evs
    [base_step] = base.next_steps
    assert (base_step.reason, base_step.text, base_step.url) == ("资格考试未通过", "去参加考试《违法建设专项考试》",
                                                                f"/exams/{exam.pk}/")
    steps = {s.reason: (s.text, s.url) for s in special.next_steps}
    assert steps == {
        "须先取得行政执法资格": ("先取得行政执法资格", "/my/qualification/#qual-BASE"),
        "课程《违法建设查处实务》未完成": ("去学习《违法建设查处实务》", course.url),
        "考试《违法建设专项考试》未通过（须 60 分）": ("去参加考试《违法建设专项考试》", f"/exams/{exam.pk}/"),
    }


def test_qualified_officer_short_of_hours_and_annual_exam(officer, base_type):
    q.grant(officer, base_type, today=datetime.date(2026, 3, 1), reason="t")
    add_hours(officer, 38)
    [ev] = q.attach_next_steps([q.evaluate(officer, TODAY, apply=False)], officer)
    assert [(s.reason, s.text, s.url) for s in ev.next_steps] == [
        ("2026 年学时 38/60", "还差 22 学时：去学习课程", "/learning/"),
        ("尚未通过年度考试（未参加，2026-12-31 截止）", NO_EXAM, ""),
    ]


def test_open_exams_leave_out_closed_draft_future_ineligible_and_used_up_exams(officer, units):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    good = _open_exam(title="年度考试", kind="annual", closes_at=now + hour)
    _open_exam(title="草稿", kind="annual", draft=True)
    _open_exam(title="已关闭", kind="annual", closes_at=now - hour)
    _open_exam(title="未开始", kind="annual", opens_at=now + hour)
    _open_exam(title="仅限中级", kind="annual", eligible_tiers=["intermediate"])
    other_unit = _open_exam(title="江南", kind="annual")
    other_unit.eligible_units.set([units["SZ-JN"]])
    used = _open_exam(title="一次", kind="annual", single_attempt=True)
    Sitting.objects.create(exam=used, officer=officer, attempt=1, status="graded", passed=False,
                           started_at=now, ended_at=now, released_at=now)
    resumable = _open_exam(title="作答中", kind="annual", single_attempt=True)
    Sitting.objects.create(exam=resumable, officer=officer, attempt=1, status="open", started_at=now)
    _open_exam(title="模拟", kind="mock")
    found = exam_results.open_exams(officer, kinds=["annual"])
    assert [e[2] for e in found] == ["年度考试", "作答中"]
    assert exam_results.open_exams(officer) == []


def test_my_qualification_page_and_panel_show_the_links(client, officer_user, base_type, special_type):
    officer = officer_user.officer
    q.grant(officer, base_type, reason="t")
    add_hours(officer, 59.5, date=timezone.localdate())
    exam = _open_exam(title="年度考试", kind="annual")
    client.force_login(officer_user)
    body = client.get("/my/qualification/").content.decode()
    assert "已完成 59.5 学时 / 要求 60 学时（还差 0.5 学时）" in body
    assert "已完成 59.5 学时 / 要求 20 学时（已达标）" in body
    assert f'<a href="/exams/{exam.pk}/">去参加考试《年度考试》</a>' in body
    assert '<a href="/learning/">还差 0.5 学时：去学习课程</a>' in body
    assert '<a href="/learning/sessions/">报名现场培训</a>' in body
    assert NO_EXAM in body  # the 专项资格 has no exam of its own
    assert "60.0" not in body and "20.0" not in body
    home = client.get("/").content.decode()
    assert f'<a href="/exams/{exam.pk}/">去参加考试《年度考试》</a>' in home
    assert "已完成 59.5 学时 / 要求 60 学时" in home
