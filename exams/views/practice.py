"""Officer practice (练习): the practice page, sequential / chapter / favourites / random
practice with the answer checked on the server, 背题模式, favourites (收藏) and error
reports (题目纠错, 我的纠错)."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebank.domain import CATEGORY_LABELS

from .. import practice, reports
from ..access import officer_required
from ..grading import AnswerRefused
from ..models import Question, ReportKind
from ..review import practice_pool

RANDOM_KEY = "exams_practice_random"
RANDOM_SIZES = (10, 20, 50)
RECITE_PAGE = 10


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@officer_required
def home(request):
    officer = request.officer
    return render(request, "exams/practice_home.html", {
        "s": practice.summary(officer), "chapters": practice.chapters(), "sizes": RANDOM_SIZES,
        "n_reports": reports.for_officer(officer).count(),
    })


def _check(request, question, scope=None):
    """``practice.check`` of the posted answer, or None with the reason shown when the answer
    is refused (nothing recorded: the page asks the same question again)."""
    try:
        return practice.check(request.officer, question, request.POST, scope=scope)
    except AnswerRefused as exc:
        messages.error(request, exc.messages[0])
        return None


def _question_view(request, *, scope, title, url, extra=None):
    """One sequential practice question (GET) or the checked answer (POST)."""
    officer = request.officer
    ctx = {"title": title, "url": url, **(extra or {})}
    if request.method == "POST":
        question = practice.scope_questions(officer, scope).filter(pk=_int(request.POST.get("question"))).first()
        if question is None:
            messages.error(request, _("这道题不在本练习范围内。"))
            return redirect(url)
        done = _check(request, question, scope=scope)
        if done is None:
            return redirect(url)
        ctx.update({"done": done, "question": question,
                    "favourite": question.pk in practice.favourite_ids(officer, [question.pk])})
        return render(request, "exams/practice_question.html", ctx)
    if request.GET.get("restart"):
        practice.restart(officer, scope)
        return redirect(url)
    question, position, total = practice.next_question(officer, scope)
    ctx.update({"position": position, "total": total, "question": question,
                "q": practice.question_page(question) if question else None})
    return render(request, "exams/practice_question.html", ctx)


@officer_required
def sequential(request):
    return _question_view(request, scope=practice.SEQUENTIAL, title=_("顺序练习"),
                          url=reverse("exams:practice_seq"))


@officer_required
def chapter(request, category):
    if category not in CATEGORY_LABELS:
        raise Http404
    return _question_view(request, scope=practice.chapter_scope(category),
                          title=_("章节练习：%(c)s") % {"c": CATEGORY_LABELS[category]},
                          url=reverse("exams:practice_chapter", args=[category]))


@officer_required
def favourite_practice(request):
    return _question_view(request, scope=practice.FAVOURITES, title=_("练习收藏的题目"),
                          url=reverse("exams:practice_fav"))


@officer_required
def random_practice(request):
    """A round of N random questions, kept in the session until it is done."""
    officer = request.officer
    url = reverse("exams:practice_random")
    if request.GET.get("n"):
        ids = practice.random_round(_int(request.GET["n"]) or RANDOM_SIZES[0])
        request.session[RANDOM_KEY] = {"ids": ids, "i": 0, "right": 0}
        return redirect(url)
    state = request.session.get(RANDOM_KEY)
    ctx = {"title": _("随机练习"), "url": url, "sizes": RANDOM_SIZES, "random": True}
    if not state or not state.get("ids"):
        return render(request, "exams/practice_question.html", ctx)
    ids, i = state["ids"], state.get("i", 0)
    if request.method == "POST":
        if i >= len(ids) or _int(request.POST.get("question")) != ids[i]:
            messages.error(request, _("这道题已作答或不在本轮练习中。"))
            return redirect(url)
        question = practice.answerable(practice_pool()).filter(pk=ids[i]).first()
        if question is None:  # left the pool meanwhile: skip it
            state["i"] = i + 1
            request.session[RANDOM_KEY] = state
            return redirect(url)
        done = _check(request, question)
        if done is None:
            return redirect(url)
        state["i"] = i + 1
        state["right"] = state.get("right", 0) + int(bool(done["feedback"]["correct"]))
        request.session[RANDOM_KEY] = state
        ctx.update({"done": done, "question": question, "position": i + 1, "total": len(ids),
                    "favourite": question.pk in practice.favourite_ids(officer, [question.pk])})
        return render(request, "exams/practice_question.html", ctx)
    while i < len(ids):
        question = practice.answerable(practice_pool()).filter(pk=ids[i]).first()
        if question is not None:
            ctx.update({"question": question, "q": practice.question_page(question),
                        "position": i + 1, "total": len(ids)})
            return render(request, "exams/practice_question.html", ctx)
        i += 1
    ctx.update({"finished": True, "right": state.get("right", 0), "total": len(ids)})
    request.session.pop(RANDOM_KEY, None)
    return render(request, "exams/practice_question.html", ctx)


@officer_required
def recite(request):
    """背题模式: questions with their key and 解析, a page at a time, nothing to answer."""
    category = request.GET.get("cat") or ""
    qs = practice_pool().select_related("current_version").order_by("pk")
    if category:
        if category not in CATEGORY_LABELS:
            raise Http404
        qs = qs.filter(category=category)
    page = Paginator(qs, RECITE_PAGE).get_page(request.GET.get("page"))
    items = [practice.recite_item(q) for q in page]
    favs = practice.favourite_ids(request.officer, [i["question_id"] for i in items])
    for item in items:
        item["favourite"] = item["question_id"] in favs
    return render(request, "exams/practice_recite.html", {
        "page": page, "items": items, "category": category, "chapters": practice.chapters(),
        "category_label": CATEGORY_LABELS.get(category, ""),
    })


@officer_required
def favourite_list(request):
    return render(request, "exams/practice_favourites.html", {"rows": practice.favourites(request.officer)})


@officer_required
@require_POST
def favourite_toggle(request, pk):
    question = get_object_or_404(Question, pk=pk)
    on = request.POST.get("on") == "1"
    if on and not practice.may_favourite(request.officer, question):
        raise Http404
    if practice.set_favourite(request.officer, question, on):
        messages.success(request, _("已收藏。"))
    else:
        messages.success(request, _("已取消收藏。"))
    return redirect(_safe_next(request, reverse("exams:practice_favourites")))


@officer_required
def report(request, pk):
    """File an error report on a question (题目纠错)."""
    question = get_object_or_404(Question, pk=pk)
    officer = request.officer
    if not reports.may_report(officer, question):
        raise Http404
    errors, status = [], 200
    if request.method == "POST":
        try:
            reports.submit(officer, question, request.POST.get("kind", ""), request.POST.get("text", ""))
        except reports.ReportError as exc:
            errors = exc.messages
            status = 429 if exc.code == "daily_limit" else 400
        else:
            messages.success(request, _("纠错已提交，教官处理后会在“我的纠错”中回复。"))
            return redirect("exams:practice_reports")
    return render(request, "exams/practice_report.html", {
        "question": question, "kinds": ReportKind.choices, "errors": errors,
        "kind": request.POST.get("kind", ""), "text": request.POST.get("text", ""),
        "limit": reports.DAILY_LIMIT,
    }, status=status)


@officer_required
def my_reports(request):
    page = Paginator(reports.for_officer(request.officer), 30).get_page(request.GET.get("page"))
    return render(request, "exams/practice_reports.html", {"page": page})
