"""Case bank pages: the index with facets, and the case page (served by Wagtail)."""
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..models import CaseLegalBasis, CasePage, DiscretionLevel, DutyArea, EnforcementMeasure

#: Facets of the case index: URL parameter → (lookup, label).
FACETS = {
    "area": "duty_areas__code",
    "measure": "measures__code",
    "level": "discretion_level__name",
    "year": "decision_year",
    "district": "district",
    "tag": "tagged_items__tag__name",
}
PER_PAGE = 20


def _apply(qs, filters, skip=None):
    for key, value in filters.items():
        if key != skip and value:
            qs = qs.filter(**{FACETS[key]: value})
    return qs


def _counts(base, filters, key):
    qs = _apply(base, filters, skip=key)
    lookup = FACETS[key]
    rows = (qs.exclude(**{f"{lookup}__isnull": True}).order_by().values_list(lookup)
            .annotate(n=Count("id", distinct=True)))
    return {value: n for value, n in rows if value not in ("", None)}


def case_index(request, index_page):
    """Live cases under the index, filtered by duty area, measure, discretion level, year, district, tag."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    base = CasePage.objects.live().descendant_of(index_page)
    filters = {key: (request.GET.get(key) or "").strip()[:60] for key in FACETS}
    if filters["year"] and not filters["year"].isdigit():
        filters["year"] = ""
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        from django.db.models import Q

        base = base.filter(Q(title__icontains=q) | Q(case_number__icontains=q) | Q(violation_type__icontains=q))
    qs = _apply(base, filters).distinct()
    area_counts = _counts(base, filters, "area")
    measure_counts = _counts(base, filters, "measure")
    facets = {
        "area": [(a.code, a.name, area_counts.get(a.code, 0)) for a in DutyArea.objects.filter(kind=DutyArea.AREA)],
        "measure": [(m.code, m.name, measure_counts[m.code]) for m in EnforcementMeasure.objects.all()
                    if m.code in measure_counts],
        "level": sorted(((k, k, n) for k, n in _counts(base, filters, "level").items()),
                        key=lambda x: _level_rank(x[0])),
        "year": sorted(((str(k), str(k), n) for k, n in _counts(base, filters, "year").items()), reverse=True),
        "district": sorted((k, k, n) for k, n in _counts(base, filters, "district").items()),
        "tag": sorted(((k, k, n) for k, n in _counts(base, filters, "tag").items()), key=lambda x: (-x[2], x[0]))[:30],
    }
    labels = {"area": _("职责领域"), "measure": _("执法措施"), "level": _("裁量等级"), "year": _("年份"),
              "district": _("区域"), "tag": _("标签")}
    qs = qs.prefetch_related("duty_areas", "measures").select_related("discretion_level").order_by(
        "-decision_date", "-pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "casebank/case_index_page.html", {
        "page": index_page, "self": index_page, "cases": page, "filters": filters, "q": q,
        "facets": [(key, labels[key], facets[key]) for key in FACETS],
        "active": any(filters.values()) or bool(q), "total": page.paginator.count,
    })


LEVEL_ORDER = ["免罚", "不予处罚", "轻微", "较轻", "一般", "较重", "严重", "特别严重"]


def _level_rank(name):
    for i, word in enumerate(LEVEL_ORDER):
        if word in name:
            return (i, name)
    return (len(LEVEL_ORDER), name)


def case_detail(request, page):
    """A live case: public cases for everyone, the others for logged-in users."""
    if not page.is_public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    basis = CaseLegalBasis.objects.filter(page=page).select_related("article__law__successor").order_by("sort_order")
    related = [link.related for link in page.related_links.select_related("related").all() if link.related.live]
    level = None
    if page.discretion_level_id:
        level = DiscretionLevel.objects.select_related("benchmark").filter(pk=page.discretion_level_id).first()
    return TemplateResponse(request, "casebank/case_page.html", {
        "page": page, "self": page, "basis": basis, "related": related, "level": level,
        "steps": page.procedure_steps.all(), "tags": page.tags.all(),
        "power_items": page.power_items.all(), "duty_areas": page.duty_areas.all(),
        "measures": page.measures.all(),
        "questions": [q for q in (page.discussion_questions or "").splitlines() if q.strip()],
    })
