"""A query type of our own for the people search, understood by search.backends.whoosh.

``BestMatch("占道经营 罚款")`` returns the documents containing every word
first (the exact phrase scoring highest), then those containing only some of
the words: a partial match always ranks below a full match. Other backends
receive the equivalent modelsearch query (``as_modelsearch_query``)."""
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
