"""Query types of our own for the people search, understood by search.backends.whoosh
(and, for ``InFields``, search.backends.postgres).

``BestMatch("占道经营 罚款")`` returns the documents containing every word
first (the exact phrase scoring highest), then those containing only some of
the words: a partial match always ranks below a full match. Other backends
receive the equivalent modelsearch query (``as_modelsearch_query``).

``InFields(query, ["facts"])`` matches ``query`` in the named search fields only
(案情, 争议焦点 …): one condition of an advanced search may look in one field and
the next in another, which the ``fields=`` argument of ``search()`` (one list for
the whole query) cannot say.

``ExactFirst(loose, exact)``: the people search's results (``loose``) with its exact matches
first and counted apart, in one match of the query rather than one for each reading."""
from django.core.exceptions import ImproperlyConfigured

from modelsearch.query import Boost, Or, Phrase, PlainText, SearchQuery

#: Score a tiered query (``BestMatch``, ``ExactFirst``) adds per tier above the next one; the
#: relevance scores of both backends stay far below it.
TIER_OFFSET = 1000.0


class BestMatch(SearchQuery):
    def __init__(self, query_string):
        self.query_string = query_string

    def as_modelsearch_query(self):
        """Full matches boosted above partial ones, for backends without tiers."""
        text = self.query_string
        return Or([Boost(PlainText(text, operator="and"), 3.0), Boost(Phrase(text), 2.0),
                   PlainText(text, operator="or")])

    def __repr__(self):
        return f"<BestMatch {self.query_string!r}>"


class ExactFirst(SearchQuery):
    """The documents ``loose`` matches; those ``exact`` (a narrower query) also matches come
    first and are counted apart, from the same match: the results of a backend that understands
    it (``exact_first = True``) have ``exact_count()``, and their first ``exact_count()``
    results are the exact matches. Other backends receive ``loose``."""

    def __init__(self, loose, exact):
        self.loose = loose
        self.exact = exact

    def as_modelsearch_query(self):
        return self.loose

    def __repr__(self):
        return f"<ExactFirst {self.loose!r} {self.exact!r}>"


def partial_count_limit(params, default=None):
    """The backend option ``PARTIAL_COUNT_LIMIT``: the partial matches of an ``ExactFirst`` query
    are counted up to this many (their results' ``partial_capped()`` says when there are more);
    ``None`` or 0: all are counted."""
    value = params.get("PARTIAL_COUNT_LIMIT", default)
    if value in (None, 0, False):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(f"PARTIAL_COUNT_LIMIT must be a positive integer or None, not {value!r}")
    return value


def split_score(score):
    """(tier, score within the tier) of a tiered query's score: tier 0 is the last tier."""
    tier = int(score // TIER_OFFSET) if score >= TIER_OFFSET else 0
    return tier, score - tier * TIER_OFFSET


class InFields(SearchQuery):
    """``subquery`` found in the named search fields of the model only."""

    def __init__(self, subquery, fields):
        self.subquery = subquery
        self.fields = tuple(fields)

    def as_modelsearch_query(self):
        """Backends without per-condition fields search the whole document."""
        return self.subquery

    def __repr__(self):
        return f"<InFields {self.fields!r} {self.subquery!r}>"


def has_field_conditions(query):
    """Whether ``query`` holds an ``InFields`` anywhere."""
    if isinstance(query, InFields):
        return True
    if isinstance(query, ExactFirst):
        return has_field_conditions(query.loose) or has_field_conditions(query.exact)
    inner = getattr(query, "subqueries", None) or ([query.subquery] if hasattr(query, "subquery") else [])
    return any(has_field_conditions(q) for q in inner)
