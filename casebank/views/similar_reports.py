"""类案检索报告: the officer's list and report page, the trainer's assignments, progress and marking.

Every button of the officer's report page posts the whole form, so whatever was typed is saved
(or, when a text is too long, shown again) before the chosen action: add or remove a case,
search, save, submit."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from officers import roles
from officers.roles import role_required
from officers.scoping import own_profile, visible_officers

from .. import similar_reports as reports
from ..casework import ReportStatus
from ..casework_forms import ComparisonForm, MarkForm, ReportAssignmentForm, SummaryForm
from ..models import CasePage
from ..similar import similar_cases, visible_cases

trainer_required = role_required(roles.TRAINER)
officer_required = role_required(roles.OFFICER)
#: Results of the case search on the report page.
SEARCH_LIMIT = 10


def _officer(request):
    officer = own_profile(request.user)
    if officer is None:
        raise PermissionDenied
    return officer


@officer_required
def my_reports(request):
    """我的类案检索报告: the assignments that target the officer, with their report's state."""
    rows = reports.officer_rows(_officer(request))
    return render(request, "casebank/similar/my_reports.html", {"rows": rows, "today": timezone.localdate()})


def search_cases(user, q, exclude=()):
    """Published cases the user may open matching ``q`` in title, case number or violation type."""
    q = (q or "").strip()[:60]
    if not q:
        return []
    qs = visible_cases(user).filter(Q(title__icontains=q) | Q(case_number__icontains=q)
                                    | Q(violation_type__icontains=q)).exclude(pk__in=list(exclude))
    return list(qs.only("pk", "title", "url_path", "decision_date", "district", "case_number")
                .order_by("-decision_date", "-pk")[:SEARCH_LIMIT])


@officer_required
def write(request, pk):
    """The officer's report on one assignment: pick similar cases, compare, save or submit."""
    officer = _officer(request)
    assignment = reports.assignments_for(officer).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    report = reports.start(officer, assignment)
    comparisons = list(report.comparisons.select_related("case"))
    errors = []
    q = (request.GET.get("q") or "").strip()[:60]
    editable = report.status == ReportStatus.DRAFT
    forms = {c.pk: ComparisonForm(prefix=f"c{c.pk}", initial={n: getattr(c, n) for n in reports.COMPARISON_FIELDS})
             for c in comparisons}
    summary_form = SummaryForm(initial={"summary": report.summary})
    if request.method == "POST":
        if not editable:
            messages.error(request, _("报告已提交，不能再修改。"))
            return redirect("casebank:report_write", pk=assignment.pk)
        forms = {c.pk: ComparisonForm(request.POST, prefix=f"c{c.pk}") for c in comparisons}
        summary_form = SummaryForm(request.POST)
        q = (request.POST.get("q") or "").strip()[:60]
        if all(f.is_valid() for f in forms.values()) and summary_form.is_valid():
            result = _apply(request, report, forms, summary_form, q)
            if isinstance(result, list):
                errors = result
            else:
                return result
        else:
            errors = [_("有内容超过字数限制，请按提示修改后再保存（已填写的内容保留在下方）。")]
    picked = [c.case_id for c in comparisons]
    exclude = [*picked, assignment.case_id]
    suggested = [s for s in similar_cases(assignment.case, request.user, limit=8) if s.case.pk not in exclude][:5] \
        if editable else []
    return render(request, "casebank/similar/write.html", {
        "assignment": assignment, "report": report, "editable": editable, "errors": errors, "q": q,
        "rows": [(c, forms[c.pk]) for c in comparisons], "summary_form": summary_form,
        "results": search_cases(request.user, q, exclude) if editable else [], "suggested": suggested,
        "today": timezone.localdate(),
    }, status=400 if errors else 200)


def _apply(request, report, forms, summary_form, q):
    """Save the typed texts, then do what the pressed button asks. A redirect, or a list of errors."""
    texts = {pk: f.cleaned_data for pk, f in forms.items()}
    here = reverse("casebank:report_write", args=[report.assignment_id])
    try:
        reports.save_texts(report, summary_form.cleaned_data["summary"], texts)
        if request.POST.get("add"):
            added = reports.add_case(report, request.POST["add"], request.user)
            messages.success(request, _("已添加类案“%(title)s”，请填写比对。") % {"title": added.case.title})
            return redirect(f"{here}#comparison-{added.pk}")
        if request.POST.get("remove"):
            reports.remove_case(report, request.POST["remove"])
            messages.success(request, _("已移除该类案。"))
        elif request.POST.get("action") == "search":
            return redirect(f"{here}?{urlencode({'q': q})}#add-cases" if q else here)
        elif request.POST.get("action") == "submit":
            reports.submit(report)
            messages.success(request, _("报告已提交，等待教官批阅。"))
            return redirect("casebank:my_reports")
        else:
            messages.success(request, _("草稿已保存。"))
    except reports.ReportError as exc:
        return exc.messages
    return redirect(f"{here}?{urlencode({'q': q})}" if q else here)


# --- Trainers ------------------------------------------------------------------------------


@trainer_required
def manage(request):
    """The report assignments of the units in the trainer's scope, with what awaits marking."""
    mine = Q(reports__officer__in=visible_officers(request.user))
    assignments = (reports.managed_assignments(request.user)
                   .annotate(n_submitted=Count("reports", filter=mine & Q(reports__status=ReportStatus.SUBMITTED)),
                             n_marked=Count("reports", filter=mine & Q(reports__status=ReportStatus.MARKED)))
                   .order_by("-due_date", "-pk")[:200])
    return render(request, "casebank/similar/manage.html", {"assignments": assignments,
                                                            "today": timezone.localdate()})


@trainer_required
def assign(request, case_id):
    """布置类案检索报告 on a published case."""
    case = get_object_or_404(CasePage.objects.live(), pk=case_id)
    form = ReportAssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        assignment = form.save(commit=False)
        assignment.case = case
        assignment.assigned_by = request.user
        assignment.save()
        messages.success(request, _("已布置类案检索报告。"))
        return redirect("casebank:report_assignment", pk=assignment.pk)
    return render(request, "casebank/similar/assign.html", {"case": case, "form": form},
                  status=400 if form.errors else 200)


@trainer_required
def assignment_detail(request, pk):
    """One assignment: the reports of the officers in the trainer's scope."""
    assignment = reports.managed_assignments(request.user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    rows, targeted = reports.assignment_progress(assignment, request.user)
    return render(request, "casebank/similar/assignment.html", {
        "assignment": assignment, "rows": rows, "targeted": targeted,
        "n_started": len(rows), "n_submitted": sum(r.status != ReportStatus.DRAFT for r in rows)})


@trainer_required
def mark(request, pk):
    """Read a submitted report and mark it (score and comment)."""
    report = reports.reports_for_trainer(request.user).exclude(status=ReportStatus.DRAFT).filter(pk=pk).first()
    if report is None:
        raise Http404
    initial = {"score": report.score, "comment": report.comment} if report.status == ReportStatus.MARKED else None
    form = MarkForm(request.POST or None, initial=initial)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            reports.mark(report, form.cleaned_data["score"], form.cleaned_data["comment"], request.user)
        except reports.ReportError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已批阅：%(name)s，%(score)s 分。") % {
                "name": report.officer.full_name, "score": report.score})
            return redirect("casebank:report_assignment", pk=report.assignment_id)
    return render(request, "casebank/similar/mark.html", {
        "report": report, "assignment": report.assignment, "form": form, "errors": errors,
        "comparisons": report.comparisons.select_related("case"),
    }, status=400 if (errors or form.errors) else 200)
