"""Exports of HR lists (CSV, XLSX) and the annual training and assessment
report per unit (年度培训考核汇总, XLSX, CSV and PDF). Rows always come from
querysets already limited to the viewer's scope.

Spreadsheets are written by ``portal.spreadsheets`` (the project's one export
path: formulas neutralised, numbers as numbers, header frozen); rows here hold
typed values (hours as ``Decimal``, dates as ``date``), never their text."""
import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from portal.spreadsheets import Column, Sheet, spreadsheet_response

from . import exam_results, hours_rules
from .hours_rules import fmt_hours
from .certpdf import register_font
from .hr_lists import renewal_from, status_display, status_label
from .reason_text import reasons_in_reader_language
from .models import ACH_EXAM, MODE_CENTRAL, MODE_SELF_STUDY, Achievement, QualificationRecord

HOURS_FORMAT = "0.0"


def list_header(categories=()):
    """The list columns, then the year's hours of each category and of each mode."""
    return [_("工号"), _("姓名"), _("单位"), _("岗位"), _("人员类别"), _("培训层级"), _("资格"), _("状态"),
            _("取得日期"), _("有效期至"), _("换证期起"), _("最近年审"), _("年审到期"),
            Column(_("本年学时"), number_format=HOURS_FORMAT), _("欠缺事项")] + [
        Column(_("%(name)s学时") % {"name": c.label}, number_format=HOURS_FORMAT) for c in categories] + [
        Column(_("集中培训学时"), number_format=HOURS_FORMAT), Column(_("自学学时"), number_format=HOURS_FORMAT)]


def list_rows(records, today=None, categories=()):
    """One row per record; the hours by category and mode are read with one aggregate query
    per 900 rows."""
    today = today or timezone.localdate()
    chunk = []
    for rec in records.iterator(chunk_size=1000):
        chunk.append(rec)
        if len(chunk) >= 900:
            yield from _list_chunk(chunk, today, categories)
            chunk = []
    if chunk:
        yield from _list_chunk(chunk, today, categories)


def _list_chunk(chunk, today, categories):
    ledgers = hours_rules.load_ledgers({rec.officer_id for rec in chunk}, today.year, 1)
    for rec in chunk:
        o, ledger = rec.officer, ledgers[rec.officer_id]
        yield [
            o.employee_number, o.full_name, o.unit.name, o.get_position_display(),
            str(o.get_personnel_category_display()), str(o.get_training_tier_display() or _("未登记")),
            rec.qualification_type.name, str(status_display(status_label(rec, today))), rec.granted_at,
            rec.expires_at, renewal_from(rec), rec.last_review, rec.review_due, rec.year_hours,
            "；".join(reasons_in_reader_language(rec.reasons)),
        ] + [ledger.by_category(today.year, c.pk) for c in categories] + [
            ledger.by_mode(today.year, MODE_CENTRAL), ledger.by_mode(today.year, MODE_SELF_STUDY)]


def spreadsheet(fmt, filename, title, header, rows):
    """An HR list or report as an XLSX or (streamed) CSV download."""
    return spreadsheet_response(fmt, filename, Sheet(str(title), header, rows))


# --- Annual report -------------------------------------------------------------------


def report_header(year, qtype, categories=()):
    """The report's columns: the year's hours in total, by category (with the type's minimum
    where it sets one) and of 集中培训, whether the type's 集中培训 rule is met, exams, status."""
    minimums = {req.category_id: req.min_hours for req in hours_rules.requirements_by_type([qtype])[qtype.pk]}

    def category_title(category):
        if category.pk in minimums:
            return _("%(name)s学时（要求 %(n)s）") % {"name": category.label, "n": fmt_hours(minimums[category.pk])}
        return _("%(name)s学时") % {"name": category.label}

    return [_("工号"), _("姓名"), _("单位"), _("岗位"),
            Column(_("%(y)s 年学时") % {"y": year}, number_format=HOURS_FORMAT),
            Column(_("要求学时"), number_format=HOURS_FORMAT)] + [
        Column(category_title(c), number_format=HOURS_FORMAT) for c in categories] + [
        Column(_("集中培训学时"), number_format=HOURS_FORMAT), _("集中培训（每年至少一次）"),
        _("考试通过"), _("考试未通过"), _("资格状态"), _("有效期至"), _("欠缺事项")]


def header_titles(header):
    """The headings as text (a plain string is its own heading: ``str.title`` is a method)."""
    return [h.title if isinstance(h, Column) else h for h in header]


def report_rows(officers, qtype, year, categories=()):
    """One row per officer: hours of the year (in total, by category, of 集中培训, read as
    hours_rules reads them), the 集中培训 rule, exams passed/failed, qualification status.
    A fixed number of queries per 900 officers."""
    today = timezone.localdate()
    officers = list(officers.select_related("unit").order_by("unit__path", "employee_number"))
    rows = []
    for start in range(0, len(officers), 900):
        chunk = officers[start:start + 900]
        ids = [o.pk for o in chunk]
        ledgers = hours_rules.load_ledgers(ids, year, 1)
        passed = dict(Achievement.objects.filter(officer_id__in=ids, kind=ACH_EXAM, year=year)
                      .values("officer_id").annotate(n=Count("pk")).order_by().values_list("officer_id", "n"))
        failed = exam_results.failed_exam_counts(ids, year)
        recs = {r.officer_id: r for r in QualificationRecord.objects.filter(
            officer_id__in=ids, qualification_type=qtype).select_related("qualification_type")}
        for o in chunk:
            rec, ledger = recs.get(o.pk), ledgers[o.pk]
            rows.append([
                o.employee_number, o.full_name, o.unit.name, o.get_position_display(),
                ledger.total(year), qtype.min_hours_per_year] + [
                ledger.by_category(year, c.pk) for c in categories] + [
                ledger.by_mode(year, MODE_CENTRAL), str(hours_rules.central_training_status(qtype, ledger, year)),
                passed.get(o.pk, 0), failed.get(o.pk, 0),
                str(status_display(status_label(rec, today))) if rec else str(status_display("not_qualified")),
                rec.expires_at if rec else None,
                "；".join(reasons_in_reader_language(rec.reasons)) if rec else "",
            ])
    return rows


def display(value):
    """A report cell as text (dates ISO, hours in the one number format, empty for none), for the
    page and the PDF."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return fmt_hours(value)
    return str(value)


def report_pdf(title, subtitle, header, rows):
    """The annual report as an A4 landscape PDF with the embedded CJK font."""
    font = register_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=28, rightMargin=28, topMargin=28,
                            bottomMargin=28, title=title, initialFontName=font, initialFontSize=10)
    h = ParagraphStyle("h", fontName=font, fontSize=16, leading=22)
    p = ParagraphStyle("p", fontName=font, fontSize=10, leading=14)
    cell = ParagraphStyle("c", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    data = [[Paragraph(escape(str(x)), cell) for x in header_titles(header)]]
    for row in rows:
        data.append([Paragraph(escape(display(x)), cell) for x in row])
    table = LongTable(data, colWidths=_pdf_widths(len(data[0]), doc.width), repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.94, 0.96)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    doc.build([Paragraph(escape(title), h), Paragraph(escape(subtitle), p), Spacer(1, 8), table])
    return buf.getvalue()


def _pdf_widths(columns, available):
    """Column widths of the report's PDF table: narrow figures, wider names and unit, the rest
    for 欠缺事项 (the last column); scaled down to the page when the columns are many."""
    widths = [50, 52, 80, 50] + [44] * (columns - 5)
    widths.append(max(120, available - sum(widths)))
    scale = min(1, available / sum(widths))
    return [w * scale for w in widths]
