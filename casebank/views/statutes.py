"""Statute library: the index by 效力级别 and region, the law page with its versions (法规变迁),
the comparison of two versions (对照), and the article page with what cites it (法条联想)."""
from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .. import references, versions
from ..models import Article, Law

PER_PAGE = 50
#: The value of the level filter for laws without a level.
NO_LEVEL = "-"


def _level_rank():
    return Case(*[When(level=code, then=Value(n)) for code, n in Law.LEVEL_ORDER.items()],
                default=Value(len(Law.LEVEL_ORDER)), output_field=IntegerField())


def _home_rank():
    """0 for the bureau's city, 1 for its province's own regulations, 2 for the rest of its
    province, 3 for everything else: the bureau's local regulations come first."""
    province = getattr(settings, "ACADEMY_PROVINCE", "")
    city = getattr(settings, "ACADEMY_CITY", "")
    if not province:
        return Value(3, output_field=IntegerField())
    whens = []
    if city:
        whens.append(When(province=province, city=city, then=Value(0)))
    whens += [When(province=province, city="", then=Value(1)), When(province=province, then=Value(2))]
    return Case(*whens, default=Value(3), output_field=IntegerField())


def _region_tree(rows, province, city):
    """[(province, count, [(city, count)])] from (province, city, n) rows; the bureau's province and
    city first, then by count."""
    tree = {}
    for prov, cty, n in rows:
        entry = tree.setdefault(prov, {"n": 0, "cities": {}})
        entry["n"] += n
        if cty:
            entry["cities"][cty] = entry["cities"].get(cty, 0) + n
    home_province = getattr(settings, "ACADEMY_PROVINCE", "")
    home_city = getattr(settings, "ACADEMY_CITY", "")
    out = []
    for prov, entry in sorted(tree.items(), key=lambda kv: (kv[0] != home_province, -kv[1]["n"], kv[0])):
        cities = sorted(entry["cities"].items(), key=lambda kv: (kv[0] != home_city, -kv[1], kv[0]))
        out.append((prov, entry["n"], cities))
    return out


@login_required
def law_index(request):
    """The current version of every law and regulation, by 效力级别 and region, with counts for each
    filter value (computed with the other filters applied); older versions are on the law page."""
    q = (request.GET.get("q") or "").strip()[:100]
    status = request.GET.get("status") or ""
    level = request.GET.get("level") or ""
    province = (request.GET.get("province") or "").strip()[:20]
    city = (request.GET.get("city") or "").strip()[:30]
    kind = request.GET.get("kind") or ""
    if status not in Law.Status.values:
        status = ""
    if level not in Law.LEVEL_ORDER and level != NO_LEVEL:
        level = ""

    base = versions.current_versions()
    if q:
        base = base.filter(Q(full_name__icontains=q) | Q(short_name__icontains=q))
    if kind in ("national", "local"):
        base = base.filter(local=(kind == "local"))
    filters = {
        "status": Q(status=status) if status else Q(),
        "level": Q(level="") if level == NO_LEVEL else (Q(level=level) if level else Q()),
        "region": (Q(province=province) & (Q(city=city) if city else Q())) if province else Q(),
    }

    def without(name):
        qs = base
        for key, cond in filters.items():
            if key != name:
                qs = qs.filter(cond)
        return qs

    status_counts = dict(without("status").order_by().values_list("status").annotate(n=Count("id")))
    level_counts = dict(without("level").order_by().values_list("level").annotate(n=Count("id")))
    region_rows = (without("region").exclude(province="").order_by()
                   .values_list("province", "city").annotate(n=Count("id")))
    status_choices = [(code, label, status_counts.get(code, 0)) for code, label in Law.Status.choices]
    level_choices = [(code, label, level_counts[code]) for code, label in Law.Level.choices if level_counts.get(code)]
    if level_counts.get(""):
        level_choices.append((NO_LEVEL, _("未标注"), level_counts[""]))
    regions = _region_tree(region_rows, province, city)

    qs = without(None).select_related("successor").annotate(
        home=_home_rank(), level_rank=_level_rank()).order_by("home", "level_rank", "province", "city", "full_name")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "casebank/law_index.html", {
        "page": page, "q": q, "status": status, "kind": kind, "level": level, "province": province, "city": city,
        "status_choices": status_choices, "level_choices": level_choices, "regions": regions,
        "total": sum(status_counts.values()), "shown": page.paginator.count,
        "home_province": getattr(settings, "ACADEMY_PROVINCE", ""), "home_city": getattr(settings, "ACADEMY_CITY", ""),
    })


def _toc(articles):
    """[(chapter, [(section, first_anchor)], first_anchor)] in article order."""
    toc = []
    for chapter, arts in groupby(articles, key=lambda a: a.chapter):
        arts = list(arts)
        sections = []
        for section, sarts in groupby(arts, key=lambda a: a.section):
            sarts = list(sarts)
            if section:
                sections.append((section, sarts[0].anchor))
        if chapter:
            toc.append((chapter, sections, arts[0].anchor))
    return toc


def _law(law_id):
    return get_object_or_404(Law.objects.select_related("successor"), source_id=law_id)


@login_required
def law_detail(request, law_id):
    """One version of a law: its data, its versions (法规变迁) with a comparison form, its text."""
    law = _law(law_id)
    articles = list(law.articles.order_by("position"))
    all_versions = list(law.versions())
    current = versions.current_version_of(law) if len(all_versions) > 1 else law
    older = next((v for v in all_versions if v.version_date and law.version_date and v.version_date < law.version_date),
                 None)
    return render(request, "casebank/law_detail.html", {
        "law": law, "articles": articles, "toc": _toc(articles), "versions": all_versions,
        "current": current, "compare_a": older or next((v for v in all_versions if v.pk != law.pk), None),
        "predecessors": law.predecessors.order_by("full_name"),
    })


@login_required
def law_compare(request, law_id):
    """Two versions of one regulation side by side, article by article (对照), changes marked.
    ``?a=`` the older version's source id, ``?b=`` the newer one (default: this version and the one
    before it). A version of another regulation is refused with a message (400)."""
    law = _law(law_id)
    all_versions = list(law.versions())
    by_source = {v.source_id: v for v in all_versions}
    a_id = (request.GET.get("a") or "").strip()[:64]
    b_id = (request.GET.get("b") or "").strip()[:64] or law.source_id
    error = ""
    if not a_id:
        b_law = by_source.get(b_id)
        older = [v for v in all_versions if b_law and v.pk != b_law.pk
                 and (v.version_date or v.effective_date) and (b_law.version_date or b_law.effective_date)
                 and (v.version_date or v.effective_date) < (b_law.version_date or b_law.effective_date)]
        a_id = older[0].source_id if older else ""
        if not a_id:  # nothing to compare with: not bad input, the page says so
            return render(request, "casebank/law_compare.html", {
                "law": law, "versions": all_versions, "notice": _("本法规没有更早的版本，没有可对照的版本。")})
    if not error:
        for value in (a_id, b_id):
            if value not in by_source:
                if Law.objects.filter(source_id=value).exists():
                    error = _("“%(id)s”不是《%(name)s》的版本，不能对照。") % {"id": value, "name": law.full_name}
                else:
                    error = _("没有编号为“%(id)s”的法规版本。") % {"id": value}
                break
    context = {"law": law, "versions": all_versions}
    if error:
        context["error"] = error
        return render(request, "casebank/law_compare.html", context, status=400)
    old, new = by_source[a_id], by_source[b_id]
    rows = versions.compare(old.articles.order_by("position"), new.articles.order_by("position"))
    context.update({"old": old, "new": new, "rows": rows, "summary": versions.summary(rows),
                    "changed_only": request.GET.get("changed") == "1"})
    return render(request, "casebank/law_compare.html", context)


@login_required
def article_permalink(request, law_id, number):
    """One article of one version, with what cites it (法条联想) that the viewer may see, and the
    same article in the other versions."""
    law = _law(law_id)
    articles = list(Article.objects.filter(law=law, number=number).order_by("position"))
    if not articles:
        raise Http404
    prev_art = Article.objects.filter(law=law, position__lt=articles[0].position).order_by("-position").first()
    next_art = Article.objects.filter(law=law, position__gt=articles[-1].position).order_by("position").first()
    other_versions = list(law.versions().exclude(pk=law.pk).filter(articles__number=number).distinct())
    return render(request, "casebank/article_detail.html", {
        "law": law, "articles": articles, "prev": prev_art, "next": next_art,
        "cited_by": references.cited_by(articles, request.user), "other_versions": other_versions,
        "number": number})
