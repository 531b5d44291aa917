"""Exports of HR lists (CSV, XLSX) and the annual training and assessment
report per unit (年度培训考核汇总, XLSX and PDF). Rows always come from
querysets already limited to the viewer's scope."""
import csv
import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .hr_lists import status_display, status_label
from .models import ACH_EXAM, Achievement, HoursEntry, QualificationRecord

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def list_header():
    return [_("工号"), _("姓名"), _("单位"), _("岗位"), _("资格"), _("状态"), _("取得日期"), _("有效期至"),
            _("最近年审"), _("本年学时"), _("欠缺事项")]


def list_rows(records, today=None):
    today = today or timezone.localdate()
    for rec in records.iterator(chunk_size=1000):
        o = rec.officer
        yield [
            o.employee_number, o.full_name, o.unit.name, o.get_position_display(), rec.qualification_type.name,
            str(status_display(status_label(rec, today))),
            rec.granted_at.isoformat() if rec.granted_at else "",
            rec.expires_at.isoformat() if rec.expires_at else "",
            rec.last_review.isoformat() if rec.last_review else "",
            str(rec.year_hours), "；".join(rec.reasons or []),
        ]


class _Echo:
    def write(self, value):
        return value


def _safe_cell(value):
    """Neutralise spreadsheet formulas in text cells (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_response(filename, header, rows):
    """A streamed UTF-8 CSV (with BOM, so spreadsheet programs read Chinese)."""
    writer = csv.writer(_Echo())

    def generate():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe_cell(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def xlsx_response(filename, header, rows, title="Sheet"):
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(header)
    for row in rows:
        ws.append([_safe_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name):
    from urllib.parse import quote
    return quote(name)


# --- Annual report -------------------------------------------------------------------


def report_header(year):
    return [_("工号"), _("姓名"), _("单位"), _("岗位"), _("%(y)s 年学时") % {"y": year}, _("要求学时"),
            _("考试通过"), _("考试未通过"), _("资格状态"), _("有效期至"), _("欠缺事项")]


def report_rows(officers, qtype, year):
    """One row per officer: hours of the year, exams passed/failed, qualification status.
    A fixed number of queries per 1,000 officers."""
    today = timezone.localdate()
    officers = list(officers.select_related("unit").order_by("unit__path", "employee_number"))
    rows = []
    for start in range(0, len(officers), 900):
        chunk = officers[start:start + 900]
        ids = [o.pk for o in chunk]
        hours = dict(HoursEntry.objects.filter(officer_id__in=ids, year=year).values("officer_id")
                     .annotate(t=Sum("hours")).order_by().values_list("officer_id", "t"))
        passed = dict(Achievement.objects.filter(officer_id__in=ids, kind=ACH_EXAM, year=year)
                      .values("officer_id").annotate(n=Count("pk")).order_by().values_list("officer_id", "n"))
        failed = defaultdict(int)
        try:
            from exams.models import Sitting
            for oid, n in (Sitting.objects.filter(officer_id__in=ids, passed=False, released_at__isnull=False,
                                                  ended_at__year=year)
                           .values("officer_id").annotate(n=Count("pk")).order_by()
                           .values_list("officer_id", "n")):
                failed[oid] = n
        except Exception:  # exams absent
            pass
        recs = {r.officer_id: r for r in QualificationRecord.objects.filter(officer_id__in=ids,
                                                                           qualification_type=qtype)}
        for o in chunk:
            rec = recs.get(o.pk)
            rows.append([
                o.employee_number, o.full_name, o.unit.name, o.get_position_display(),
                str(hours.get(o.pk) or Decimal("0")), str(qtype.min_hours_per_year), passed.get(o.pk, 0),
                failed.get(o.pk, 0),
                str(status_display(status_label(rec, today))) if rec else str(status_display("not_qualified")),
                rec.expires_at.isoformat() if rec and rec.expires_at else "",
                "；".join(rec.reasons or []) if rec else "",
            ])
    return rows


def report_pdf(title, subtitle, header, rows):
    """The annual report as an A4 landscape PDF with the embedded CJK font."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    from .certificates import register_font
    font = register_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=28, rightMargin=28, topMargin=28,
                            bottomMargin=28, title=title, initialFontName=font, initialFontSize=10)
    h = ParagraphStyle("h", fontName=font, fontSize=16, leading=22)
    p = ParagraphStyle("p", fontName=font, fontSize=10, leading=14)
    cell = ParagraphStyle("c", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    data = [[Paragraph(str(x), cell) for x in header]]
    for row in rows:
        data.append([Paragraph(str(x), cell) for x in row])
    widths = [50, 52, 90, 56, 50, 50, 44, 50, 52, 62, 180]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.94, 0.96)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    doc.build([Paragraph(title, h), Paragraph(subtitle, p), Spacer(1, 8), table])
    return buf.getvalue()
