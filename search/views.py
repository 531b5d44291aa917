"""The search page (/search/), the JSON API (/api/search/) and autocomplete
suggestions (/api/search/suggest/). Login required; every result goes through
search.service's visibility rules."""
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from officers.roles import role_required
from search import conditions, service, textform
from search.backends.store import IndexBusy


#: The JSON API: signed-in users (401 JSON otherwise).
_api_login_required = role_required(json=True)


def _error(code, message, status=400):
    return JsonResponse({"error": {"code": code, "message": str(message)}}, status=status)


def _tab_counts(outcome, keys, match):
    """A type tab's figures, meant as the headline means them: {"count": the exact matches (the
    partial ones when only those are shown), "partial": the partial matches besides (0 if none),
    "capped": whether those were counted up to the backend's limit only (there are more)}."""
    total = sum(outcome.type_counts.get(key, 0) for key in keys)
    exact = sum(outcome.exact_counts.get(key, 0) for key in keys)
    if match == conditions.PARTIAL:
        return {"count": total, "partial": 0, "capped": False}
    # ``capped``: a type's partial matches were counted up to the backend's limit ("+1,000 以上").
    return {"count": exact, "partial": max(0, total - exact), "capped": bool(outcome.capped_types.intersection(keys))}


@require_GET
@login_required
def search_page(request):
    context = {"q": "", "outcome": None, "error": None, "tabs": [], "filters": {},
               "conditions": textform.form_context(request.GET, conditions.TextSearch())}
    try:
        text, kind, page, filters = service.parse_params(request.GET)
    except service.SearchParamError as exc:
        context.update(error=exc, q=(request.GET.get("q") or "")[: service.MAX_QUERY_LENGTH])
        return render(request, "search/search.html", context, status=400)
    context.update(q=text.q, kind=kind, filters=filters, text=text,
                   conditions=textform.form_context(request.GET, text))
    if text.active:
        try:
            outcome = service.run_search(request.user, text, kind=kind, page=page, filters=filters,
                                         request=request)
        except IndexBusy:
            context["error"] = service.SearchParamError("index_busy", _("搜索索引正在更新，请稍后再试。"))
            return render(request, "search/search.html", context, status=503)
        context["outcome"] = outcome
        context["conditions"] = textform.form_context(request.GET, text, outcome.exact_total,
                                                      outcome.partial_total, partial_capped=outcome.partial_capped)
        text_params = text.params()
        tabs = [{"key": "", **_tab_counts(outcome, outcome.type_counts, text.match),
                 "url": "?" + urlencode(text_params + list(filters.items())), "current": not kind}]
        for key in outcome.type_counts:
            tabs.append({"key": key, **_tab_counts(outcome, [key], text.match),
                         "url": "?" + urlencode(text_params + list({**filters, "type": key}.items())),
                         "current": key == kind})
        for tab in tabs:
            tab["label"] = service.type_label(tab["key"], tab["count"] + tab["partial"]) if tab["key"] else _("全部")
        context["tabs"] = tabs
        for key, facet in outcome.facets.items():
            for value in facet["values"]:
                params = dict(filters)
                if kind:
                    params["type"] = kind
                if value["selected"]:
                    params.pop(key, None)
                else:
                    params[key] = value["value"]
                value["url"] = "?" + urlencode(text_params + list(params.items()))
        params = dict(filters)
        if kind:
            params["type"] = kind
        if page > 1:
            context["prev_url"] = "?" + urlencode(text_params + list({**params, "page": page - 1}.items()))
        if page < outcome.num_pages:
            context["next_url"] = "?" + urlencode(text_params + list({**params, "page": page + 1}.items()))
        context["help_links"] = {
            "fewer": [{"q": f, "url": "?" + urlencode({"q": f})} for f in outcome.help.get("fewer_words", [])],
            "synonyms": [{"q": s, "url": "?" + urlencode({"q": s})} for s in outcome.help.get("synonyms", [])],
        }
    return render(request, "search/search.html", context)


@require_GET
@_api_login_required
def search_api(request):
    """GET /api/search/?q=&field=&within=&c_op=&c_field=&c_q=&match=&type=&page= → {"query", "total",
    "exact_total", "partial_total", "partial_total_capped", "facets_exact_only", "page", "results",
    "facets"} (search/README.md)."""
    try:
        text, kind, page, filters = service.parse_params(request.GET)
    except service.SearchParamError as exc:
        return _error(exc.code, exc.message)
    if not text.active:
        return _error("missing_query", _("请输入搜索词（参数 q）。"))
    try:
        outcome = service.run_search(request.user, text, kind=kind, page=page, filters=filters, request=request)
    except IndexBusy:
        return _error("index_busy", _("搜索索引正在更新，请稍后再试。"), status=503)
    data = outcome.as_json()
    data["type_counts"] = outcome.type_counts
    data["type_counts_capped"] = sorted(outcome.capped_types)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
@_api_login_required
def suggest_api(request):
    """GET /api/search/suggest/?q= → {"query", "suggestions": [{"title", "url", "type"}]}."""
    q = (request.GET.get("q") or "").strip()
    if len(q) > 50:
        return _error("query_too_long", _("输入过长。"))
    suggestions = service.suggest(request.user, q) if q else []
    return JsonResponse({"query": q, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False})
