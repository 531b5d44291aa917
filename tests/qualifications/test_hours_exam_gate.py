"""The annual exam waits for the hours where the qualification type says so (the year's rules and,
where configured, the rolling window of 轮训): exams asks officers through the academy_exam_gates
hook; the exam cannot be started, is not offered as a next step, and the exam list says why."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from exams import engine
from exams.models import ExamKind
from officers import hours as hours_service
from officers import hours_rules as hr
from officers import qualifications as q
from officers import roles
from officers.models import MODE_CENTRAL, MODE_SELF_STUDY, HoursCategory, HoursRequirement, QualificationType
from tests.exams.factories import make_exam, make_question
from tests.factories import make_user

from .conftest import TODAY
from .test_hours_rules import BIZ, LAW, YEAR, ledger, qtype, reqs

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(units, base_type):
    QualificationType.objects.filter(pk=base_type.pk).update(annual_exam_needs_hours=True)
    HoursRequirement.objects.create(qualification_type=base_type, category=HoursCategory.objects.get(
        code="skills"), min_hours=Decimal("8"))
    user = make_user(roles.OFFICER, unit=units["SZ-JB-01"])
    annual = make_exam([make_question()], kind=ExamKind.ANNUAL, title="2026 年度考试")
    mock = make_exam([make_question()], kind=ExamKind.MOCK, title="模拟考试")
    return user, annual, mock


def _credit(officer, hours, code):
    hours_service.credit(officer, hours, source="manual", source_key=f"t:{code}:{hours}", description="测试",
                         category=HoursCategory.objects.get(code=code))


def test_annual_exam_cannot_start_until_hours_are_met(setup):
    user, annual, mock = setup
    officer = user.officer
    with pytest.raises(engine.ExamError) as exc:
        engine.check_can_start(annual, officer)
    assert exc.value.code == "gated" and "「执法技能」学时 0/8" in exc.value.messages[0]
    engine.check_can_start(mock, officer)  # other kinds are not held back
    assert [e[0] for e in engine.open_exams_for(officer, kinds=[ExamKind.ANNUAL, ExamKind.MOCK])] == [mock.pk]
    _credit(officer, 60, "public_law")
    _credit(officer, 8, "skills")
    engine.check_can_start(annual, officer)
    assert annual.pk in [e[0] for e in engine.open_exams_for(officer, kinds=[ExamKind.ANNUAL])]


def test_exam_list_and_page_say_why(client, setup):
    user, annual, _mock = setup
    client.force_login(user)
    html = client.get(reverse("exams:exam_list")).content.decode()
    assert "暂未开放" in html and "年度考试须先修满本年学时" in html
    detail = client.get(reverse("exams:exam_detail", args=[annual.pk])).content.decode()
    assert "年度考试须先修满本年学时" in detail
    client.post(reverse("exams:start", args=[annual.pk]))
    assert not annual.sittings.exists()


# --- Which rules hold the annual exam back: a table of cases ----------------------------------

S, C = MODE_SELF_STUDY, MODE_CENTRAL
WINDOW = {"window_years": 3, "window_min_hours": 40}

#: (name, type fields, category minimums, ledger cells, the gaps that hold the exam back)
GATE_CASES = [
    ("no gate", {"min_hours_per_year": 60, **WINDOW}, {}, [(0, LAW, S, 10)], []),
    ("yearly gate: the year's total", {"annual_exam_needs_hours": True, "min_hours_per_year": 60, **WINDOW}, {},
     [(0, LAW, C, 10)], ["total"]),
    ("yearly gate does not wait for the window",
     {"annual_exam_needs_hours": True, "min_hours_per_year": 20, **WINDOW}, {}, [(0, LAW, S, 20)], []),
    ("window gate: 轮训 short over 3 years", {"annual_exam_needs_window": True, **WINDOW}, {},
     [(0, LAW, C, 10), (1, BIZ, C, 15)], ["window"]),
    ("window gate met across the years", {"annual_exam_needs_window": True, **WINDOW}, {},
     [(0, LAW, C, 10), (1, BIZ, C, 15), (2, None, C, 15)], []),
    ("window gate ignores the 4th year back", {"annual_exam_needs_window": True, **WINDOW}, {},
     [(0, LAW, C, 10), (3, BIZ, C, 40)], ["window"]),
    ("window gate counts only 集中培训", {"annual_exam_needs_window": True, **WINDOW}, {},
     [(0, LAW, S, 80)], ["window"]),
    ("window gate of any mode", {"annual_exam_needs_window": True, **WINDOW, "window_central_only": False}, {},
     [(0, LAW, S, 40)], []),
    ("window gate leaves the yearly rules to the year", {"annual_exam_needs_window": True, "min_hours_per_year": 60,
                                                         "central_training_required": True, **WINDOW},
     {"business": 20}, [(1, LAW, C, 40)], []),
    ("both gates, both short", {"annual_exam_needs_hours": True, "annual_exam_needs_window": True,
                                "min_hours_per_year": 60, **WINDOW}, {"business": 20},
     [(0, LAW, C, 30)], ["total", "cat:business", "window"]),
    ("both gates, only the window short", {"annual_exam_needs_hours": True, "annual_exam_needs_window": True,
                                           "min_hours_per_year": 30, **WINDOW}, {},
     [(0, LAW, S, 30), (1, LAW, C, 5)], ["window"]),
]


@pytest.mark.parametrize("name,fields,minimums,cells,expected", GATE_CASES, ids=[c[0] for c in GATE_CASES])
def test_gate_table(name, fields, minimums, cells, expected):
    rules = qtype(**fields)
    gaps = hr.gate_gaps(rules, hr.hours_gaps(rules, reqs(**minimums), ledger(*cells), YEAR))
    assert [g.code for g in gaps] == expected


def test_window_gate_needs_a_window():
    """The window gate without a window is refused with its reason."""
    with pytest.raises(ValidationError) as exc:
        qtype(annual_exam_needs_window=True).clean_hours_rules()
    [error] = exc.value.error_dict["annual_exam_needs_window"]
    assert error.code == "window_gate_without_window" and "轮训周期" in error.messages[0]
    qtype(annual_exam_needs_window=True, **WINDOW).clean_hours_rules()


@pytest.fixture
def window_gate(units, base_type):
    QualificationType.objects.filter(pk=base_type.pk).update(
        annual_exam_needs_window=True, window_years=3, window_min_hours=Decimal("40"), min_hours_per_year=0)
    user = make_user(roles.OFFICER, unit=units["SZ-JB-01"])
    annual = make_exam([make_question()], kind=ExamKind.ANNUAL, title="2026 年度考试")
    return user, annual


def _credit_on(officer, hours, code, mode, date):
    hours_service.credit(officer, hours, source="manual", source_key=f"w:{code}:{hours}:{date}", description="测试",
                         category=HoursCategory.objects.get(code=code), mode=mode, date=date)


def test_annual_exam_waits_for_the_window_and_opens_with_earlier_years(window_gate):
    user, annual = window_gate
    officer = user.officer
    today = timezone.localdate()
    _credit_on(officer, 30, "skills", MODE_CENTRAL, today)
    _credit_on(officer, 50, "skills", MODE_SELF_STUDY, today)  # self-study does not count for 轮训
    with pytest.raises(engine.ExamError) as exc:
        engine.check_can_start(annual, officer)
    assert exc.value.code == "gated"
    assert exc.value.messages[0] == "年度考试须先修满规定学时：近 3 年集中培训（轮训）学时 30/40"
    _credit_on(officer, 10, "business", MODE_CENTRAL, datetime.date(today.year - 2, 6, 1))
    engine.check_can_start(annual, officer)


def test_window_gated_exam_next_step_names_the_window(window_gate, base_type):
    user, _annual = window_gate
    officer = user.officer
    base_type.refresh_from_db()
    q.grant(officer, base_type, today=datetime.date(YEAR, 3, 1), reason="t")
    [ev] = q.attach_next_steps([q.evaluate(officer, TODAY, apply=False)], officer)
    assert "近 3 年集中培训（轮训）学时 0/40" in [str(r) for r in ev.reasons]
    step = next(s for s in ev.next_steps if "年度考试" in s.reason)
    assert step.text == "年度考试须先修满规定学时：先完成上面的学时要求"
