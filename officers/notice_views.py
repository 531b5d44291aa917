"""消息 (the officer's notices) and HR's list of citizens' 投诉/表扬."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import feedback, notices, roles
from .models import FeedbackKind, Notice
from .roles import role_required
from .scoping import own_profile

PAGE_SIZE = 30


def _own_notices(request):
    profile = own_profile(request.user)
    if profile is None:
        raise Http404
    return Notice.objects.filter(officer=profile)


@login_required
def notice_list(request):
    """The signed-in officer's notices, newest first."""
    qs = _own_notices(request)
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "officers/notices/list.html", {
        "page": page, "n_unread": qs.filter(read_at__isnull=True).count(),
    })


@login_required
def notice_detail(request, pk):
    """One notice of the officer's own (another's answers 404); opening it marks it read."""
    notice = _own_notices(request).filter(pk=pk).first()
    if notice is None:
        raise Http404
    if notice.read_at is None:
        notices.mark_read(Notice.objects.filter(pk=notice.pk))
    return render(request, "officers/notices/detail.html", {"notice": notice})


@require_POST
@login_required
def notice_read_all(request):
    n = notices.mark_read(_own_notices(request))
    messages.success(request, ngettext("已将 %(n)s 条消息标为已读。", "已将 %(n)s 条消息标为已读。", n) % {"n": n})
    return redirect("officers:notices")


@role_required(roles.HR)
def feedback_list(request):
    """Citizens' 投诉/表扬 about the officers in the viewer's scope."""
    qs = feedback.visible_feedback(request.user)
    kind = request.GET.get("kind") or ""
    if kind in FeedbackKind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    if request.GET.get("open"):
        qs = qs.filter(handled_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "officers/hr/feedback_list.html", {
        "page": page, "kind": kind, "kinds": FeedbackKind.choices, "open": bool(request.GET.get("open")),
    })


@require_POST
@role_required(roles.HR)
def feedback_handled(request, pk):
    item = feedback.visible_feedback(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    feedback.mark_handled(item, request.user)
    messages.success(request, _("已标记为已处理。"))
    nxt = request.POST.get("next") or ""
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect(item.officer.get_absolute_url() + "#card-feedback")


