"""HR views of qualifications and certificates, and the officer's own 我的资格.

Every query about people starts from officers.scoping (through hr_lists); an
id outside the viewer's scope answers 404, exactly like an id that does not exist.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.params import from_param

from . import audit, exports, hours_rules, hr_lists, qualifications, roles
from . import certificates as cert_service
from .forms import PersonnelCategoryForm, TrainingTierForm
from .forms_qualifications import ReasonForm
from .models import Certificate, HoursCategory, Officer, QualificationRecord, QualificationType
from .roles import role_required
from .scoping import own_profile, visible_officers, visible_units

PAGE_SIZE = 50
PREVIEW_SIZE = 8


def _category(request):
    """The personnel category filter ("" for all)."""
    category = request.GET.get("category") or ""
    return category if category in dict(hr_lists.CATEGORY_FILTERS) else ""


def _filters(request):
    qtype = hr_lists.base_type(request.GET.get("type"))
    unit_id = request.GET.get("unit") or ""
    status = request.GET.get("status") or ""
    if status not in hr_lists.STATUS_FILTERS:
        status = ""
    return qtype, unit_id, status


def _category_filter(request):
    """The hours categories for the filter, and the one chosen (None: all)."""
    categories = list(HoursCategory.objects.all())
    code = request.GET.get("hours_category") or ""
    return categories, next((c for c in categories if c.code == code), None)


def _query_suffix(request, **overrides):
    params = request.GET.copy()
    for key, value in overrides.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("page", None)
    encoded = params.urlencode()
    return ("?" + encoded) if encoded else ""


@role_required(roles.HR)
def dashboard(request):
    """Counts by status and the short lists, within the HR user's unit subtree."""
    qtype, unit_id, status = _filters(request)
    category = _category(request)
    hours_categories, hours_category = _category_filter(request)
    today = timezone.localdate()
    ctx = {"qtype": qtype, "types": QualificationType.objects.filter(is_active=True),
           "units": visible_units(request.user), "unit_id": unit_id, "status": status, "today": today,
           "category": category, "categories": hr_lists.CATEGORY_FILTERS,
           "hours_categories": hours_categories, "hours_category": hours_category,
           "lists": hr_lists.LISTS, "status_filters": [(s, hr_lists.status_display(s))
                                                       for s in hr_lists.STATUS_FILTERS]}
    if qtype is None:
        return render(request, "officers/hr/dashboard.html", {**ctx, "no_types": True})
    counts = hr_lists.counts(request.user, qtype=qtype, unit_id=unit_id, today=today, category=category)
    failed = hr_lists.failed_count(request.user, qtype=qtype, unit_id=unit_id, category=category)
    previews = []
    for name in ("expiring_30", "expired", "review_overdue", "renewal_due", "short_hours", "failed_exam"):
        if name == "failed_exam" and failed is None:
            continue
        if name in ("review_overdue", "renewal_due") and not counts[name]:
            continue
        rows = list(hr_lists.records(request.user, qtype=qtype, list_name=name, unit_id=unit_id, status=status,
                                     today=today, category=category, hours_category=hours_category)[:PREVIEW_SIZE])
        n = failed if name == "failed_exam" else counts[name]
        previews.append({"name": name, "title": hr_lists.LISTS[name], "rows": _decorate(rows, today), "count": n})
    ctx.update(unit_chart=hr_lists.unit_chart(request.user, qtype=qtype, unit_id=unit_id, today=today))
    ctx.update(counts=counts, failed=failed, previews=previews, suffix=_query_suffix(request),
               status_counts=[(s, hr_lists.status_display(s), counts[s]) for s in hr_lists.STATUS_FILTERS])
    return render(request, "officers/hr/dashboard.html", ctx)


def _decorate(records, today):
    for rec in records:
        code = hr_lists.status_label(rec, today)
        rec.eval_status = code
        rec.eval_label = hr_lists.status_display(code)
        rec.eval_badge = qualifications.STATUS_BADGES.get(code, "badge-grey")
        rec.renewal_from = hr_lists.renewal_from(rec)
    return records


@role_required(roles.HR)
def record_list(request, name):
    """One list, paginated, with its exports."""
    if name not in hr_lists.LISTS:
        raise Http404
    qtype, unit_id, status = _filters(request)
    category = _category(request)
    if qtype is None:
        raise Http404
    hours_categories, hours_category = _category_filter(request)
    today = timezone.localdate()
    qs = hr_lists.records(request.user, qtype=qtype, list_name=name, unit_id=unit_id, status=status, today=today,
                          category=category, hours_category=hours_category)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(page.object_list, today)
    return render(request, "officers/hr/record_list.html", {
        "name": name, "title": hr_lists.LISTS[name], "page": page, "qtype": qtype, "unit_id": unit_id,
        "status": status, "units": visible_units(request.user), "types": QualificationType.objects.filter(
            is_active=True), "suffix": _query_suffix(request), "lists": hr_lists.LISTS,
        "status_filters": [(s, hr_lists.status_display(s)) for s in hr_lists.STATUS_FILTERS],
        "category": category, "categories": hr_lists.CATEGORY_FILTERS,
        "hours_categories": hours_categories, "hours_category": hours_category,
    })


@role_required(roles.HR)
def record_export(request, name, fmt):
    """Any list as CSV or XLSX, within scope."""
    if name not in hr_lists.LISTS or fmt not in ("csv", "xlsx"):
        raise Http404
    qtype, unit_id, status = _filters(request)
    if qtype is None:
        raise Http404
    hours_categories, hours_category = _category_filter(request)
    qs = hr_lists.records(request.user, qtype=qtype, list_name=name, unit_id=unit_id, status=status,
                          category=_category(request), hours_category=hours_category)
    filename = f"{hr_lists.LISTS[name]}_{timezone.localdate():%Y%m%d}.{fmt}"
    return exports.spreadsheet(fmt, filename, hr_lists.LISTS[name], exports.list_header(hours_categories),
                               exports.list_rows(qs, categories=hours_categories))


#: The earliest year the annual report is made for.
REPORT_FIRST_YEAR = 2000


@role_required(roles.HR)
def annual_report(request):
    """年度培训考核汇总 for a unit subtree in scope, as a page, XLSX or PDF."""
    units = visible_units(request.user)
    unit_id = request.GET.get("unit") or ""
    unit = from_param(units, unit_id)
    if unit is None:
        unit = units.order_by("depth", "path").first()
    if unit is None:
        raise Http404
    this_year = timezone.localdate().year
    year = request.GET.get("year") or ""
    # junk or a year no record can fall in (a date could not even hold it): this year's report
    year = int(year) if year.isdecimal() and REPORT_FIRST_YEAR <= int(year) <= this_year + 1 else this_year
    qtype = hr_lists.base_type(request.GET.get("type"))
    if qtype is None:
        raise Http404
    officers = hr_lists.scoped_officers(request.user, unit.pk)
    fmt = request.GET.get("format") or ""
    categories = list(HoursCategory.objects.all())
    header = exports.report_header(year, qtype, categories)
    title = _("%(year)s 年度培训考核汇总") % {"year": year}
    if fmt in ("xlsx", "pdf", "csv"):
        rows = exports.report_rows(officers, qtype, year, categories)
        filename = f"{year}_{unit.name}_年度培训考核汇总.{fmt}"
        if fmt in ("xlsx", "csv"):
            return exports.spreadsheet(fmt, filename, str(year), header, rows)
        subtitle = _("单位：%(unit)s　资格：%(type)s　生成时间：%(now)s") % {
            "unit": unit.full_name, "type": qtype.display_name, "now": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
        pdf = exports.report_pdf(f"{unit.name} {title}", subtitle, header, rows)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    page = Paginator(officers.order_by("unit__path", "employee_number"), 200)
    return render(request, "officers/hr/annual_report.html", {
        "unit": unit, "units": units, "year": year, "title": title, "header": exports.header_titles(header),
        "qtype": qtype,
        "rows": [[exports.display(c) for c in row] for row in exports.report_rows(officers.filter(pk__in=[
            o.pk for o in page.get_page(request.GET.get("page")).object_list]), qtype, year, categories)],
        "n_officers": page.count, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    })


def _record_in_scope(user, pk):
    """A qualification record whose officer the user may see; 404 otherwise."""
    return get_object_or_404(
        QualificationRecord.objects.select_related("officer", "officer__unit", "qualification_type"),
        pk=pk, officer__in=visible_officers(user).values("pk"))


ACTIONS = {
    "suspend": (_("暂扣资格"), qualifications.suspend),
    "revoke": (_("取消资格"), qualifications.revoke),
    "reinstate": (_("恢复资格"), qualifications.reinstate),
    "grant": (_("授予资格"), None),
}


@role_required(roles.HR)
@require_http_methods(["GET", "POST"])
def record_action(request, pk, action):
    """Suspend, revoke, reinstate or grant, always with a written reason."""
    if action not in ACTIONS:
        raise Http404
    rec = _record_in_scope(request.user, pk)
    title, fn = ACTIONS[action]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if action == "grant":
                qualifications.hr_grant(rec, actor=request.user, reason=form.cleaned_data["reason"],
                                        request=request)
            else:
                fn(rec, actor=request.user, reason=form.cleaned_data["reason"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已%(action)s：%(name)s") % {"action": title, "name": rec.officer.full_name})
            return redirect(rec.officer.get_absolute_url() + "#qualifications")
    status = 400 if request.method == "POST" else 200
    return render(request, "officers/hr/record_action.html", {"rec": rec, "form": form, "title": title,
                                                               "action": action}, status=status)


@role_required(roles.HR)
@require_http_methods(["GET", "POST"])
def certificate_reissue(request, pk):
    cert = get_object_or_404(Certificate.objects.select_related("officer"), pk=pk,
                             officer__in=visible_officers(request.user).values("pk"))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = cert_service.reissue(cert, actor=request.user, reason=form.cleaned_data["reason"],
                                       request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已换发证书 %(n)s。") % {"n": new.number})
            return redirect(cert.officer.get_absolute_url() + "#certificates")
    return render(request, "officers/hr/record_action.html", {
        "cert": cert, "form": form, "title": _("换发证书"), "action": "reissue"},
        status=400 if request.method == "POST" else 200)


@role_required(roles.HR)
def certificates_zip(request):
    """All certificates of the scope (optionally a unit and a status) as one
    streamed ZIP: memory stays flat for 10,000 certificates."""
    unit_id = request.GET.get("unit") or ""
    officers = hr_lists.scoped_officers(request.user, unit_id) if unit_id else visible_officers(request.user)
    qs = Certificate.objects.filter(officer__in=officers.values("pk")).order_by("pk")
    status = request.GET.get("status") or ""
    if status:
        qs = qs.filter(status=status)
    response = StreamingHttpResponse(cert_service.stream_zip(qs, request), content_type="application/zip")
    name = f"certificates_{timezone.localdate():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def certificate_pdf(request, pk):
    """A certificate's PDF: for its holder, and for HR whose scope includes the holder."""
    cert = Certificate.objects.filter(pk=pk, officer__in=visible_officers(request.user).values("pk")).first()
    if cert is None:
        raise Http404
    profile = own_profile(request.user)
    if not (roles.has_role(request.user, roles.HR) or (profile is not None and cert.officer_id == profile.pk)):
        raise Http404
    pdf = cert_service.render_pdf(cert, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if request.GET.get("inline") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{cert_service.pdf_filename(cert)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_qualification(request):
    """我的资格: status, what the next annual review still needs, certificates."""
    profile = own_profile(request.user)
    if profile is None:
        return render(request, "officers/no_profile.html")
    evaluations = qualifications.attach_next_steps(qualifications.evaluate_all(profile, apply=False), profile)
    certs = profile.certificates.select_related("replaces").order_by("-issued_at", "-id")
    return render(request, "officers/hr/my_qualification.html", {
        "officer": profile, "evaluations": evaluations, "certificates": certs,
        "hours_figures": hours_rules.officer_figures(profile, timezone.localdate().year),
        "required_hours": qualifications.required_hours(profile, timezone.localdate().year),
        "year": timezone.localdate().year,
    })


@require_POST
@role_required(roles.HR)
def officer_tier(request, pk):
    """Record an officer's training tier (HR, within scope); audited."""
    officer = get_object_or_404(visible_officers(request.user), pk=pk)
    before = officer.training_tier
    form = TrainingTierForm(request.POST, instance=officer)
    if not form.is_valid():
        messages.error(request, _("培训层级无效。"))
    elif form.cleaned_data["training_tier"] != before:
        form.save()
        audit.record("officer.training_tier", request=request, officer=officer, obj=officer,
                     before={"training_tier": before}, after={"training_tier": officer.training_tier})
        messages.success(request, _("已将 %(name)s 的培训层级设为：%(tier)s") % {
            "name": officer.full_name, "tier": officer.get_training_tier_display() or _("未登记")})
    return redirect(officer.get_absolute_url())


@require_POST
@role_required(roles.HR)
def officer_category(request, pk):
    """Record whether a person is a 执法人员 or a 辅助执法人员 (HR, within scope); audited,
    and the person is evaluated at once against the types of the new category."""
    officer = get_object_or_404(visible_officers(request.user), pk=pk)
    before = officer.personnel_category
    form = PersonnelCategoryForm(request.POST, instance=officer)
    if not form.is_valid():
        messages.error(request, _("人员类别无效。"))
    elif form.cleaned_data["personnel_category"] != before:
        form.save()
        audit.record("officer.personnel_category", request=request, officer=officer, obj=officer,
                     before={"personnel_category": before}, after={"personnel_category": officer.personnel_category})
        qualifications.evaluate_all(officer)
        messages.success(request, _("已将 %(name)s 的人员类别设为：%(category)s") % {
            "name": officer.full_name, "category": officer.get_personnel_category_display()})
    return redirect(officer.get_absolute_url())


@require_POST
@role_required(roles.HR)
def evaluate_officer(request, pk):
    """Re-run the rules for one officer now (HR button on the record page)."""
    officer = get_object_or_404(visible_officers(request.user), pk=pk)
    qualifications.evaluate_all(officer)
    messages.success(request, _("已重新评估资格。"))
    return redirect(officer.get_absolute_url() + "#qualifications")


__all__ = ["dashboard", "record_list", "record_export", "annual_report", "record_action", "certificates_zip",
           "certificate_pdf", "my_qualification", "officer_tier", "Officer"]
