"""The wrong-question book (错题本) and practice from it (重做).

Only entries whose exam's review policy allows it now are shown or practised
(exams.review): after an exam with review "never" the book shows nothing of it,
after "after_close" nothing until the exam has closed."""
import random

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import grading, review
from .. import practice as practice_rules
from ..access import officer_required
from ..models import QuestionType, QuestionVersion, WrongItem
from ..paper import feedback, public_question
from ..practice import PracticeLine


def _items(officer):
    return review.wrong_items(officer).select_related("version", "question")


@officer_required
def book(request):
    items = list(_items(request.officer))
    rows = []
    for item in items:
        line = PracticeLine(item.version, item.last_response)
        rows.append({"item": item, "q": public_question(line), "f": feedback(line)})
    resolved = WrongItem.objects.filter(officer=request.officer, resolved_at__isnull=False).count()
    return render(request, "exams/wrong_book.html", {"rows": rows, "resolved": resolved,
                                                     "waiting": review.hidden_wrong_count(request.officer)})


@officer_required
def practice(request):
    """One question from the book at a time; two right answers in a row take it out."""
    officer = request.officer
    ctx = {}
    if request.method == "POST":
        item = _items(officer).filter(pk=request.POST.get("item") or 0).first()
        if item is not None:
            version = item.question.current_version or item.version
            if str(version.pk) != request.POST.get("version"):
                version = QuestionVersion.objects.filter(pk=request.POST.get("version") or 0,
                                                         question=item.question).first() or version
            try:
                done = practice_rules.check(officer, item.question, request.POST, version=version)
            except grading.AnswerRefused as exc:  # nothing recorded: a question is asked again
                messages.error(request, exc.messages[0])
            else:
                item.refresh_from_db()
                ctx.update({"done": done, "item": item, "left_book": item.resolved_at is not None})
    items = [i for i in _items(officer) if i.version.content["qtype"] != QuestionType.CASE]
    if "done" not in ctx and items:
        item = random.choice(items)
        version = item.question.current_version or item.version
        ctx.update({"q": public_question(PracticeLine(version)), "item": item, "version": version})
    ctx["remaining"] = len(items)
    ctx["message"] = None if items or "done" in ctx else _("错题本里没有可练习的题目。")
    return render(request, "exams/wrong_practice.html", ctx)
