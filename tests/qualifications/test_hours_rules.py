"""The hours rules of a qualification type: per category, total, at least one 集中培训, the
rolling window; refused configurations; each unmet rule as its own requirement with a next step;
the annual exam held back until the year's hours are met."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from officers import hours as hours_service
from officers import roles
from officers import hours_rules as hr
from officers import qualifications as q
from officers.models import (
    MODE_CENTRAL, MODE_SELF_STUDY, SOURCE_MANUAL, HoursCategory, HoursRequirement, QualificationType,
)

from tests.factories import make_user

from .conftest import TODAY

YEAR = TODAY.year
LAW = HoursCategory(pk=1, code="public_law", name="公共法律知识", sort_order=10)
BIZ = HoursCategory(pk=2, code="business", name="业务知识", sort_order=20)
SKILL = HoursCategory(pk=3, code="skills", name="执法技能", sort_order=30)


def qtype(**fields):
    fields.setdefault("min_hours_per_year", Decimal("0"))
    return QualificationType(code="T", name="测试资格", **fields)


def reqs(**minimums):
    by_code = {c.code: c for c in (LAW, BIZ, SKILL)}
    return [HoursRequirement(category=by_code[code], category_id=by_code[code].pk, min_hours=Decimal(str(n)))
            for code, n in minimums.items()]


def ledger(*cells):
    """cells: (year offset, category or None, mode, hours)."""
    book = hr.HoursLedger()
    for offset, category, mode, hours in cells:
        book.add(YEAR - offset, category.pk if category else None, mode, Decimal(str(hours)))
    return book


S, C = MODE_SELF_STUDY, MODE_CENTRAL

#: (name, type fields, category minimums, ledger cells, expected gaps as (code, have, need))
CASES = [
    ("nothing required", {}, {}, [], []),
    ("total met", {"min_hours_per_year": 60}, {}, [(0, LAW, S, 30), (0, None, S, 30)], []),
    ("total short; last year's hours do not count", {"min_hours_per_year": 60}, {},
     [(0, LAW, S, 20), (1, LAW, S, 50)], [("total", "20", "60")]),
    ("each category short on its own", {}, {"public_law": 20, "business": 20, "skills": 20},
     [(0, LAW, S, 25), (0, BIZ, C, 12.5), (0, None, S, 40)],
     [("cat:business", "12.5", "20"), ("cat:skills", "0", "20")]),
    ("central and self-study both count for a category", {}, {"business": 20},
     [(0, BIZ, S, 8), (0, BIZ, C, 12)], []),
    ("a reversal lowers the category", {}, {"skills": 10}, [(0, SKILL, S, 10), (0, SKILL, S, -4)],
     [("cat:skills", "6", "10")]),
    ("total and category unmet together", {"min_hours_per_year": 60}, {"public_law": 20},
     [(0, LAW, S, 10)], [("total", "10", "60"), ("cat:public_law", "10", "20")]),
    ("no 集中培训 this year", {"central_training_required": True}, {}, [(0, LAW, S, 80), (1, LAW, C, 8)],
     [("central", "0", "0")]),
    ("one 集中培训 is enough", {"central_training_required": True}, {}, [(0, None, C, 2)], []),
    ("window of 3 years met across years", {"window_years": 3, "window_min_hours": 40}, {},
     [(0, LAW, C, 10), (1, BIZ, C, 15), (2, None, C, 15)], []),
    ("window ignores the 4th year back", {"window_years": 3, "window_min_hours": 40}, {},
     [(0, LAW, C, 10), (1, BIZ, C, 15), (3, None, C, 30)], [("window", "25", "40")]),
    ("window counts only 集中培训 by default", {"window_years": 5, "window_min_hours": 40}, {},
     [(0, LAW, S, 60), (4, LAW, C, 20)], [("window", "20", "40")]),
    ("window of any mode", {"window_years": 5, "window_min_hours": 40, "window_central_only": False}, {},
     [(0, LAW, S, 60)], []),
    ("zero minimums ask nothing", {"min_hours_per_year": 0}, {"business": 0}, [], []),
]


@pytest.mark.parametrize("name,fields,minimums,cells,expected", CASES, ids=[c[0] for c in CASES])
def test_hours_rules_table(name, fields, minimums, cells, expected):
    gaps = hr.hours_gaps(qtype(**fields), reqs(**minimums), ledger(*cells), YEAR)
    assert [(g.code, q.fmt_hours(g.have), q.fmt_hours(g.need)) for g in gaps] == expected


def test_gap_reasons_use_one_number_format():
    gaps = hr.hours_gaps(qtype(min_hours_per_year=Decimal("60.0"), window_years=3, window_min_hours=40,
                               central_training_required=True), reqs(business=20),
                         ledger((0, BIZ, S, 12.5)), YEAR)
    assert [str(g.reason) for g in gaps] == [
        f"{YEAR} 年学时 12.5/60", f"{YEAR} 年「业务知识」学时 12.5/20", f"{YEAR} 年尚未参加集中培训（每年至少一次）",
        "近 3 年集中培训（轮训）学时 0/40",
    ]
    assert [g.yearly for g in gaps] == [True, True, True, False]
    assert hr.gaps_text(gaps) == " total cat:business central window "


@pytest.mark.parametrize("fields,code,field", [
    ({"min_hours_per_year": Decimal("-1")}, "negative_hours", "min_hours_per_year"),
    ({"window_years": 3, "window_min_hours": Decimal("-5")}, "negative_hours", "window_min_hours"),
    ({"window_years": 3}, "window_hours_missing", "window_min_hours"),
    ({"window_min_hours": Decimal("40")}, "window_years_missing", "window_years"),
])
def test_contradictory_hours_rules_are_refused(fields, code, field):
    with pytest.raises(ValidationError) as exc:
        qtype(**fields).clean_hours_rules()
    assert [e.code for e in exc.value.error_dict[field]] == [code]
    assert "学时" in exc.value.error_dict[field][0].messages[0]


def test_negative_category_minimum_is_refused():
    with pytest.raises(ValidationError) as exc:
        HoursRequirement(category=BIZ, min_hours=Decimal("-2")).clean()
    assert exc.value.error_dict["min_hours"][0].code == "negative_hours"


def test_new_type_starts_from_the_setting(settings):
    settings.ACADEMY_DEFAULT_ANNUAL_HOURS = 48
    assert QualificationType(code="X", name="X").min_hours_per_year == Decimal("48")


# --- In the evaluation ------------------------------------------------------------------


def _credit(officer, hours, category=None, mode=MODE_SELF_STUDY, date=TODAY):
    return hours_service.credit(officer, hours, source=SOURCE_MANUAL, description="测试", date=date,
                                source_key=f"t:{officer.pk}:{hours}:{category}:{mode}:{date}",
                                category=category, mode=mode)[0]


@pytest.fixture
def officer(units):
    return make_user(roles.OFFICER, unit=units["SZ-JB-01"]).officer


@pytest.fixture
def categories(db):
    return {c.code: c for c in HoursCategory.objects.all()}


@pytest.mark.django_db
def test_seeded_categories(categories):
    assert [c.name for c in HoursCategory.objects.all()] == ["公共法律知识", "业务知识", "执法技能"]


@pytest.mark.django_db
def test_each_unmet_hours_rule_is_its_own_requirement_with_a_next_step(officer, base_type, categories):
    QualificationType.objects.filter(pk=base_type.pk).update(central_training_required=True, window_years=3,
                                                             window_min_hours=Decimal("40"))
    HoursRequirement.objects.create(qualification_type=base_type, category=categories["business"],
                                    min_hours=Decimal("20"))
    q.grant(officer, base_type, today=datetime.date(YEAR, 3, 1), reason="t")
    _credit(officer, 50, categories["public_law"])
    _credit(officer, 4, categories["business"])
    [ev] = q.attach_next_steps([q.evaluate(officer, TODAY, apply=False)], officer)
    hours_steps = [(s.reason, s.text, s.url) for s in ev.next_steps if "学时" in s.reason or "培训" in s.reason]
    assert hours_steps == [
        (f"{YEAR} 年学时 54/60", "还差 6 学时：去学习课程", "/learning/"),
        (f"{YEAR} 年「业务知识」学时 4/20", "还差 16 学时：去学习「业务知识」类课程", "/courses/?hours_category=business"),
        (f"{YEAR} 年尚未参加集中培训（每年至少一次）", "报名参加集中培训（现场教学）", "/learning/sessions/"),
        ("近 3 年集中培训（轮训）学时 0/40", "报名参加集中培训（现场教学）", "/learning/sessions/"),
    ]


@pytest.mark.django_db
def test_stored_summary_marks_the_short_categories(officer, base_type, categories):
    HoursRequirement.objects.create(qualification_type=base_type, category=categories["skills"],
                                    min_hours=Decimal("10"))
    q.grant(officer, base_type, today=datetime.date(YEAR, 3, 1), reason="t")
    _credit(officer, 60, categories["public_law"])
    q.evaluate(officer, TODAY)
    rec = officer.qualifications.get()
    assert (rec.hours_short, rec.hours_gaps) == (True, " cat:skills ")
    _credit(officer, 10, categories["skills"], MODE_CENTRAL)
    q.evaluate(officer, TODAY)
    rec.refresh_from_db()
    assert (rec.hours_short, rec.hours_gaps) == (False, "")


@pytest.mark.django_db
def test_window_reads_earlier_years_in_bulk_evaluation(officer, base_type, categories):
    QualificationType.objects.filter(pk=base_type.pk).update(min_hours_per_year=0, window_years=5,
                                                             window_min_hours=Decimal("40"))
    q.grant(officer, base_type, today=datetime.date(YEAR, 3, 1), reason="t")
    _credit(officer, 30, mode=MODE_CENTRAL, date=datetime.date(YEAR - 4, 6, 1))
    q.evaluate_many([officer], TODAY)
    assert officer.qualifications.get().hours_gaps == " window "
    _credit(officer, 10, mode=MODE_CENTRAL, date=datetime.date(YEAR - 2, 6, 1))
    q.evaluate_many([officer], TODAY)
    assert officer.qualifications.get().hours_gaps == ""


# --- The annual exam waits for the hours ------------------------------------------------


class _Exam:
    def __init__(self, pk, kind):
        self.pk, self.kind = pk, kind


@pytest.mark.django_db
def test_annual_exam_gate(officer, base_type, categories):
    HoursRequirement.objects.create(qualification_type=base_type, category=categories["business"],
                                    min_hours=Decimal("20"))
    _credit(officer, 60, categories["business"])
    exams = [_Exam(1, "annual"), _Exam(2, "practice")]
    assert hr.exam_gate_reasons(officer, exams, TODAY) == {}  # flag off
    QualificationType.objects.filter(pk=base_type.pk).update(annual_exam_needs_hours=True,
                                                             min_hours_per_year=Decimal("80"))
    assert hr.exam_gate_reasons(officer, exams, TODAY) == {
        1: f"年度考试须先修满本年学时：{YEAR} 年学时 60/80"}
    _credit(officer, 20, categories["skills"])
    assert hr.exam_gate_reasons(officer, exams, TODAY) == {}


@pytest.mark.django_db
def test_gated_annual_exam_next_step_says_why(officer, base_type):
    QualificationType.objects.filter(pk=base_type.pk).update(annual_exam_needs_hours=True)
    q.grant(officer, base_type, today=datetime.date(YEAR, 3, 1), reason="t")
    _credit(officer, 38)
    [ev] = q.attach_next_steps([q.evaluate(officer, TODAY, apply=False)], officer)
    exam_step = next(s for s in ev.next_steps if "年度考试" in s.reason)
    assert (exam_step.text, exam_step.url) == ("年度考试须先修满本年学时：先完成上面的学时要求", "/learning/")
