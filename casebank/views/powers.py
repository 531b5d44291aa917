"""Power list (权力清单) and discretion benchmarks (裁量基准): staff views behind
the login and public, read-only, printable views (行政处罚法 第三十四条、第三十九条)."""
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from .. import domain
from ..models import (
    CasePage,
    DiscretionBenchmark,
    DiscretionBenchmarkBasis,
    DiscretionLevel,
    DutyArea,
    PowerItem,
    PowerItemBasis,
)


def _power_queryset(request):
    q = (request.GET.get("q") or "").strip()[:100]
    ptype = request.GET.get("type") or ""
    area = request.GET.get("area") or ""
    qs = PowerItem.objects.prefetch_related("duty_areas")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if area:
        qs = qs.filter(duty_areas__code=area)
    type_counts = dict(qs.values_list("power_type").annotate(n=Count("id", distinct=True)).values_list("power_type", "n"))
    if ptype in domain.PowerType.values:
        qs = qs.filter(power_type=ptype)
    return qs.distinct(), {
        "q": q, "type": ptype, "area": area,
        "type_choices": [(c, label, type_counts.get(c, 0)) for c, label in domain.PowerType.choices],
        "areas": DutyArea.objects.filter(kind=DutyArea.AREA),
    }


def _power_list(request, public):
    qs, ctx = _power_queryset(request)
    ctx.update({"items": qs, "public": public})
    return render(request, "casebank/power_list.html", ctx)


def _power_detail(request, code, public):
    basis_qs = PowerItemBasis.objects.select_related("article__law").order_by("sort_order")
    item = get_object_or_404(
        PowerItem.objects.prefetch_related("duty_areas", Prefetch("basis", queryset=basis_qs)), code=code)
    benchmarks = item.benchmarks.prefetch_related("levels")
    cases = CasePage.objects.live().filter(power_items=item)
    if public:
        cases = cases.filter(is_public=True)
    cases = cases.order_by("-decision_date")[:50]
    return render(request, "casebank/power_detail.html", {
        "item": item, "benchmarks": benchmarks, "cases": cases, "public": public})


def _benchmark_list(request, public):
    area = request.GET.get("area") or ""
    q = (request.GET.get("q") or "").strip()[:100]
    basis_qs = DiscretionBenchmarkBasis.objects.select_related("article__law").order_by("sort_order")
    qs = DiscretionBenchmark.objects.select_related("duty_area", "power_item").prefetch_related(
        "levels", Prefetch("basis", queryset=basis_qs))
    if q:
        qs = qs.filter(Q(violation__icontains=q) | Q(code__icontains=q))
    counts = dict(qs.values_list("duty_area__code").annotate(n=Count("id")).values_list("duty_area__code", "n"))
    if area:
        qs = qs.filter(duty_area__code=area)
    areas = [(a, counts.get(a.code, 0)) for a in DutyArea.objects.filter(kind=DutyArea.AREA)]
    benchmarks = list(qs)
    # On a phone each benchmark is folded to its title; the one a search names (its code, or the
    # only one left) comes open. A #bm-… or #level-… link opens its own (the browser unfolds it).
    opened = {bm.pk for bm in benchmarks if len(benchmarks) == 1 or (q and bm.code.lower() == q.lower())}
    return render(request, "casebank/benchmark_list.html", {
        "benchmarks": benchmarks, "opened": opened, "areas": areas, "area": area, "q": q, "public": public})


def _benchmark_detail(request, code, public):
    bm = get_object_or_404(
        DiscretionBenchmark.objects.select_related("duty_area", "power_item").prefetch_related(
            Prefetch("levels", queryset=DiscretionLevel.objects.order_by("sort_order")),
            "basis__article__law"),
        code=code)
    cases = CasePage.objects.live().filter(discretion_level__benchmark=bm).select_related("discretion_level")
    if public:
        cases = cases.filter(is_public=True)
    return render(request, "casebank/benchmark_detail.html", {
        "bm": bm, "public": public, "cases": cases.order_by("-decision_date")[:50]})


@login_required
def power_list(request):
    return _power_list(request, public=False)


@login_required
def power_detail(request, code):
    return _power_detail(request, code, public=False)


@login_required
def benchmark_list(request):
    return _benchmark_list(request, public=False)


@login_required
def benchmark_detail(request, code):
    return _benchmark_detail(request, code, public=False)


def public_power_list(request):
    return _power_list(request, public=True)


def public_power_detail(request, code):
    return _power_detail(request, code, public=True)


def public_benchmark_list(request):
    return _benchmark_list(request, public=True)


def public_benchmark_detail(request, code):
    return _benchmark_detail(request, code, public=True)
