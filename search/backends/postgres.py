"""PostgreSQL full-text search with the Whoosh backend's Chinese analysis.

modelsearch's PostgreSQL backend (``modelsearch.backends.database.postgres``) keeps one
``IndexEntry`` row per object (title, body and autocomplete ``tsvector`` columns) in the
project's database, so every app server searches the same index. PostgreSQL's own parser
cannot cut Chinese into words, so this backend hands it words that are already cut:

* documents: each field's text goes through ``search.analysis.segment`` (jieba precise mode,
  the domain dictionary, dictionary sub-words at the word's position, 第三十三条 → 第33条,
  Latin/number words, stop words) and is written as a ``tsvector`` literal — the lexemes, their
  positions and the field's weight — so PostgreSQL's parser never re-reads it;
* queries: ``search.analysis.query_tokens`` gives the words; each word becomes a ``tsquery``
  alternative of the word itself, all its two-character sub-words and its synonyms (as with
  Whoosh), written as a ``tsquery`` literal;
* ``BestMatch``: documents holding every word score ``TIER_OFFSET`` above those holding only
  some of them (the exact phrase scoring higher), as the Whoosh backend ranks its tiers.

Everything else — filters, ordering, facets, counts, the rebuild — is modelsearch's.
"""
import math

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, router
from django.db.models import Case, F, FloatField, Value, When
from django.db.models.functions import Cast

from modelsearch.backends.database.postgres.postgres import (
    EMPTY_VECTOR,
    IndexEntry,
    ObjectIndexer,
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchRebuilder,
    PostgresSearchResults,
)
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from modelsearch.utils import ADD, get_content_type_pk, get_descendants_content_types_pks

from search import analysis
from search.backends.pgfields import FieldSearchMixin
from search.backends.pgmatch import (
    BROAD_SHARE, GIN_INDEX, MATCH_TABLE, Ranking, SharedMatch, content_type_shares, lexeme_frequencies, write_match_rows)
from search.query import TIER_OFFSET, BestMatch, ExactFirst, partial_count_limit

#: Weight of a synonym relative to the word the user typed (as search.backends.whoosh).
SYNONYM_BOOST = 0.8
#: Weight of the exact phrase in a ``BestMatch`` score.
PHRASE_BOOST = 2.0
#: Partial matches ranked for a page: those holding the query's rarest words, taken until
#: PostgreSQL's statistics expect about this many rows (the rest hold only common words).
RARE_ROWS = 300
#: Partial matches of an ``ExactFirst`` query counted at most (``PARTIAL_COUNT_LIMIT``, on by default
#: here): counting every document holding any query word visits most of the library for a common word.
PARTIAL_COUNT_LIMIT = 1000
#: A capped count asks first for the rows of the query word expected in the fewest rows that still
#: number this many times the cap (PostgreSQL's statistics), and counts every match only when
#: those hold fewer partial matches than the cap.
PROBE_FACTOR = 3
#: Highest word position a tsvector stores (PostgreSQL clips larger ones to it).
MAX_POSITION = 16383
#: Longest lexeme PostgreSQL accepts, in bytes.
MAX_LEXEME_BYTES = 2046
#: ts_rank's weights of the D, C, B and A labels. modelsearch derives them from every boost in the
#: project (D, a boost of 1, then weighs about 1 % of A), so an article's own text hardly counted
#: beside its law's name; these keep the ratio of our boosts (1, 2, 3) as BM25F does with Whoosh.
SQL_WEIGHTS = "{0.33,0.5,0.67,1.0}"
#: ts_rank normalisation: divide by 1 + log(document length), so that long articles do not
#: win by length alone (BM25's length normalisation plays that part with Whoosh).
RANK_NORMALIZATION = 1


class _Nothing:
    """A query part that matches no document (a query of stop words only)."""


class _Everything:
    """A query part that matches every document (``Not`` of nothing)."""


NOTHING = _Nothing()
EVERYTHING = _Everything()


def lexeme(word, prefix=False):
    """``word`` as a quoted tsquery/tsvector lexeme."""
    text = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return text + ":*" if prefix else text


def tsvector_literal(texts):
    """A ``tsvector`` literal of [(text, weight letter)]: our tokens with positions and weights.

    Sub-words share their word's position (as in the Whoosh index), and a gap of one position
    between texts keeps a phrase from spanning two fields."""
    entries = {}
    position = 1
    for text, weight in texts:
        last = None
        for word, pos, _start, _end, _sub in analysis.segment(text, subwords=True):
            if len(word.encode("utf-8")) > MAX_LEXEME_BYTES:
                continue
            at = min(position + pos, MAX_POSITION)
            entries.setdefault(word, []).append(f"{at}{weight}")
            last = pos
        if last is not None:
            position = min(position + last + 2, MAX_POSITION)
    return " ".join(f"{lexeme(word)}:{','.join(dict.fromkeys(spots))}" for word, spots in entries.items())


class TsQuery(SearchQuery):
    """A ``tsquery`` literal, not parsed again by a text search configuration."""

    template = "(%(expressions)s)::tsquery"

    def __init__(self, text):
        self.text = text
        super().__init__(text, search_type="raw")


class JiebaObjectIndexer(ObjectIndexer):
    """modelsearch's indexer; the vectors hold our segmenter's words instead of the parser's."""

    def as_vector(self, texts, for_autocomplete=False):
        texts = [(text.strip(), weight) for text, weight in texts]
        literal = tsvector_literal([(text, weight) for text, weight in texts if text])
        if not literal:
            return EMPTY_VECTOR
        return Cast(Value(literal), output_field=SearchVectorField())


class JiebaPostgresIndex(PostgresIndex):
    """modelsearch's index table; rows are written from ``JiebaObjectIndexer``'s vectors."""

    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        analysis.load_db_terms()
        content_type_id = get_content_type_pk(model)
        entries = []
        for obj in objs:
            indexer = JiebaObjectIndexer(obj, self.backend)
            entries.append(IndexEntry(
                content_type_id=content_type_id, object_id=indexer.id, title=indexer.title,
                autocomplete=indexer.autocomplete, body=indexer.body, title_norm=1.0,
                title_text=indexer.title_text, body_text=indexer.body_text))
        if not entries:
            return
        # An upsert: a row is replaced in place, never missing (other servers keep finding it).
        IndexEntry._default_manager.using(self.write_connection.alias).bulk_create(
            entries, update_conflicts=True, unique_fields=["content_type", "object_id"],
            update_fields=["title", "autocomplete", "body", "title_norm", "title_text", "body_text"])
        # The match rows (search.backends.pgmatch) beside the entries: what counts and facets read.
        write_match_rows(self.write_connection, model, objs)
        self._refresh_title_norms()


class _TsQueryCompilerMixin:
    """Query text → tsquery literal through the Whoosh backend's query analysis."""

    #: Every query word may be the start of a longer word (autocomplete).
    PREFIX = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sql_weights = SQL_WEIGHTS
        # An ExactFirst query is its loose reading; the shared match also counts and ranks first
        # the exact one (``exact_count()``), where there is a shared match.
        self.exact = None
        #: Set by the backend (``PARTIAL_COUNT_LIMIT``).
        self.partial_count_limit = None
        if isinstance(self.query, ExactFirst):
            self.exact, self.query = self.query.exact, self.query.loose

    def _word(self, word, subs):
        alternatives = [lexeme(word, self.PREFIX)]
        if subs and not self.PREFIX:
            alternatives.append("(" + " & ".join(lexeme(s) for s in subs) + ")")
        if not self.PREFIX:
            for synonym in analysis.synonyms_for(word):
                words = [w for w, _s in analysis.query_tokens(synonym)]
                if words:
                    alternatives.append("(" + " <-> ".join(lexeme(w) for w in words) + ")")
        return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"

    def _plaintext(self, text, operator):
        tokens = analysis.query_tokens(text)
        if not tokens:
            return NOTHING
        parts = [self._word(word, subs) for word, subs in tokens]
        return "(" + (" & " if operator == "and" else " | ").join(parts) + ")"

    def _phrase(self, text):
        words = [w for w, _s in analysis.query_tokens(text)]
        if not words:
            return NOTHING
        return "(" + " <-> ".join(lexeme(w) for w in words) + ")"

    def build_tsquery_content(self, query, config=None, invert=False):
        """The query as tsquery text, or NOTHING / EVERYTHING."""
        if isinstance(query, BestMatch):
            return self.build_tsquery_content(query.as_modelsearch_query(), config, invert)
        if isinstance(query, MatchAll):
            found = EVERYTHING
        elif isinstance(query, (PlainText, Fuzzy)):
            found = self._plaintext(query.query_string, query.operator)
        elif isinstance(query, Phrase):
            # Autocomplete takes a phrase's words as prefixes, as the Whoosh backend does.
            found = self._plaintext(query.query_string, "and") if self.PREFIX else self._phrase(query.query_string)
        elif isinstance(query, Boost):
            found = self.build_tsquery_content(query.subquery, config)
        elif isinstance(query, Not):
            found = self.build_tsquery_content(query.subquery, config, invert=True)
        elif isinstance(query, (And, Or)):
            parts = [self.build_tsquery_content(q, config) for q in query.subqueries]
            if isinstance(query, And):
                if any(p is NOTHING for p in parts):
                    found = NOTHING
                else:
                    parts = [p for p in parts if p is not EVERYTHING]
                    found = "(" + " & ".join(parts) + ")" if parts else EVERYTHING
            elif any(p is EVERYTHING for p in parts):
                found = EVERYTHING
            else:
                parts = [p for p in parts if p is not NOTHING]
                found = "(" + " | ".join(parts) + ")" if parts else NOTHING
        else:
            raise NotImplementedError(
                f"`{query.__class__.__name__}` is not supported by the PostgreSQL search backend.")
        if invert:
            if found is NOTHING:
                return EVERYTHING
            if found is EVERYTHING:
                return NOTHING
            return f"!{found}"
        return found

    def build_tsquery(self, query, config=None):
        found = self.build_tsquery_content(query, config=config)
        if isinstance(found, str):
            return TsQuery(found)
        return found

    def _rank(self, vector, tsquery, boost=1.0):
        if not isinstance(tsquery, TsQuery):
            return Value(0.0, output_field=FloatField())
        rank = SearchRank(vector, tsquery, weights=self.sql_weights, normalization=Value(RANK_NORMALIZATION))
        return rank * boost if boost != 1.0 else rank

    def build_tsrank(self, vector, query, config=None, boost=1.0):
        if isinstance(query, BestMatch):
            return self.build_tsrank(vector, query.as_modelsearch_query(), config, boost)
        if isinstance(query, (Phrase, PlainText, Not, Fuzzy, MatchAll)):
            return self._rank(vector, self.build_tsquery(query), boost * getattr(query, "boost", 1.0))
        if isinstance(query, Boost):
            return self.build_tsrank(vector, query.subquery, config, boost * query.boost)
        return super().build_tsrank(vector, query, config=config, boost=boost)

    def get_fields_vectors(self, search_query):
        # A search limited to the title uses the title vector (our words); other fields are
        # read by PostgreSQL's parser from the model's columns (modelsearch's behaviour).
        if self.fields and set(self.fields) == {"title"}:
            return [(F("index_entries__title"), F("index_entries__title_norm"))]
        return super().get_fields_vectors(search_query)

    def _best_match(self, start, stop, score_field):
        """Full matches (TIER_OFFSET + rank, the exact phrase counting double) before partial ones."""
        text = self.query.query_string
        tokens = analysis.query_tokens(text)
        partial = self.build_tsquery(PlainText(text, operator="or"))
        if not isinstance(partial, TsQuery):
            return self.queryset.none()
        full = self.build_tsquery(PlainText(text, operator="and"))
        phrase = self.build_tsquery(Phrase(text)) if len(tokens) > 1 else None
        vectors = self.get_search_vectors(partial)
        combined = vectors[0][0]
        for vector, _boost in vectors[1:]:
            combined = combined._combine(vector, "||", False)
        # One rank over title and body together (their words keep their fields' weights):
        # half the ts_rank calls of ranking each vector, over every matching row.
        ranks = [self._rank(F("_vector_"), partial)]
        if phrase is not None:
            ranks.append(self._rank(F("_vector_"), phrase, PHRASE_BOOST))
        queryset = self.queryset.annotate(_vector_=combined).filter(_vector_=partial)
        if len(tokens) > 1:
            tier = Case(When(_vector_=full, then=Value(TIER_OFFSET)), default=Value(0.0),
                        output_field=FloatField())
            ranks.append(tier)
        return self._apply_ordering_and_scoring(queryset, ADD(ranks), start, stop, score_field)

    def _matching_query(self):
        """The query as matched: a fuzzy Chinese query is a word query (trigrams of Chinese say little)."""
        query = self.query
        if isinstance(query, Fuzzy) and query.query_string and analysis._CJK.search(query.query_string):
            return PlainText(query.query_string, operator=query.operator)
        return query

    def shared_match(self):
        """The ``SharedMatch`` of this search (count, facets and page in one statement), or None
        where modelsearch's own queries answer (autocomplete, fuzzy Latin text, match-all,
        fields other than the title)."""
        if "_shared_match" not in self.__dict__:
            self._shared_match = self._make_shared_match()
        return self._shared_match

    def _make_shared_match(self):
        query = self._matching_query()
        if self.PREFIX or isinstance(query, (Fuzzy, MatchAll)) or self._field_limited():
            return None
        if self.fields is not None and set(self.fields) != {"title"}:
            return None
        ranking = None
        exact = None
        if self.exact is not None:
            exact = self.build_tsquery_content(self.exact)
            if exact is EVERYTHING:
                return None
        if isinstance(query, BestMatch):
            text = query.query_string
            found = self.build_tsquery_content(PlainText(text, operator="or"))
            if isinstance(found, str):
                several = len(analysis.query_tokens(text)) > 1
                full = self.build_tsquery_content(PlainText(text, operator="and")) if several else None
                phrase = self.build_tsquery_content(Phrase(text)) if several else None
                ranking = Ranking(found, full=full if isinstance(full, str) else None,
                                  phrase=phrase if isinstance(phrase, str) else None, phrase_boost=PHRASE_BOOST,
                                  tier_offset=TIER_OFFSET, rare=self._rare_words(text) if several else None,
                                  weights=self.sql_weights, normalization=RANK_NORMALIZATION,
                                  words=self._word_weights(text) if several else ())
        else:
            found = self.build_tsquery_content(query)
            if exact is not None and isinstance(found, str):
                ranking = Ranking(found, tier_offset=TIER_OFFSET, weights=self.sql_weights,
                                  normalization=RANK_NORMALIZATION)
        if found is EVERYTHING:
            return None
        cap = self.partial_count_limit if isinstance(exact, str) and isinstance(found, str) else None
        skip = bool(cap) and self._below_cap(cap)
        probe = self._probe(query.query_string, cap) if cap and not skip and isinstance(query, BestMatch) else None
        match = SharedMatch(self.queryset, found if isinstance(found, str) else None,
                            title_only=self.fields is not None, ranking=ranking,
                            exact=exact if isinstance(exact, str) else None, cap=cap, probe=probe, probe_skip=skip)
        match.splits = self.exact is not None
        return match

    def _below_cap(self, cap):
        """Whether the model's matches are counted without asking for the cap first: PostgreSQL's
        statistics say it has fewer rows than ``cap`` (its partial matches cannot reach it), or
        too few to be searched through the GIN index (``BROAD_SHARE``: its rows are read through
        the content type's index, and counting them all costs no more than the probe)."""
        connection = connections[router.db_for_read(self.queryset.model)]
        shares = content_type_shares(connection)
        _freqs, _floor, entries = lexeme_frequencies(connection)
        if not shares or entries <= 0:
            return False
        share = sum(shares.get(int(ct), 0.0) for ct in get_descendants_content_types_pks(self.queryset.model))
        return share * entries < cap or share < BROAD_SHARE

    def _word_share(self, freqs, floor, word, subs):
        """Share of the index entries holding ``word`` (or all its sub-words), by the statistics."""
        return max(freqs.get(word, floor / 2), min((freqs.get(s, floor / 2) for s in subs), default=0.0))

    def _probe(self, text, cap):
        """A tsquery of the one query word (with its sub-words and synonyms) expected in the fewest
        rows that still number ``PROBE_FACTOR`` × ``cap``: asked of the GIN index, it finds a capped
        count's partial matches far more cheaply than every word together. None (the loose tsquery
        itself) without statistics or when every word is rarer."""
        freqs, floor, entries = lexeme_frequencies(connections[router.db_for_read(self.queryset.model)])
        if not freqs or entries <= 0:
            return None
        best = None
        for word, subs in analysis.query_tokens(text):
            rows = self._word_share(freqs, floor, word, subs) * entries
            if rows >= PROBE_FACTOR * cap and (best is None or rows < best[0]):
                best = (rows, self._word(word, subs))
        return best[1] if best is not None else None

    def _word_weights(self, text):
        """[(tsquery of a query word, its weight)]: the word's rarity (``log(1 + 1/share)`` of the
        index entries holding it, PostgreSQL's statistics), as the Whoosh backend ranks partial
        matches by the IDF of the words they hold; empty without statistics."""
        freqs, floor, entries = lexeme_frequencies(connections[router.db_for_read(self.queryset.model)])
        if not freqs or entries <= 0:
            return []
        found = []
        for word, subs in analysis.query_tokens(text):
            share = self._word_share(freqs, floor, word, subs)
            found.append((self._word(word, subs), math.log(1.0 + 1.0 / max(share, 1.0 / entries))))
        return found

    def _rare_words(self, text):
        """A tsquery of the query's rarer words, those that partial matches are ranked among
        (PostgreSQL's statistics give how common each word is); None to rank them all."""
        tokens = analysis.query_tokens(text)
        freqs, floor, entries = lexeme_frequencies(connections[router.db_for_read(self.queryset.model)])
        if not freqs or entries <= 0:
            return None

        def share(word):
            return freqs.get(word, floor / 2)

        groups = sorted(
            (max(share(word), min((share(s) for s in subs), default=0.0)), i, self._word(word, subs))
            for i, (word, subs) in enumerate(tokens))
        chosen, rows = [], 0.0
        for frequency, _i, part in groups[:-1]:
            chosen.append(part)
            rows += frequency * entries
            if rows >= RARE_ROWS:
                break
        return "(" + " | ".join(chosen) + ")" if chosen and len(chosen) < len(groups) else None

    def search(self, config, start, stop, score_field=None, backend=None):
        if isinstance(self.query, BestMatch):
            return self._best_match(start, stop, score_field)
        if isinstance(self.query, Fuzzy) and self.query.query_string and analysis._CJK.search(
                self.query.query_string):
            # Trigrams of Chinese text say little: a fuzzy Chinese query is a word query.
            self.query = PlainText(self.query.query_string, operator=self.query.operator)
        if not isinstance(self.query, Fuzzy):
            found = self.build_tsquery(self.query)
            if found is NOTHING:
                return self.queryset.none()
            if found is EVERYTHING:
                # Every indexed object (as with Whoosh): a row whose entry was deleted is not found.
                return self.queryset.filter(index_entries__isnull=False)[start:stop]
        return super().search(config, start, stop, score_field=score_field, backend=backend)


class JiebaPostgresSearchQueryCompiler(FieldSearchMixin, _TsQueryCompilerMixin, PostgresSearchQueryCompiler):
    """Field-limited searches (``fields=[…]``, ``InFields``) through search.backends.pgfields."""


class JiebaPostgresAutocompleteQueryCompiler(_TsQueryCompilerMixin, PostgresAutocompleteQueryCompiler):
    PREFIX = True


class JiebaPostgresSearchResults(PostgresSearchResults):
    """Count, facets and the ranked page from one statement (``SharedMatch``), shared by the
    slices and clones of these results (they share the query compiler)."""

    def expect(self, facets=(), stop=0):
        """Say which facets and how many ranked rows will be read, so that the first read
        (``count()``, ``facet()`` or the page) fetches them all at once."""
        match = self.query_compiler.shared_match()
        if match is not None:
            match.want(facets, stop)
        return self

    def partial_capped(self):
        """Whether the partial matches of an ``ExactFirst`` query were counted up to the backend's
        ``PARTIAL_COUNT_LIMIT`` only: there are more, ``count()`` is the exact count plus the limit
        and the facets count the exact matches."""
        match = self.query_compiler.shared_match()
        if match is None or match.cap is None:
            return False
        match.count()
        return match.partial_capped

    def exact_count(self):
        """The number of matches an ``ExactFirst`` query's exact reading also matches (the first
        ones in result order), read with the count; None where modelsearch's queries answer."""
        match = self.query_compiler.shared_match()
        if match is None or not getattr(match, "splits", False) or match.ranking is None:
            return None
        match.count()
        return match.exact_total

    def _do_count(self):
        match = self.query_compiler.shared_match()
        if match is None:
            return super()._do_count()
        total = match.count()
        stop = total if self.stop is None else min(total, self.stop)
        return max(0, stop - self.start)

    def facet(self, field_name):
        match = self.query_compiler.shared_match()
        if match is None or self.query_compiler._get_filterable_field(field_name) is None:
            return super().facet(field_name)
        return match.facet(field_name, exact=match.cap is not None and self.partial_capped())

    def exact_facet(self, field_name):
        """``facet()`` over the exact matches of an ``ExactFirst`` query (what every facet of a
        search counts when a partial count is capped); None where there is no cap."""
        match = self.query_compiler.shared_match()
        if match is None or match.cap is None or self.query_compiler._get_filterable_field(field_name) is None:
            return None
        return match.facet(field_name, exact=True)

    def _do_search(self):
        match = self.query_compiler.shared_match()
        if match is None or match.ranking is None or not self.query_compiler.order_by_relevance:
            return super()._do_search()
        ranked = match.page(self.start, self.stop)
        if not ranked:
            return []
        objects = {obj.pk: obj for obj in self.query_compiler.queryset.filter(pk__in=[pk for pk, _s in ranked])}
        found = []
        for pk, score in ranked:
            obj = objects.get(pk)
            if obj is not None:
                if self._score_field:
                    setattr(obj, self._score_field, score)
                found.append(obj)
        return found


class _AnalyseAfterRebuild:
    """A rebuild ends with ``ANALYZE`` of the index table: the planner's statistics and the word
    frequencies the partial ranking reads (``lexeme_frequencies``) follow the new entries."""

    def finish(self):
        super().finish()
        connection = self.index.write_connection
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{IndexEntry._meta.db_table}", {MATCH_TABLE}')


class JiebaPostgresRebuilder(_AnalyseAfterRebuild, PostgresSearchRebuilder):
    pass


class JiebaPostgresAtomicRebuilder(_AnalyseAfterRebuild, PostgresSearchAtomicRebuilder):
    pass


class JiebaPostgresSearchBackend(PostgresSearchBackend):
    """``search.backends.postgres``: modelsearch's PostgreSQL backend with jieba analysis.

    Rebuilds are not atomic by default: ``update_index`` upserts every row and then deletes
    the stale ones, each batch committed, so searches on every server keep finding the
    previous entries meanwhile and publishing is never held up by a rebuild's long
    transaction. ``"ATOMIC_REBUILD": True`` makes the whole rebuild one transaction."""

    query_compiler_class = JiebaPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = JiebaPostgresAutocompleteQueryCompiler
    index_class = JiebaPostgresIndex
    results_class = JiebaPostgresSearchResults
    rebuilder_class = JiebaPostgresRebuilder
    atomic_rebuilder_class = JiebaPostgresAtomicRebuilder
    #: Results of an ``ExactFirst`` query rank and count its exact matches (``exact_count()``).
    exact_first = True

    def _search(self, *args, **kwargs):
        results = super()._search(*args, **kwargs)
        compiler = getattr(results, "query_compiler", None)  # None: modelsearch's empty results
        if compiler is not None:
            compiler.partial_count_limit = self.partial_count_limit
        return results

    def __init__(self, params):
        params = {"ATOMIC_REBUILD": False, **params}
        super().__init__(params)
        #: Partial matches of an ``ExactFirst`` query counted at most (None: all).
        self.partial_count_limit = partial_count_limit(params, PARTIAL_COUNT_LIMIT)
        # Vectors and queries are literals of our own words: no configuration re-reads them.
        self.config = params.get("SEARCH_CONFIG") or "simple"
        self.autocomplete_config = "simple"


SearchBackend = JiebaPostgresSearchBackend
