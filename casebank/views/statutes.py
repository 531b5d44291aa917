"""Statute library: index, law page with table of contents, article permalink."""
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from ..models import Article, Law


@login_required
def law_index(request):
    """Laws searchable by name, filterable by status and kind (national / local), with counts."""
    q = (request.GET.get("q") or "").strip()[:100]
    status = request.GET.get("status") or ""
    kind = request.GET.get("kind") or ""
    base = Law.objects.all()
    if q:
        base = base.filter(Q(full_name__icontains=q) | Q(short_name__icontains=q))
    if kind in ("national", "local"):
        base = base.filter(local=(kind == "local"))
    counts = dict(base.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    status_choices = [(code, label, counts.get(code, 0)) for code, label in Law.STATUS_CHOICES]
    qs = base.filter(status=status) if status in dict(Law.STATUS_CHOICES) else base
    qs = qs.select_related("successor").order_by("local", "full_name", "-version_date")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "casebank/law_index.html", {
        "page": page, "q": q, "status": status, "kind": kind, "status_choices": status_choices,
        "total": sum(counts.values()), "shown": page.paginator.count,
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


@login_required
def law_detail(request, law_id):
    law = get_object_or_404(Law.objects.select_related("successor"), source_id=law_id)
    articles = list(law.articles.order_by("position"))
    other_versions = Law.objects.filter(full_name=law.full_name).exclude(pk=law.pk).order_by("-version_date")
    return render(request, "casebank/law_detail.html", {
        "law": law, "articles": articles, "toc": _toc(articles), "other_versions": other_versions,
        "predecessors": law.predecessors.order_by("full_name"),
    })


@login_required
def article_permalink(request, law_id, number):
    law = get_object_or_404(Law.objects.select_related("successor"), source_id=law_id)
    articles = list(Article.objects.filter(law=law, number=number).order_by("position"))
    if not articles:
        from django.http import Http404

        raise Http404
    prev_art = Article.objects.filter(law=law, position__lt=articles[0].position).order_by("-position").first()
    next_art = Article.objects.filter(law=law, position__gt=articles[-1].position).order_by("position").first()
    return render(request, "casebank/article_detail.html", {
        "law": law, "articles": articles, "prev": prev_art, "next": next_art})
