"""Item analysis for trainers (试卷分析), with CSV and xlsx export."""
import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render

from officers.scoping import visible_officers

from .. import itemanalysis
from ..access import get_managed_exam_or_404, managed_sittings, trainer_required


def _result(request, pk):
    exam = get_managed_exam_or_404(request.user, pk)
    sittings = managed_sittings(request.user).filter(exam=exam, officer__in=visible_officers(request.user))
    return exam, itemanalysis.analyse(exam, sittings)


@trainer_required
def analysis_view(request, pk):
    exam, result = _result(request, pk)
    peak = max(result["distribution"]) or 1
    bands = [{"label": f"{i * 10}–{i * 10 + 9 if i < 9 else 100}", "count": c, "height": round(100 * c / peak)}
             for i, c in enumerate(result["distribution"])]
    return render(request, "exams/analysis.html", {"exam": exam, "r": result, "bands": bands})


@trainer_required
def analysis_export(request, pk, fmt):
    exam, result = _result(request, pk)
    rows = list(itemanalysis.table_rows(result))
    name = f"exam-{exam.pk}-analysis"
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
        csv.writer(buf).writerows(rows)
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.title = "试题分析"
        for row in rows:
            ws.append(row)
        ws2 = wb.create_sheet("分数分布")
        ws2.append(["分数段", "人数"])
        for i, c in enumerate(result["distribution"]):
            ws2.append([f"{i * 10}-{i * 10 + 9 if i < 9 else 100}", c])
        ws3 = wb.create_sheet("单位分类得分率")
        ws3.append(["单位", "人次"] + [str(c) for c in result.get("categories", [])])
        for u in result["units"]:
            ws3.append([u["unit"], u["n"]] + u["cells"])
        buf = io.BytesIO()
        wb.save(buf)
        resp = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp
