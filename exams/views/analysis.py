"""Item analysis for trainers (试卷分析), with CSV and xlsx export."""
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from officers.scoping import visible_officers
from portal.spreadsheets import FORMATS, Sheet, spreadsheet_response

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
    return render(request, "exams/analysis.html", {"exam": exam, "r": result, "bands": bands,
                                                   "min_flag": itemanalysis.FLAG_MIN_RESPONSES})


@trainer_required
def analysis_export(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    exam, result = _result(request, pk)
    header, *rows = itemanalysis.table_rows(result)
    sheets = [
        Sheet(_("试题分析"), header, rows),
        Sheet(_("分数分布"), [_("分数段"), _("人数")],
              [[f"{i * 10}-{i * 10 + 9 if i < 9 else 100}", c] for i, c in enumerate(result["distribution"])]),
        Sheet(_("单位分类得分率"), [_("单位"), _("人次")] + [str(c) for c in result.get("categories", [])],
              [[u["unit"], u["n"]] + u["cells"] for u in result["units"]]),
    ]
    return spreadsheet_response(fmt, f"exam-{exam.pk}-analysis.{fmt}", *sheets)
