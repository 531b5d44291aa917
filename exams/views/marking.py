"""Trainer views: the exams they manage, sittings, and the marking queue (阅卷)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.scoping import visible_officers

from .. import engine, integrity
from ..access import (
    extra_time_exams, extra_time_required, get_managed_exam_or_404, managed_exams, managed_sittings, trainer_required,
)
from ..accommodations import set_extra_time
from ..models import Answer, ExtraTime, SittingStatus
from ..paper import public_question


@trainer_required
def manage_list(request):
    exams = managed_exams(request.user).annotate(
        n_open=Count("sittings", filter=Q(sittings__status=SittingStatus.OPEN)),
        n_marking=Count("sittings", filter=Q(sittings__status=SittingStatus.MARKING)),
        n_graded=Count("sittings", filter=Q(sittings__status=SittingStatus.GRADED)),
    ).order_by("-id")
    return render(request, "exams/manage_list.html", {"exams": exams})


@trainer_required
def exam_sittings(request, pk):
    exam = get_managed_exam_or_404(request.user, pk)
    qs = managed_sittings(request.user).filter(exam=exam).select_related("officer", "officer__unit")
    status = request.GET.get("status") or ""
    if status in (SittingStatus.OPEN, SittingStatus.MARKING, SittingStatus.GRADED):
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-started_at"), 50).get_page(request.GET.get("page"))
    return render(request, "exams/exam_sittings.html", {"exam": exam, "page": page, "status": status})


@trainer_required
def sitting_detail(request, pk):
    sitting = managed_sittings(request.user).select_related("exam", "officer").filter(pk=pk).first()
    if sitting is None:
        raise Http404
    answers = sitting.answers.select_related("version").order_by("position")
    show_key = sitting.status != SittingStatus.OPEN
    return render(request, "exams/manage_sitting.html", {
        "sitting": sitting, "exam": sitting.exam,
        "items": [public_question(a, with_feedback=show_key) for a in answers],
        "events": list(sitting.events.order_by("at", "id")),
        "forced_message": integrity.forced_message(sitting),
    })


@trainer_required
def integrity_report(request, pk):
    """考试纪律报告: every sitting of the exam with its leave count, time away, idle warnings
    and forced submission, the most eventful first."""
    exam = get_managed_exam_or_404(request.user, pk)
    qs = integrity.report(managed_sittings(request.user).filter(exam=exam).select_related("officer", "officer__unit"))
    only = request.GET.get("only") or ""
    if only == "events":
        qs = qs.filter(n_events__gt=0)
    elif only == "forced":
        qs = qs.exclude(forced_reason="")
    page = Paginator(qs.order_by("-n_events", "-started_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "exams/integrity_report.html", {"exam": exam, "page": page, "only": only})


@extra_time_required
def extra_time_index(request):
    """The exams on which the user may grant extra time, those still open first."""
    now = timezone.now()
    exams = (extra_time_exams(request.user).filter(draft=False).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
             .order_by("closes_at", "-pk"))[:200]
    return render(request, "exams/extra_time_index.html", {"exams": exams})


@extra_time_required
def extra_time(request, pk):
    """延长考试时间 on one exam: grant, change or remove (0 minutes) an officer's extra time,
    with a reason; audited. Only officers the user may see are found or listed."""
    exam = extra_time_exams(request.user).filter(pk=pk).first()
    if exam is None:
        raise Http404
    officers = visible_officers(request.user)
    errors, posted = [], {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "").strip() for k in ("employee_number", "minutes", "reason")}
        officer = officers.filter(employee_number=posted["employee_number"]).first()
        if officer is None:
            errors.append(_("在您的管辖范围内没有工号为“%(n)s”的人员。") % {"n": posted["employee_number"]})
        else:
            try:
                set_extra_time(exam, officer, posted["minutes"], posted["reason"], by=request.user, request=request)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("已为 %(name)s 设置延长时间。") % {"name": officer.full_name})
                return redirect("exams:extra_time", pk=exam.pk)
    rows = (ExtraTime.objects.filter(exam=exam, officer__in=officers)
            .select_related("officer", "officer__unit", "set_by").order_by("officer__employee_number"))
    return render(request, "exams/extra_time.html", {
        "exam": exam, "rows": rows, "errors": errors, "posted": posted,
        "can_manage": managed_exams(request.user).filter(pk=exam.pk).exists(),
    }, status=400 if errors else 200)


def _queue(user):
    return (Answer.objects.filter(sitting__in=managed_sittings(user), sitting__status=SittingStatus.MARKING,
                                  needs_marking=True, marked_at__isnull=True)
            .select_related("sitting", "sitting__exam", "sitting__officer", "sitting__officer__unit")
            .order_by("sitting__ended_at", "position"))


def _next_in_exam(user, answer):
    """下一份: the next unmarked answer of the same exam, on another sitting first."""
    rest = _queue(user).filter(sitting__exam_id=answer.sitting.exam_id).exclude(pk=answer.pk)
    return rest.exclude(sitting_id=answer.sitting_id).first() or rest.first()


@trainer_required
def queue(request):
    page = Paginator(_queue(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "exams/marking_queue.html", {"page": page})


@trainer_required
def mark(request, pk):
    try:
        answer = (Answer.objects.filter(sitting__in=managed_sittings(request.user), needs_marking=True)
                  .select_related("version", "sitting", "sitting__exam", "sitting__officer").get(pk=pk))
    except (Answer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    content = answer.version.content
    blind = answer.sitting.exam.blind_marking
    errors = []
    posted = {}
    if request.method == "POST":
        marks = {}
        for point in content.get("rubric", []):
            score = request.POST.get(f"score-{point['key']}", "").strip()
            posted[point["key"]] = score
            marks[point["key"]] = {"score": score, "comment": request.POST.get(f"comment-{point['key']}", "")[:500]}
        try:
            engine.mark_answer(answer, marks, request.POST.get("comment", "")[:2000], request.user)
        except engine.ExamError as exc:
            errors = exc.messages
        else:
            nxt = _next_in_exam(request.user, answer)
            if nxt is None:
                messages.success(request, _("评分已保存。本场考试的答卷已全部评阅。"))
                return redirect("exams:marking")
            messages.success(request, _("评分已保存，这是下一份。"))
            return redirect("exams:mark", pk=nxt.pk)
    rubric = []
    for p in content.get("rubric", []):
        prev = (answer.marks or {}).get(p["key"], {})
        rubric.append(dict(p, value=posted.get(p["key"], prev.get("score", "")), comment=prev.get("comment", "")))
    return render(request, "exams/mark.html", {
        "answer": answer, "content": content, "rubric": rubric, "errors": errors, "blind": blind,
        "sitting": answer.sitting, "text": (answer.response or {}).get("text", ""),
        "next_answer": _next_in_exam(request.user, answer),
        "status": 400 if errors else 200,
    }, status=400 if errors else 200)
