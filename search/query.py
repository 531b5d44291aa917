"""Query types of our own for the people search, understood by search.backends.whoosh
(and, for ``InFields``, search.backends.postgres).

``BestMatch("占道经营 罚款")`` returns the documents containing every word
first (the exact phrase scoring highest), then those containing only some of
the words: a partial match always ranks below a full match. Other backends
receive the equivalent modelsearch query (``as_modelsearch_query``).

``InFields(query, ["facts"])`` matches ``query`` in the named search fields only
(案情, 争议焦点 …): one condition of an advanced search may look in one field and
the next in another, which the ``fields=`` argument of ``search()`` (one list for
the whole query) cannot say."""
from modelsearch.query import Boost, Or, Phrase, PlainText, SearchQuery


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
    inner = getattr(query, "subqueries", None) or ([query.subquery] if hasattr(query, "subquery") else [])
    return any(has_field_conditions(q) for q in inner)
