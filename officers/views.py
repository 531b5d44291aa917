"""Login/logout and the people views (list, record, hours ledger)."""
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.params import from_param

from . import hours as hours_service
from . import hours_rules, roles
from .forms import LoginForm, ManualHoursForm, PersonnelCategoryForm, ReverseHoursForm, TrainingTierForm
from .models import TIER_CHOICES, TIER_LABELS, Officer, Unit
from .roles import role_required
from .scoping import get_visible_officer_or_404, own_profile, visible_officers, visible_units


class LoginView(auth_views.LoginView):
    template_name = "officers/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@role_required(roles.HR)
def officer_list(request):
    """Officers in the viewer's scope, filterable by unit, training tier and name."""
    qs = visible_officers(request.user).select_related("unit")
    units = visible_units(request.user)
    unit_id = request.GET.get("unit") or ""
    q = (request.GET.get("q") or "").strip()
    tier = request.GET.get("tier") or ""
    if tier == "none":
        qs = qs.filter(training_tier="")
    elif tier in TIER_LABELS:
        qs = qs.filter(training_tier=tier)
    else:
        tier = ""
    if unit_id:
        unit = from_param(units, unit_id)
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(employee_number__icontains=q) | Q(certificate_number__icontains=q))
    year = timezone.localdate().year
    qs = qs.annotate(year_hours=Sum("hours__hours", filter=Q(hours__year=year)))
    page = Paginator(qs.order_by("unit__path", "employee_number"), 50).get_page(request.GET.get("page"))
    return render(request, "officers/officer_list.html", {
        "page": page, "units": units, "unit_id": unit_id, "q": q, "year": year,
        "total": page.paginator.count, "tier": tier, "tiers": TIER_CHOICES,
    })


@login_required
def officer_detail(request, pk):
    """An officer's record: profile, hours ledger and recent audit entries."""
    officer = get_visible_officer_or_404(request.user, pk)
    is_hr = roles.has_role(request.user, roles.HR)
    year = timezone.localdate().year
    entries = officer.hours.select_related("created_by", "reversed_by", "category").order_by("-date", "-id")[:200]
    totals = officer.hours.values("year").annotate(total=Sum("hours")).order_by("-year")
    audit_entries = officer.audit_entries.all()[:50] if is_hr else []
    return render(request, "officers/officer_detail.html", {
        "officer": officer, "entries": entries, "totals": totals, "year": year, "is_hr": is_hr,
        "hours_figures": hours_rules.officer_figures(officer, year),
        "audit_entries": audit_entries, "manual_form": ManualHoursForm(initial={"date": timezone.localdate()}),
        "reverse_form": ReverseHoursForm(), "tier_form": TrainingTierForm(instance=officer) if is_hr else None,
        "category_form": PersonnelCategoryForm(instance=officer) if is_hr else None,
    })


@require_POST
@role_required(roles.HR)
def hours_add(request, pk):
    officer = get_visible_officer_or_404(request.user, pk)
    form = ManualHoursForm(request.POST)
    if form.is_valid():
        try:
            hours_service.add_manual(officer, form.cleaned_data["hours"], reason=form.cleaned_data["reason"],
                                     actor=request.user, date=form.cleaned_data["date"], request=request,
                                     category=form.cleaned_data["category"], mode=form.cleaned_data["mode"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已录入学时。"))
            return redirect(officer.get_absolute_url() + "#hours")
    else:
        messages.error(request, _("录入失败：%(e)s") % {"e": "; ".join(
            f"{form.fields[f].label}: {' '.join(errs)}" if f in form.fields else " ".join(errs)
            for f, errs in form.errors.items())})
    return redirect(officer.get_absolute_url() + "#hours")


@require_POST
@role_required(roles.HR)
def hours_reverse(request, pk, entry_id):
    officer = get_visible_officer_or_404(request.user, pk)
    entry = get_object_or_404(officer.hours, pk=entry_id)
    form = ReverseHoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("冲销须填写原因。"))
    else:
        try:
            hours_service.reverse(entry, reason=form.cleaned_data["reason"], actor=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已冲销。"))
    return redirect(officer.get_absolute_url() + "#hours")


@login_required
def my_profile(request):
    """The signed-in user's own record."""
    profile = own_profile(request.user)
    if profile is None:
        return render(request, "officers/no_profile.html", status=200)
    return officer_detail(request, profile.pk)


@role_required(roles.HR)
def unit_overview(request):
    """Units in scope with their officer counts (one query)."""
    units = visible_units(request.user).annotate(
        n_officers=Count("officers", filter=Q(officers__is_active=True)))
    return render(request, "officers/unit_overview.html", {"units": units, "unit_model": Unit,
                                                           "officer_model": Officer})
