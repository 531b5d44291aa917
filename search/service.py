"""Search for people: one search over everything a user may see.

Which models are searched is discovered from modelsearch's registry of indexed
models (``get_indexed_models()``); each model gets

* a *type* (course, lesson, case, statute, power, benchmark …): the model's
  ``search_type`` attribute, else ``DEFAULT_TYPES``, else "page" for a page
  model that declares search fields of its own; anything else is not searched;
* a *visibility rule*: pages are searched live and public only; a model may
  narrow its queryset with a ``search_visible_queryset(user)`` classmethod;
  apps in ``DENIED_APPS`` (the question bank, people data) are never searched.

The view layer (views.py) and the JSON API share ``run_search``.
"""
import html
import re
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from modelsearch.index import RelatedFields, SearchField, get_indexed_models

from casebank import citations
from casebank.domain import CATEGORY_LABELS
from portal.params import id_param
from search import analysis, conditions
from search.conditions import SearchParamError
from search.query import ExactFirst, split_score

#: Type of the models other apps declare, when the model sets no ``search_type``.
DEFAULT_TYPES = {
    "courses.coursepage": "course",
    "courses.lessonpage": "lesson",
    "casebank.casepage": "case",
    "casebank.article": "statute",
    "casebank.law": "statute",
    "casebank.poweritem": "power",
    "casebank.discretionbenchmark": "benchmark",
}
#: Each result type's name in the form a count asks for (English "1 Case", "12 Cases"; a
#: result's badge and the API take the singular): ``type_label(key, n)``.
TYPE_NAMES = {
    "course": lambda n: npgettext("search tab", "课程", "课程", n),
    "lesson": lambda n: npgettext("search tab", "课时", "课时", n),
    "case": lambda n: npgettext("search tab", "案例", "案例", n),
    "statute": lambda n: npgettext("search tab", "法规", "法规", n),
    "power": lambda n: npgettext("search tab", "权力清单", "权力清单", n),
    "benchmark": lambda n: npgettext("search tab", "裁量基准", "裁量基准", n),
    "page": lambda n: npgettext("search tab", "页面", "页面", n),
}


def type_label(key, n=1):
    """The name of the result type ``key`` for a count of ``n`` (the key itself if unknown)."""
    name = TYPE_NAMES.get(key)
    return name(n) if name else key


TYPE_ORDER = ["statute", "case", "course", "lesson", "power", "benchmark", "page"]
#: Apps whose data never appears in the people search, whatever they index.
DENIED_APPS = {"exams", "officers", "auth", "wagtailusers", "wagtailimages", "wagtaildocs", "wagtailcore",
               "wagtailforms", "wagtailredirects", "wagtailembeds", "taggit", "search"}
#: Facets: key → FilterField names a model may use for it.
FACET_FIELDS = {
    "duty_area": ("duty_area_codes", "duty_area_code"),
    "year": ("year", "decision_year"),
    "status": ("law_status", "status"),
    "level": ("level",),
    "province": ("province",),
}
FACET_LABELS = {"duty_area": _("职责领域"), "year": _("年份"), "status": _("时效性"), "level": _("效力级别"),
                "province": _("地区")}
#: Facets a model without the field itself takes from a related object it filters on
#: (an article's 效力级别 and province are its law's): key → (filter field, related field).
RELATED_FACETS = {"level": ("law_id", "level"), "province": ("law_id", "province")}
#: Score factor of the bureau's own province's (and more, its city's) local regulations:
#: first among equals, never above a clearly better national match.
LOCAL_BOOST = {"province": 1.03, "city": 1.06}
#: Results beyond the page fetched per statute model, so that a boosted local article can move up.
LOCAL_LOOKAHEAD = 10
#: Most articles a query may cite and get first (法条直达).
MAX_DIRECT = 3
PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200
#: Length of a result's excerpt: the characters shown around its best cluster of matches (``highlight``).
SNIPPET_LENGTH = 120


def model_label(model):
    return f"{model._meta.app_label}.{model.__name__}".lower()


def model_type(model):
    explicit = getattr(model, "search_type", None)
    if explicit:
        return explicit
    label = model_label(model)
    if label in DEFAULT_TYPES:
        return DEFAULT_TYPES[label]
    if issubclass(model, Page) and model is not Page:
        own = [f for f in model.get_search_fields() if isinstance(f, (SearchField, RelatedFields))
               and f.field_name not in {g.field_name for g in Page.search_fields}]
        if own:
            return "page"
    return None


def searchable_models():
    """[(type, model)] of the indexed models people may search, in display order."""
    found = []
    for model in get_indexed_models():
        if model._meta.app_label in DENIED_APPS or model._meta.abstract:
            continue
        kind = model_type(model)
        if kind is None:
            continue
        # A subclass of a searched model is found through its parent.
        if any(other is not model and issubclass(model, other) and model_type(other) == kind
               for _k, other in found):
            continue
        found.append((kind, model))
    found.sort(key=lambda km: (TYPE_ORDER.index(km[0]) if km[0] in TYPE_ORDER else 99, model_label(km[1])))
    return found


def private_pages_q():
    """The pages behind a view restriction (one query: a search asks it once for all page models)."""
    return Page.objects.private_q()


def visible_queryset(model, user, private=None):
    """What ``user`` may find of ``model``: live, public pages; a model's own rule. ``private``:
    ``private_pages_q()`` when the caller has it already."""
    custom = getattr(model, "search_visible_queryset", None)
    if custom is not None:
        return custom(user)
    qs = model._default_manager.all()
    if issubclass(model, Page):
        qs = qs.live().exclude(private if private is not None else private_pages_q())
    # Forward relations shown in results (an article's law) come in the same query.
    related = []
    for f in model.get_search_fields():
        if isinstance(f, RelatedFields):
            try:
                rel = f.get_field(model)
            except Exception:  # noqa: BLE001
                continue
            if getattr(rel, "many_to_one", False) or (getattr(rel, "one_to_one", False) and rel.concrete):
                related.append(f.field_name)
    return qs.select_related(*related) if related else qs


# --- snippets ---------------------------------------------------------------------

def _object_text(obj):
    chunks = []
    for f in type(obj).get_search_fields():
        if isinstance(f, SearchField) and f.field_name not in ("title",):
            try:
                value = f.get_value(obj)
            except Exception:  # noqa: BLE001 - a broken callable must not break search
                continue
            if isinstance(value, (list, tuple)):
                value = " ".join(str(v) for v in value)
            if isinstance(value, str) and value.strip():
                chunks.append(plain_text(value))
    return re.sub(r"\s+", " ", " ".join(chunks)).strip()


_MD_LINE = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+|[-*_]{3,}[ \t]*$)",
                      re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~|`+)")
_MD_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MD_TABLE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$|[ \t]*\|[ \t]*", re.MULTILINE)


def plain_text(value):
    """Text for snippets: HTML tags and Markdown marks (headings, emphasis, list
    markers, quotes, links, tables) removed, the words kept."""
    text = strip_tags(value or "")
    if not any(ch in text for ch in "#*_>`[|~-+.)"):
        return text
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_TABLE.sub(" ", text)
    text = _MD_LINE.sub("", text)
    text = _MD_STAR.sub(r"\1", text)
    return _MD_EMPHASIS.sub("", text)


def highlight(text, terms, length=SNIPPET_LENGTH):
    """An escaped excerpt of ``text`` around the best cluster of ``terms``, each marked."""
    if not text:
        return ""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    lowered = analysis.normalise(text)
    if len(lowered) != len(text):
        lowered = text.lower()
    hits = []
    if terms:
        pattern = re.compile("|".join(re.escape(t) for t in terms))
        hits = [(m.start(), m.end()) for m in pattern.finditer(lowered)]
    start = 0
    if hits:
        # The window of ``length`` characters starting at a match that holds the most matches
        # (hits are in text order: one pass with a second index at the window's end).
        best, best_count, end_i = hits[0][0], 0, 0
        for i, (s, _e) in enumerate(hits):
            end_i = max(end_i, i)
            while end_i < len(hits) and hits[end_i][0] < s + length:
                end_i += 1
            if end_i - i > best_count:
                best, best_count = s, end_i - i
        start = max(0, best - 20)
    end = min(len(text), start + length)
    out, cursor = [], start
    for s, e in hits:
        if s < cursor or s >= end:
            continue
        out.append(html.escape(text[cursor:s]))
        out.append("<mark>" + html.escape(text[s:min(e, end)]) + "</mark>")
        cursor = min(e, end)
    out.append(html.escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out) + suffix


def _title(obj):
    if isinstance(obj, Page):
        return plain_text(obj.title)
    return plain_text(str(obj))


def _url(obj, request=None):
    if isinstance(obj, Page):
        return obj.get_url(request=request) or ""
    getter = getattr(obj, "get_absolute_url", None)
    return getter() if getter else ""


@dataclass
class SearchHit:
    type: str
    title: str
    url: str
    snippet: str
    title_html: str
    score: float
    extra: dict = field(default_factory=dict)
    match: str = ""  # conditions.EXACT or PARTIAL

    @property
    def match_label(self):
        return str(conditions.MATCH_LABELS.get(self.match, ""))

    @property
    def type_label(self):
        return type_label(self.type)

    def as_json(self):
        data = {"type": self.type, "type_label": self.type_label,
                "title": self.title, "url": self.url, "snippet": self.snippet, "score": round(self.score, 4),
                "match": self.match}
        data.update(self.extra)
        return data


_choice_labels = {}


def _choices(model, name):
    """{value: label} of a choice field in the active language (None: no such field), translated
    once per language: every result and facet asks for the same few fields."""
    key = (model, name, get_language())
    labels = _choice_labels.get(key)
    if labels is None:
        try:
            choices = model._meta.get_field(name).flatchoices
        except Exception:  # noqa: BLE001 - a model without that field
            return None
        labels = _choice_labels[key] = {k: str(v) for k, v in choices}
    return labels


def _choice_label(obj, name):
    """The label of a choice field's value (现行有效 for in_force); the value when unknown."""
    value = getattr(obj, name, "")
    labels = _choices(type(obj), name)
    if labels is None:
        return str(value or "")
    return labels.get(value, str(value))


def _law_extra(law):
    return {"level": getattr(law, "level", "") or "", "level_label": _choice_label(law, "level") if getattr(
        law, "level", "") else "", "province": getattr(law, "province", "") or "",
        "region": getattr(law, "region", "") or ""}


def _hit(kind, obj, terms, request):
    title = _title(obj)
    extra = {}
    law = getattr(obj, "law", None)
    if kind == "statute":
        # ``status`` is the machine code (in_force …); people read ``status_label``.
        if law is not None and hasattr(obj, "number"):
            has_own = hasattr(obj, "law_status")
            extra = {"law": law.full_name, "article": obj.number,
                     "status": obj.law_status if has_own else law.status,
                     "status_label": _choice_label(obj, "law_status") if has_own else _choice_label(law, "status"),
                     **_law_extra(law)}
        elif hasattr(obj, "full_name"):
            extra = {"law": obj.full_name, "article": None, "status": getattr(obj, "status", ""),
                     "status_label": _choice_label(obj, "status"), **_law_extra(obj)}
    text = _object_text(obj) or title
    return SearchHit(type=kind, title=title, url=_url(obj, request), snippet=highlight(text, terms),
                     title_html=highlight(title, terms, length=200), score=float(getattr(obj, "_score", 0.0) or 0.0),
                     extra=extra)


# --- the search -------------------------------------------------------------------

@dataclass
class SearchOutcome:
    query: str
    type: str
    page: int
    total: int
    hits: list
    type_counts: dict
    facets: dict
    num_pages: int
    help: dict = field(default_factory=dict)
    exact_total: int = 0
    partial_total: int = 0
    text: object = None  # the conditions.TextSearch
    #: Exact matches per type (``type_counts`` holds every match, exact and partial).
    exact_counts: dict = field(default_factory=dict)
    #: The partial matches were counted up to the backend's ``PARTIAL_COUNT_LIMIT`` only (there
    #: are more): ``partial_total`` is that limit and the facets count the exact matches.
    partial_capped: bool = False
    #: Types whose partial matches were counted up to the limit (their ``type_counts`` likewise).
    capped_types: set = field(default_factory=set)

    def as_json(self):
        text = self.text or conditions.TextSearch(q=self.query)
        return {
            "query": self.query,
            "type": self.type or "",
            "field": text.field,
            "within": list(text.within),
            "conditions": [{"op": c.op, "field": c.field, "q": c.text} for c in text.rows],
            "match": text.match,
            "total": self.total,
            "exact_total": self.exact_total,
            "partial_total": self.partial_total,
            "partial_total_capped": self.partial_capped,
            "facets_exact_only": self.partial_capped and bool(self.facets),
            "page": self.page,
            "num_pages": self.num_pages,
            "results": [h.as_json() for h in self.hits],
            "facets": self.facets,
            "help": self.help,
        }


def _facet_field(model, key):
    names = {f.field_name for f in model.get_filterable_search_fields()}
    for candidate in FACET_FIELDS[key]:
        if candidate in names:
            return candidate
    return None


def _related_facet(model, key):
    """(filter field, related model, related field) when ``model`` takes facet ``key``
    from a related object (an article's law), else None."""
    if key not in RELATED_FACETS or _facet_field(model, key) is not None:
        return None
    fk_name, attr = RELATED_FACETS[key]
    if fk_name not in {f.field_name for f in model.get_filterable_search_fields()}:
        return None
    try:
        related = model._meta.get_field(fk_name.removesuffix("_id")).related_model
    except Exception:  # noqa: BLE001 - no such relation
        return None
    if related is None or attr not in {f.field_name for f in getattr(related, "get_filterable_search_fields",
                                                                      lambda: [])()}:
        return None
    return fk_name, related, attr


_related_lock = threading.Lock()
_related_cache = {}
#: Seconds a process trusts its copy of a related field's values (laws change rarely).
RELATED_TTL = 30.0


def _related_values(related, attr):
    """{pk: value} of ``attr`` over all rows of ``related`` (the laws: a few thousand rows), cached."""
    key = (related._meta.label, attr)
    now = time.monotonic()
    with _related_lock:
        entry = _related_cache.get(key)
        if entry is not None and now - entry[0] < RELATED_TTL:
            return entry[1]
    values = dict(related._default_manager.values_list("pk", attr))
    with _related_lock:
        _related_cache[key] = (now, values)
    return values


def _facet_label(key, value, model):
    if key == "province" and value == "":
        return str(_("全国"))
    if value is None or value == "":
        return str(_("未标注"))
    if key in ("status", "level"):
        for fname in FACET_FIELDS[key]:
            labels = _choices(model, fname)
            if labels is not None:
                return labels.get(value, str(value))
        return str(value)
    if key == "duty_area":
        return str(CATEGORY_LABELS.get(value, value))
    return str(value)


def _facet_source(model, key):
    """The filter field facet ``key`` of ``model`` is counted on (the model's own, or the key
    of the related object it takes the facet from), or None."""
    fname = _facet_field(model, key)
    if fname is not None:
        return fname
    via = _related_facet(model, key)
    return via[0] if via is not None else None


def _facet_values(results, fname, exact):
    """{value: count} of the results' facet ``fname``; ``exact``: over the exact matches only."""
    if exact:
        found = results.exact_facet(fname) if hasattr(results, "exact_facet") else None
        if found is not None:
            return found
    return results.facet(fname)


def _facet_counts(results, model, key, exact=False):
    """[(value, count, model the value's label comes from)] of one facet over the results
    (``exact``: over their exact matches)."""
    fname = _facet_field(model, key)
    if fname is not None:
        return [(v, c, model) for v, c in _facet_values(results, fname, exact).items()]
    via = _related_facet(model, key)
    if via is None:
        return []
    fk_name, related, attr = via
    values = _related_values(related, attr)
    merged = {}
    for pk, count in _facet_values(results, fk_name, exact).items():
        value = values.get(pk) if pk is not None else None
        merged[value] = merged.get(value, 0) + count
    return [(v, c, related) for v, c in merged.items()]


def _add_facets(facets, results, model, filters, exact=False):
    for key in FACET_FIELDS:
        try:
            counts = _facet_counts(results, model, key, exact)
        except Exception:  # noqa: BLE001 - a model's unusual field must not break search
            continue
        if not counts:
            continue
        bucket = facets.setdefault(key, {})
        for value, count, label_model in counts:
            values = str(value).split() if key == "duty_area" and value else [value]
            for v in values:
                vkey = "" if v is None else str(v)
                entry = bucket.setdefault(vkey, {"value": vkey, "label": _facet_label(key, v, label_model),
                                                 "count": 0, "selected": filters.get(key) == vkey})
                entry["count"] += count


def _apply_facet_filters(qs, model, filters):
    for key, value in filters.items():
        fname = _facet_field(model, key)
        if fname is None:
            via = _related_facet(model, key)
            if via is None:
                return qs.none()
            # Through the related rows' keys: a filter on the model's own field runs in the index.
            fk_name, related, attr = via
            pks = sorted(pk for pk, v in _related_values(related, attr).items() if (v or "") == value)
            qs = qs.filter(**{f"{fk_name}__in": pks}) if pks else qs.none()
        elif key == "duty_area":
            qs = qs.filter(**{f"{fname}__contains": value}) if fname.endswith("codes") else qs.filter(**{fname: value})
        elif key == "year":
            qs = qs.filter(**{fname: int(value)})
        else:
            qs = qs.filter(**{fname: value})
    return qs


# --- 法条直达 and local regulations ------------------------------------------------------

_CITES_ARTICLE = re.compile(citations.ARTICLE_RE)


def direct_articles(user, q, filters=None):
    """Articles the query cites by law name and number (行政处罚法第三十三条,
    《城市道路管理条例》第42条), in the query's order; the version in force is the one the
    statute library resolves a name to. Only articles ``user`` may see and the filters allow."""
    if not q or not _CITES_ARTICLE.search(q):
        return []
    found = []
    for citation in citations.find_citations(q):
        article = citation.article_obj
        if article is None or any(a.pk == article.pk for a in found):
            continue
        found.append(article)
        if len(found) >= MAX_DIRECT:
            break
    if not found:
        return []
    model = type(found[0])
    qs = visible_queryset(model, user)
    if filters:
        qs = _apply_facet_filters(qs, model, filters)
    visible = {a.pk: a for a in qs.filter(pk__in=[a.pk for a in found])}
    return [visible[a.pk] for a in found if a.pk in visible]


def local_factor(obj):
    """Score factor of a statute result: the bureau's own province's and city's
    local regulations come first among equals."""
    law = obj if hasattr(obj, "province") else getattr(obj, "law", None)
    province = getattr(settings, "ACADEMY_PROVINCE", "")
    if law is None or not province or getattr(law, "province", "") != province:
        return 1.0
    city = getattr(settings, "ACADEMY_CITY", "")
    if city and getattr(law, "city", "") == city:
        return LOCAL_BOOST["city"]
    return LOCAL_BOOST["province"]


def parse_params(params):
    """Validate request parameters: (TextSearch, type, page, facet filters); raises
    SearchParamError with a code."""
    if len((params.get("q") or "").strip()) > MAX_QUERY_LENGTH:
        raise SearchParamError("query_too_long", _("搜索词过长（最多 %(n)d 个字）。") % {"n": MAX_QUERY_LENGTH})
    text = conditions.parse(params)
    kind = (params.get("type") or "").strip()
    known = {k for k, _m in searchable_models()} | set(TYPE_NAMES)
    if kind and kind not in known:
        raise SearchParamError("bad_type", _("未知的类型：%(t)s。") % {"t": kind[:30]})
    page = id_param((params.get("page") or "1").strip())
    if page is None or not 1 <= page <= 1000:
        raise SearchParamError("bad_page", _("页码必须是 1 到 1000 之间的整数。"))
    filters = {}
    for key in FACET_FIELDS:
        value = (params.get(key) or "").strip()
        if value:
            if key == "year" and id_param(value) is None:
                raise SearchParamError("bad_facet", _("年份必须是数字。"))
            if len(value) > 60:
                raise SearchParamError("bad_facet", _("筛选条件无效。"))
            filters[key] = value
    return text, kind, page, filters


def _scored(results, start, stop):
    return [(float(getattr(obj, "_score", 0.0) or 0.0), obj)
            for obj in results.annotate_score("_score")[start:stop]]


def run_search(user, text, kind="", page=1, filters=None, request=None, page_size=PAGE_SIZE):
    """Search everything ``user`` may see; ``kind`` limits to one type. ``text`` is a
    ``conditions.TextSearch`` (or the text of a simple query). Exact matches come first
    and are counted apart from partial ones (``SearchOutcome.exact_total``/``partial_total``).

    On a backend that ranks an ``ExactFirst`` query (``backend.exact_first``) each model is
    searched once: the loose matches, exact ones first, with their count, exact count and facets
    from the same match. Elsewhere the exact matches are a second search per model."""
    if isinstance(text, str):
        text = conditions.TextSearch(q=text.strip())
    filters = filters or {}
    q = text.q
    backend = get_search_backend()
    match = text.match
    exact_query = text.exact_query()
    split = not match and exact_query is not None and getattr(backend, "exact_first", False)
    shown_query = ExactFirst(text.loose_query(), exact_query) if split else text.query_for(match)
    fields = text.common_fields()
    names = text.field_names()
    terms = analysis.highlight_terms(text.highlight_text())
    need = page * page_size
    type_counts = {}
    exact_counts = {}  # per type, as the headline counts them: the tabs show these
    capped_types = set()  # types whose partial matches were counted up to the backend's limit
    limit = getattr(backend, "partial_count_limit", None)
    facets = {}
    searched = []  # (kind, model, queryset, exact results or None, exact count, partial count, results)
    direct = []
    if q and not names and match != conditions.PARTIAL and (not kind or kind == "statute"):
        direct = direct_articles(user, q, filters)
    direct_keys = {(type(a), a.pk) for a in direct}
    private = None
    for mkind, model in searchable_models():
        type_counts.setdefault(mkind, 0)
        exact_counts.setdefault(mkind, 0)
        if not conditions.searchable_in(model, names):
            continue
        if private is None and issubclass(model, Page):
            private = private_pages_q()
        qs = visible_queryset(model, user, private)
        if filters:
            qs = _apply_facet_filters(qs, model, filters)
        results = backend.search(shown_query, qs, fields=fields)
        expect = getattr(results, "expect", None)
        if expect is not None and (not kind or mkind == kind):
            # A backend that reads count, facets and ranked page in one go learns here which facets
            # it will be asked and how many ranked rows at most (below).
            expect(facets=list(dict.fromkeys(filter(None, (_facet_source(model, key) for key in FACET_FIELDS)))),
                   stop=need + (LOCAL_LOOKAHEAD if mkind == "statute" else 0))
        count = results.count()
        if not count:
            continue
        type_counts[mkind] += count
        if split and getattr(results, "partial_capped", None) is not None and results.partial_capped():
            capped_types.add(mkind)
        if match == conditions.EXACT:
            exact, n_exact = results, count
        elif match == conditions.PARTIAL:
            exact, n_exact = None, 0
        else:
            n_exact = results.exact_count() if split and hasattr(results, "exact_count") else None
            if n_exact is None:
                exact = backend.search(exact_query, qs, fields=fields)
                n_exact = exact.count()
            else:
                exact = None  # the first n_exact of ``results``
        exact_counts[mkind] += n_exact
        if kind and mkind != kind:
            continue
        searched.append((mkind, model, qs, exact, n_exact, count - n_exact, results))
    # A partial count stopped at the backend's limit: the partial matches are reported as that many
    # ("1,000 以上"), and every facet counts the exact matches (the partial ones were not all read).
    capped = any(s[0] in capped_types for s in searched)
    for mkind, model, _qs, _exact, _n, _p, results in searched:
        _add_facets(facets, results, model, filters, exact=capped)
    exact_total = sum(s[4] for s in searched)
    partial_total = sum(s[5] for s in searched)

    def candidates(tier, limit):
        found = []
        for mkind, model, qs, exact, n_exact, n_partial, loose in searched:
            statute = mkind == "statute"
            stop = limit + (LOCAL_LOOKAHEAD if statute else 0)
            skip = set()
            start = 0
            if tier == conditions.EXACT:
                if not n_exact:
                    continue
                if exact is None:
                    # The loose results hold their exact matches first; when partial matches
                    # are needed too, both come from one read.
                    results, stop = loose, min(stop, n_exact)
                    if exact_total < need:
                        stop = n_exact + (LOCAL_LOOKAHEAD if statute else 0) + need - exact_total
                else:
                    results = exact
            else:
                if not n_partial:
                    continue
                if match == conditions.PARTIAL:
                    results = backend.search(text.query_for(conditions.PARTIAL), qs, fields=fields)
                elif exact is None or not n_exact:
                    results, start, stop = loose, n_exact, n_exact + stop
                else:
                    # Every exact match of this model is on the page already (there are fewer
                    # than it holds): the loose results minus those are the partial ones, in the
                    # loose query's order, without a second match of the whole query.
                    results, skip, stop = loose, exact_keys, stop + n_exact
            key = (model, start, stop)
            if key not in read:
                read[key] = _scored(results, start, stop)
            rows = read[key]
            if tier == conditions.EXACT and exact is None and len(rows) > n_exact:
                read[(model, n_exact, stop)] = rows[n_exact:]
                rows = rows[:n_exact]
            for score, obj in rows:
                if (type(obj), obj.pk) in skip:
                    continue
                if tier == conditions.EXACT:
                    exact_keys.add((type(obj), obj.pk))
                if (type(obj), obj.pk) in direct_keys:
                    direct_keys.discard((type(obj), obj.pk))
                    if tier != conditions.EXACT:
                        found_counts[tier] -= 1
                        found_counts[conditions.EXACT] += 1
                    continue
                # Tiers of a tiered query (every word before some of them) stay apart; a local
                # regulation's factor applies within its tier.
                level, base = split_score(score)
                factor = local_factor(obj) if statute else 1.0
                found.append(((0 if tier == conditions.EXACT else -level, -base * factor), len(found), tier,
                              mkind, obj))
        found.sort(key=lambda c: (c[0], c[1]))
        return found

    found_counts = {conditions.EXACT: 0, conditions.PARTIAL: 0}
    exact_keys = set()
    read = {}  # (model, start, stop) → [(score, object)]
    ranked = candidates(conditions.EXACT, need)
    if exact_total < need:
        ranked += candidates(conditions.PARTIAL, need - exact_total)
    exact_total += found_counts[conditions.EXACT]
    partial_total += found_counts[conditions.PARTIAL]
    if direct:  # only cited statute articles move between the tiers
        exact_counts["statute"] = exact_counts.get("statute", 0) + found_counts[conditions.EXACT]
    # Cited articles the text search did not find are results too.
    for obj in direct:
        if (type(obj), obj.pk) in direct_keys:
            exact_total += 1
            type_counts["statute"] = type_counts.get("statute", 0) + 1
            exact_counts["statute"] = exact_counts.get("statute", 0) + 1
    if capped:
        partial_total = limit
    for mkind in capped_types:
        type_counts[mkind] = exact_counts[mkind] + limit
    total = exact_total + partial_total
    ranked = [(0, i, conditions.EXACT, "statute", obj) for i, obj in enumerate(direct)] + ranked
    num_pages = max(1, -(-total // page_size))
    hits = []
    # Past the last page there is nothing, also where more partial matches exist than were counted.
    for _s, _o, tier, mkind, obj in ranked[(page - 1) * page_size: need] if page <= num_pages else ():
        hit = _hit(mkind, obj, terms, request)
        hit.match = tier
        hits.append(hit)
    facet_out = {
        key: {"label": str(FACET_LABELS[key]),
              "values": sorted(values.values(), key=lambda v: (-v["count"], v["value"]))}
        for key, values in facets.items()
    }
    outcome = SearchOutcome(query=q, type=kind, page=page, total=total, hits=hits, type_counts=type_counts,
                            facets=facet_out, num_pages=num_pages, exact_total=exact_total,
                            partial_total=partial_total, text=text, exact_counts=exact_counts,
                            partial_capped=capped, capped_types=capped_types)
    if total == 0 and q:
        outcome.help = no_results_help(user, q)
    return outcome


def ranked_ids(text, queryset):
    """(exact ids, partial ids) of ``queryset``'s objects that match ``text`` (a TextSearch), each
    best first: the case list orders and pages them itself, under its own filters."""
    backend = get_search_backend()
    fields = text.common_fields()
    if not conditions.searchable_in(queryset.model, text.field_names()):
        return [], []
    queryset = queryset.only("pk")
    exact_query = text.exact_query()
    if not text.match and exact_query is not None and getattr(backend, "exact_first", False):
        # One search: every match, the exact ones first and counted from the same match.
        results = backend.search(ExactFirst(text.loose_query(), exact_query), queryset, fields=fields)
        expect = getattr(results, "expect", None)
        if expect is not None:
            expect(stop=None)
        n_exact = results.exact_count() if hasattr(results, "exact_count") else None
        if n_exact is not None:
            ids = [obj.pk for obj in results]
            return ids[:n_exact], ids[n_exact:]
    exact = [] if text.match == conditions.PARTIAL else [
        obj.pk for obj in backend.search(text.exact_query(), queryset, fields=fields)]
    partial = [] if text.match == conditions.EXACT else [
        obj.pk for obj in backend.search(text.partial_query(), queryset, fields=fields)]
    return exact, partial


def no_results_help(user, q):
    """Suggestions when nothing is found: fewer words, synonyms, spelling."""
    tokens = [w for w, _s in analysis.query_tokens(q)]
    fewer = []
    if len(tokens) > 1:
        for i in range(len(tokens)):
            fewer.append(" ".join(tokens[:i] + tokens[i + 1:]))
    synonyms = []
    for word in tokens:
        for syn in analysis.synonyms_for(word):
            synonyms.append(q.replace(word, syn) if word in q else syn)
    return {"fewer_words": fewer[:4], "synonyms": synonyms[:6],
            "tips": [str(_("检查是否有错别字，或换一种说法。")), str(_("减少关键词，或只输入最核心的词语。")),
                     str(_("法条可按“法律简称 + 条号”查找，例如：行政处罚法 第33条。"))]}


def suggest(user, q, limit=8):
    """Titles for the autocomplete box: partial words on the models' AutocompleteFields."""
    backend = get_search_backend()
    found = []
    private = None
    for mkind, model in searchable_models():
        if not model.get_autocomplete_search_fields():
            continue
        if private is None and issubclass(model, Page):
            private = private_pages_q()
        qs = visible_queryset(model, user, private)
        try:
            results = backend.autocomplete(q, qs)[:limit]
            for obj in results:
                found.append({"type": mkind, "type_label": type_label(mkind),
                              "title": _title(obj), "url": _url(obj)})
        except Exception:  # noqa: BLE001 - suggestions are best effort
            continue
        if len(found) >= limit * 2:
            break
    seen, out = set(), []
    for item in found:
        if item["title"] in seen:
            continue
        seen.add(item["title"])
        out.append(item)
    return out[:limit]
