"""The search conditions as people see them: the field choice, 结果中检索, the advanced rows,
the removable chips of the conditions in force and the exact/partial counts — the same on
the search page and the case list. The case list (casebank) asks for them through the
``academy_text_search`` hook (``case_list_search``), as it does not import the search app."""
from django.utils.translation import gettext as _

from search import conditions, service

#: Template of the condition form, included by the search page and the case list.
TEMPLATE = "search/includes/conditions.html"
#: Rows of the advanced form shown when fewer are in force.
FORM_ROWS = 3
TEXT_KEYS = ("q", "field", "within", "c_op", "c_field", "c_q", "match", "page")


def _field_label(name):
    return str(conditions.FIELDS[name]) if name else _("全文")


def _url(query, path=""):
    encoded = query.urlencode()
    return "?" + encoded if encoded else (path or "?")


def chips(params, path=""):
    """[{"key", "label", "text", "url"}] of the text conditions in force, each link removing
    exactly that one (the other parameters, filters included, kept; back on page 1)."""
    out = []
    base = params.copy()
    base.pop("page", None)
    q = (params.get("q") or "").strip()
    field = (params.get("field") or "").strip()
    if q:
        query = base.copy()
        for key in ("q", "field", "within", "match"):
            query.pop(key, None)
        if not any((t or "").strip() for t in query.getlist("c_q")):
            query.pop("within", None)
        label = _("关键词") if not field or field not in conditions.FIELDS else _field_label(field)
        out.append({"key": "q", "label": label, "text": q, "url": _url(query, path)})
    ops, fields, texts = params.getlist("c_op"), params.getlist("c_field"), params.getlist("c_q")
    for i, (op, fname, text) in enumerate(zip(ops, fields, texts)):
        if not (text or "").strip():
            continue
        query = base.copy()
        for key, values in (("c_op", ops), ("c_field", fields), ("c_q", texts)):
            query.setlist(key, values[:i] + values[i + 1:])
        label = "%s %s" % (conditions.OPERATORS.get(op, conditions.OPERATORS[conditions.AND]),
                           _field_label(fname if fname in conditions.FIELDS else ""))
        out.append({"key": "c_q", "label": label, "text": text.strip(), "url": _url(query, path)})
    within = params.getlist("within")
    for i, text in enumerate(within):
        if not (text or "").strip():
            continue
        query = base.copy()
        query.setlist("within", within[:i] + within[i + 1:])
        out.append({"key": "within", "label": _("结果中"), "text": text.strip(), "url": _url(query, path)})
    match = params.get("match")
    if match in conditions.MATCH_LABELS:
        query = base.copy()
        query.pop("match", None)
        out.append({"key": "match", "label": _("只看"), "text": str(conditions.MATCH_LABELS[match]),
                    "url": _url(query, path)})
    return out


def form_context(params, text, exact_total=None, partial_total=None, path="", partial_capped=False):
    """What the condition form and the counts line need (``partial_capped``: the partial matches
    were counted up to ``partial_total`` only)."""
    rows = [{"op": c.op, "field": c.field, "text": c.text} for c in text.rows]
    rows += [{"op": conditions.AND, "field": "", "text": ""}] * max(0, FORM_ROWS - len(rows))
    keep = [(key, value) for key in params for value in params.getlist(key) if key not in TEXT_KEYS]
    counts = None
    if exact_total is not None and text.active:
        base = params.copy()
        base.pop("page", None)
        links = {}
        for match in conditions.MATCH_LABELS:
            query = base.copy()
            query["match"] = match
            links[match] = _url(query)
        counts = {"exact": exact_total, "partial": partial_total, "partial_capped": partial_capped,
                  "exact_url": links[conditions.EXACT],
                  "partial_url": links[conditions.PARTIAL], "match": text.match}
    return {
        "template": TEMPLATE,
        "text": text,
        "fields": [(key, str(label)) for key, label in conditions.FIELDS.items()],
        "operators": [(key, str(label)) for key, label in conditions.OPERATORS.items()],
        "rows": rows,
        "keep": keep,
        "within_keep": [(k, v) for k, v in text.params() if k != "match"] + keep,
        "counts": counts,
        "chips": chips(params, path),
    }


def case_list_search(params, queryset, path=""):
    """The ``academy_text_search`` answer for a list of pages: the text conditions of ``params``
    over ``queryset``. {"error", "active", "exact_ids", "partial_ids", "form"}; the caller orders,
    filters and pages the ids and fills in the counts under its own filters (``counted``)."""
    try:
        text = conditions.parse(params)
    except conditions.SearchParamError as exc:
        return {"error": exc.message, "active": False, "exact_ids": [], "partial_ids": [],
                "form": form_context(params, conditions.TextSearch(), path=path)}
    exact, partial = service.ranked_ids(text, queryset) if text.active else ([], [])
    return {"error": None, "active": text.active, "exact_ids": exact, "partial_ids": partial,
            "form": form_context(params, text, path=path),
            "counted": lambda n_exact, n_partial: form_context(params, text, n_exact, n_partial, path)}
