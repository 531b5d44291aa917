"""Marking by question (按题批量阅卷): the subjective questions of an exam awaiting marking,
and one page with every answer to one of them, blind, a score field each."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import batchmarking
from ..access import get_managed_exam_or_404, managed_sittings, trainer_required


@trainer_required
def question_list(request, pk):
    exam = get_managed_exam_or_404(request.user, pk)
    rows = batchmarking.questions(managed_sittings(request.user), exam)
    return render(request, "exams/batch_questions.html", {"exam": exam, "rows": rows})


@trainer_required
def batch_mark(request, pk, qid):
    exam = get_managed_exam_or_404(request.user, pk)
    sittings = managed_sittings(request.user)
    answers = batchmarking.answers_for(sittings, exam, qid)
    if not answers:
        messages.info(request, _("这道题已全部评阅。"))
        return redirect("exams:batch_questions", pk=exam.pk)
    errors, posted, status = {}, {}, 200
    if request.method == "POST":
        posted = {a.pk: request.POST.get(f"score-{a.pk}", "") for a in answers}
        saved, problems = batchmarking.save_scores(answers, posted, request.user)
        if not problems:
            messages.success(request, _("已保存 %(n)s 份评分。") % {"n": saved})
            return redirect("exams:batch_mark", pk=exam.pk, qid=qid)
        errors = {e.answer_id: e.message for e in problems}
        status = 400
    content = answers[0].version.content
    rows = [{"answer": a, "number": i, "text": (a.response or {}).get("text", ""),
             "value": posted.get(a.pk, ""), "error": errors.get(a.pk)} for i, a in enumerate(answers, start=1)]
    return render(request, "exams/batch_mark.html", {
        "exam": exam, "content": content, "rows": rows, "points": answers[0].points,
        "n_errors": len(errors),
    }, status=status)
