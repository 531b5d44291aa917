"""Trainer desk: the queue of error reports on questions (题目纠错) and their replies."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import desk

from .. import reports
from ..access import trainer_required
from ..models import ReportStatus


@trainer_required
def queue(request):
    qs, status = desk.listing(reports.for_trainer(request.user), request.GET.get("status"), ReportStatus.values,
                              ReportStatus.OPEN)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "exams/report_queue.html", {
        "page": page, "status": status, "statuses": ReportStatus.choices,
        "n_open": reports.open_count(request.user),
    })


@trainer_required
def resolve(request, pk):
    report = reports.for_trainer(request.user).select_related("version").filter(pk=pk).first()
    if report is None:
        raise Http404
    errors = []
    if request.method == "POST":
        try:
            reports.resolve(report, request.POST.get("status", ""), request.POST.get("reply", ""), request.user)
        except reports.ReportError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已回复报告人。"))
            nxt = reports.open_reports(request.user).first()
            return redirect("exams:report_resolve", pk=nxt.pk) if nxt else redirect("exams:reports")
    return render(request, "exams/report_resolve.html", {
        "report": report, "errors": errors, "statuses": [c for c in ReportStatus.choices if c[0] != ReportStatus.OPEN],
        "reply": request.POST.get("reply", report.reply), "chosen": request.POST.get("status", ""),
        "seen": (report.version.content if report.version_id else None),
    }, status=400 if errors else 200)
