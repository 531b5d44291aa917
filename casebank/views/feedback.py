"""反馈 on a case: the officer's form on the case page, and the queue where trainers and legal
reviewers resolve each piece with a reply (the same desk as the exams app's 题目纠错)."""
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from officers import ratelimit, roles
from officers.roles import role_required
from portal import desk

from .. import case_feedback
from ..models import CaseFeedbackKind, CaseFeedbackStatus
from ..similar import visible_cases
from .bookmarks import officer_profile_required

#: Trainers, legal reviewers and administrators.
feedback_staff_required = role_required(roles.TRAINER, roles.LEGAL_REVIEWER)
#: The case page's anchor of the feedback box.
ANCHOR = "#case-feedback"


def _rate():
    return getattr(settings, "CASE_FEEDBACK_RATE_LIMIT", "5/m")


@require_POST
@officer_profile_required
def submit(request, pk):
    """Send feedback on a case the officer may open (casebank.similar.visible_cases). Too many in a minute (CASE_FEEDBACK_RATE_LIMIT, counted per
    account in the shared cache) or a day (case_feedback.DAILY_LIMIT) is refused with a message;
    a refused form comes back with what was typed."""
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    kind, text = request.POST.get("kind", ""), request.POST.get("text", "")
    status = 400
    if ratelimit.hit("case_feedback", f"user:{request.user.pk}", _rate()):
        errors, status = [_("提交过于频繁，请稍后再试。")], 429
    else:
        try:
            case_feedback.submit(request.officer, case, kind, text)
        except case_feedback.FeedbackError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已收到您的反馈，教官处理后会在“消息”中回复您。"))
            return redirect(case.url + ANCHOR)
    response = render(request, "casebank/feedback_error.html", {
        "case": case, "errors": errors, "kind": kind, "text": text, "kinds": CaseFeedbackKind.choices,
        "text_max": case_feedback.TEXT_MAX,
    }, status=status)
    if status == 429:
        response["Retry-After"] = str(ratelimit.parse_rate(_rate())[1])
    return response


@feedback_staff_required
def queue(request):
    """The feedback of the officers within the viewer's scope; open ones first, oldest first."""
    qs, status = desk.listing(case_feedback.for_staff(request.user), request.GET.get("status"),
                              CaseFeedbackStatus.values, CaseFeedbackStatus.OPEN)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "casebank/feedback_queue.html", {
        "page": page, "status": status, "statuses": CaseFeedbackStatus.choices,
        "n_open": case_feedback.open_count(request.user),
    })


@feedback_staff_required
def resolve(request, pk):
    """One piece of feedback: its case and text, and (while open) the reply form."""
    item = case_feedback.for_staff(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    errors = []
    if request.method == "POST":
        try:
            case_feedback.resolve(item, request.POST.get("status", ""), request.POST.get("reply", ""), request.user,
                                  link=item.case.url + ANCHOR if item.case.live else "")
        except case_feedback.FeedbackError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已回复反馈人。"))
            nxt = case_feedback.open_feedback(request.user).first()
            return redirect("casebank:case_feedback_resolve", pk=nxt.pk) if nxt else redirect("casebank:case_feedback")
    return render(request, "casebank/feedback_resolve.html", {
        "item": item, "errors": errors,
        "statuses": [c for c in CaseFeedbackStatus.choices if c[0] != CaseFeedbackStatus.OPEN],
        "reply": request.POST.get("reply", item.reply), "chosen": request.POST.get("status", ""),
        "text_max": case_feedback.TEXT_MAX,
    }, status=400 if errors else 200)
