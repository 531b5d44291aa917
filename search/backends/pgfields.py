"""Searches limited to named fields on the PostgreSQL backend (``fields=[…]`` and ``InFields``).

The index row holds one title and one body vector per object, so a field of its own cannot
be told apart there, and PostgreSQL's parser cannot cut the Chinese text of a column. A
field-limited part of a query is therefore matched on the column itself: each word (or one
of its synonyms, or all of its dictionary sub-words) must be contained in the field's text,
a phrase as written; the other parts match the index vectors as usual. Results are ranked
by the document's rank for the query's positive words. ``fields=["title"]`` alone keeps
modelsearch's title vector."""
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, FloatField, Q, Value

from modelsearch.query import And, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

from search import analysis
from search.query import BestMatch, InFields, has_field_conditions

_NOTHING = Q(pk__in=[])
_EVERYTHING = Q(pk__isnull=False)


def _contains(fields, text):
    found = _NOTHING
    for name in fields:
        found |= Q(**{f"{name}__icontains": text})
    return found


def _word(fields, word, subs):
    found = _contains(fields, word)
    if subs:
        every = _EVERYTHING
        for sub in subs:
            every &= _contains(fields, sub)
        found |= every
    for synonym in analysis.synonyms_for(word):
        found |= _contains(fields, synonym)
    return found


def _positive(query):
    """The query without its negations and field limits (what the rank counts)."""
    if isinstance(query, InFields):
        return _positive(query.subquery)
    if isinstance(query, Not):
        return None
    if isinstance(query, (And, Or)):
        parts = [p for p in (_positive(q) for q in query.subqueries) if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else type(query)(parts)
    return query


class FieldSearchMixin:
    """Matches field-limited queries on the model's columns (see the module's docstring)."""

    def _field_limited(self):
        return bool(self.fields and set(self.fields) != {"title"}) or has_field_conditions(self.query)

    def _column_fields(self, names):
        model = self.queryset.model
        columns = []
        for name in names:
            try:
                model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a search field that is a method, not a column
                continue
            columns.append(name)
        return columns

    def _condition(self, query, fields):
        if isinstance(query, BestMatch):
            return self._condition(query.as_modelsearch_query(), fields)
        if isinstance(query, InFields):
            return self._condition(query.subquery, self._column_fields(query.fields))
        if isinstance(query, MatchAll):
            return _EVERYTHING
        if isinstance(query, Not):
            return ~self._condition(query.subquery, fields)
        if isinstance(query, (And, Or)):
            parts = [self._condition(q, fields) for q in query.subqueries]
            found = parts[0]
            for part in parts[1:]:
                found = found & part if isinstance(query, And) else found | part
            return found
        if hasattr(query, "subquery"):  # Boost
            return self._condition(query.subquery, fields)
        if fields is None:
            found = self.build_tsquery(query)
            return Q(_vector_=found) if isinstance(found, SearchQuery) else _NOTHING
        if isinstance(query, Phrase):
            text = " ".join((query.query_string or "").split())
            return _contains(fields, text) if analysis.query_tokens(text) else _NOTHING
        if isinstance(query, (PlainText, Fuzzy)):
            tokens = analysis.query_tokens(query.query_string)
            if not tokens:
                return _NOTHING
            parts = [_word(fields, word, subs) for word, subs in tokens]
            found = parts[0]
            for part in parts[1:]:
                found = found & part if query.operator == "and" else found | part
            return found
        raise NotImplementedError(f"`{query.__class__.__name__}` is not supported in a field search.")

    def search(self, config, start, stop, score_field=None, backend=None):
        if not self._field_limited():
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        fields = None
        if self.fields:
            fields = self._column_fields(self.fields)
        vectors = self.get_index_vectors(None)
        combined = vectors[0][0]
        for vector, _boost in vectors[1:]:
            combined = combined._combine(vector, "||", False)
        queryset = self.queryset.annotate(_vector_=combined).filter(self._condition(self.query, fields))
        positive = _positive(self.query.as_modelsearch_query() if isinstance(self.query, BestMatch) else self.query)
        tsquery = self.build_tsquery(positive) if positive is not None else None
        if isinstance(tsquery, SearchQuery):
            rank = SearchRank(F("_vector_"), tsquery, weights=self.sql_weights)
        else:
            rank = Value(0.0, output_field=FloatField())
        return self._apply_ordering_and_scoring(queryset, rank, start, stop, score_field)
