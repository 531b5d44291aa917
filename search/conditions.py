"""The text conditions of a search, read from request parameters and turned into queries.

One search is a list of conditions, each a text looked for in one field (or the whole
document), joined left to right by 并且 / 或者 / 不包含 (and, or, and not):

* ``q`` (and ``field``): the main query;
* ``c_op`` / ``c_field`` / ``c_q`` (repeated, one of each per row): the rows of the advanced search;
* ``within`` (repeated): 结果中检索, refinements of the results so far (and, exact, in ``field``);
* ``match``: ``exact`` or ``partial`` shows one kind of match only.

Every condition has two readings. **Exact** (完全匹配): every term of its text (terms are
separated by spaces; "quoted text" is one term) is found as a word, or a term of several
words as a phrase, in the chosen field — no synonyms. **Loose**: any word of its text, its
dictionary sub-words or its synonyms. The exact query joins the exact readings; the loose
query joins the loose readings (refinements and 不包含 rows keep their exact reading in
both). Exact matches come first and are counted apart; partial matches are the loose
query's other results. The exact query's matches are a subset of the loose query's, so
"完全匹配 n 条 · 部分匹配 m 条" adds up to every result.

Queries are modelsearch's own (``PlainText``, ``Phrase``, ``And``, ``Or``, ``Not``) and, where
rows look in different fields, ``search.query.InFields``; a search in one field for every
condition uses the ``fields=[…]`` argument of ``search()``."""
import re
import dataclasses
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from modelsearch.index import SearchField
from modelsearch.query import And, MatchAll, Not, Or, Phrase, PlainText

from search.query import BestMatch, InFields

#: Fields a condition may look in: search field name → label. A model is searched in a field
#: when it declares a SearchField of that name (the case fields exist on cases only).
FIELDS = {
    "title": _("标题"),
    "case_number": _("案号"),
    "violation_type": _("违法行为（案由）"),
    "summary": _("摘要"),
    "facts": _("基本案情"),
    "issues": _("争议焦点"),
    "legal_basis_text": _("法律依据"),
    "outcome": _("处理结果"),
    "teaching_points": _("评析"),
}
AND, OR, NOT = "and", "or", "not"
OPERATORS = {AND: _("并且"), OR: _("或者"), NOT: _("不包含")}
EXACT, PARTIAL = "exact", "partial"
MATCH_LABELS = {EXACT: _("完全匹配"), PARTIAL: _("部分匹配")}
MAX_TEXT_LENGTH = 200
#: Rows of the advanced search and refinements one search may hold.
MAX_CONDITIONS = 6
MAX_WITHIN = 5
_TERMS = re.compile(r'"([^"]+)"|“([^”]+)”|(\S+)')


class SearchParamError(ValueError):
    """A parameter the search cannot use: ``code`` for programs, ``message`` for people."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Condition:
    op: str
    field: str  # "" = the whole document
    text: str
    strict: bool = False  # a refinement: its exact reading in both queries

    def terms(self):
        return split_terms(self.text)

    def exact(self):
        terms = self.terms()
        if not terms:
            return PlainText(self.text, operator="and")
        parts = [Phrase(t) for t in terms]
        return parts[0] if len(parts) == 1 else And(parts)

    def loose(self):
        return self.exact() if self.strict else PlainText(" ".join(self.terms()) or self.text, operator="or")


def split_terms(text):
    """Terms of a text: words separated by spaces, "quoted text" kept whole."""
    return [next(g for g in m.groups() if g).strip() for m in _TERMS.finditer(text or "")
            if any(m.groups()) and next(g for g in m.groups() if g).strip()]


@dataclass
class TextSearch:
    q: str = ""
    field: str = ""
    within: list = dataclasses.field(default_factory=list)
    rows: list = dataclasses.field(default_factory=list)  # advanced rows: [Condition]
    match: str = ""

    @property
    def active(self):
        return bool(self.q or self.rows or self.within)

    def conditions(self):
        found = []
        if self.q:
            found.append(Condition(AND, self.field, self.q))
        found.extend(self.rows)
        found.extend(Condition(AND, self.field, text, strict=True) for text in self.within)
        return found

    def field_names(self):
        """Every field the conditions look in ("" not included)."""
        return {c.field for c in self.conditions() if c.field}

    def common_fields(self):
        """``fields=`` for ``search()`` when every condition looks in the same field, else None."""
        names = {c.field for c in self.conditions()}
        if len(names) == 1 and "" not in names:
            return [names.pop()]
        return None

    def _wrap(self, condition, query):
        if condition.field and self.common_fields() is None:
            return InFields(query, [condition.field])
        return query

    def _fold(self, loose):
        result = None
        for condition in self.conditions():
            exact = self._wrap(condition, condition.exact())
            part = self._wrap(condition, condition.loose()) if loose else exact
            if result is None:
                result = And([MatchAll(), Not(exact)]) if condition.op == NOT else part
            elif condition.op == NOT:
                result = And([result, Not(exact)])
            elif condition.op == OR:
                result = Or([result, part])
            else:
                result = And([result, part])
        return result

    def exact_query(self):
        """Documents matching every condition exactly (None without conditions)."""
        return self._fold(loose=False)

    def loose_query(self):
        """Every result: exact and partial matches. One condition over the whole document is a
        ``BestMatch`` of its words: the same documents (any word) as its loose reading, but the
        backends rank those holding every word first and rank the others from their rarest
        words, instead of scoring every document that holds one common word."""
        found = self.conditions()
        if len(found) == 1 and not found[0].field and not found[0].strict:
            return BestMatch(" ".join(found[0].terms()) or found[0].text)
        return self._fold(loose=True)

    def partial_query(self):
        """The results that are not exact matches."""
        return And([self._fold(loose=True), Not(self.exact_query())])

    def query_for(self, match):
        """The query of the results shown: ``exact``, ``partial`` or (empty) all of them."""
        if match == EXACT:
            return self.exact_query()
        if match == PARTIAL:
            return self.partial_query()
        return self.loose_query()

    def highlight_text(self):
        """The texts whose words the snippets mark (not those of 不包含 rows)."""
        return " ".join(c.text for c in self.conditions() if c.op != NOT)

    def params(self):
        """The request parameters of this search (for links and chips): [(name, value)]."""
        out = []
        if self.q:
            out.append(("q", self.q))
        if self.field:
            out.append(("field", self.field))
        for row in self.rows:
            out.extend([("c_op", row.op), ("c_field", row.field), ("c_q", row.text)])
        out.extend(("within", text) for text in self.within)
        if self.match:
            out.append(("match", self.match))
        return out


def searchable_in(model, names):
    """Whether ``model`` declares a SearchField for each of ``names``."""
    if not names:
        return True
    own = {f.field_name for f in model.get_search_fields() if isinstance(f, SearchField)}
    return set(names) <= own


def _text(value, what):
    value = (value or "").strip()
    if len(value) > MAX_TEXT_LENGTH:
        raise SearchParamError("query_too_long", _("%(what)s过长（最多 %(n)d 个字）。") % {
            "what": what, "n": MAX_TEXT_LENGTH})
    return value


def _field(value):
    value = (value or "").strip()
    if value in ("", "all"):
        return ""
    if value not in FIELDS:
        raise SearchParamError("unknown_field", _("未知的检索字段：%(f)s。可选：%(all)s。") % {
            "f": value[:30], "all": "、".join(str(label) for label in FIELDS.values())})
    return value


def parse(params):
    """A TextSearch from request parameters (a QueryDict or a dict); SearchParamError if unusable."""
    getlist = params.getlist if hasattr(params, "getlist") else (
        lambda key: [v for v in ([params.get(key)] if params.get(key) is not None else [])])
    search = TextSearch(q=_text(params.get("q"), _("搜索词")), field=_field(params.get("field")))
    ops, fields, texts = getlist("c_op"), getlist("c_field"), getlist("c_q")
    if not (len(ops) == len(fields) == len(texts)):
        raise SearchParamError("bad_conditions", _("高级检索的条件不完整：每个条件需要关系、字段和检索词。"))
    for op, fname, text in zip(ops, fields, texts):
        text = _text(text, _("检索词"))
        if not text:
            continue
        op = (op or AND).strip().lower()
        if op not in OPERATORS:
            raise SearchParamError("bad_operator", _("未知的条件关系：%(op)s（可选 and、or、not）。") % {"op": op[:10]})
        search.rows.append(Condition(op, _field(fname), text))
    within = [_text(v, _("结果中检索的词")) for v in getlist("within")]
    search.within = list(dict.fromkeys(v for v in within if v))
    if len(search.rows) > MAX_CONDITIONS:
        raise SearchParamError("too_many_conditions", _("高级检索最多 %(n)d 个条件。") % {"n": MAX_CONDITIONS})
    if len(search.within) > MAX_WITHIN:
        raise SearchParamError("too_many_conditions", _("结果中检索最多 %(n)d 次。") % {"n": MAX_WITHIN})
    match = (params.get("match") or "").strip()
    if match not in ("", EXACT, PARTIAL):
        raise SearchParamError("bad_match", _("match 只能是 exact（完全匹配）或 partial（部分匹配）。"))
    search.match = match
    conditions = search.conditions()
    if conditions and all(c.op == NOT for c in conditions):
        raise SearchParamError("only_not", _("至少需要一个“并且”或“或者”的检索条件，不能只有“不包含”。"))
    if search.within and not (search.q or search.rows):
        raise SearchParamError("within_without_query", _("请先输入搜索词，再在结果中检索。"))
    return search
