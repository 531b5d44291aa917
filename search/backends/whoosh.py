"""Whoosh + jieba search backend for Wagtail (modelsearch interface).

    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "search.backends.whoosh", "PATH": "/var/lib/academy/search-index"},
    }

Options: PATH (index folder, default settings.SEARCH_INDEX_DIR), LOCK_TIMEOUT
(seconds a writer waits for the write lock, default 60).

Queries: PlainText (operators "and"/"or"), Phrase, Fuzzy, Boost, And/Or/Not,
MATCH_ALL/MATCH_NONE; SearchField boosts; RelatedFields; synonyms of the
reviewers' SynonymGroup snippets at query time.

Filters and ordering: lookups on the model's own FilterFields (exact, in, gt,
gte, lt, lte, range, isnull, startswith, year lookups) run inside Whoosh. Filters
Whoosh cannot express exactly - across relations (several conditions must hold
for the same related row), subqueries, other lookups, parent-pointer fields -
are applied by the database to Whoosh's matches, so results are always exactly
those of the queryset. Ordering by FilterFields runs in Whoosh; ordering by
expressions runs in the database.
"""
import heapq
import logging
import math
import os
from collections import Counter, OrderedDict

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Count
from django.db.models.expressions import BaseExpression
from django.db.models.lookups import Lookup
from django.db.models.functions.datetime import Extract as ExtractDate
from whoosh import query as wq
from whoosh import sorting

from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    FilterFieldError,
)
from modelsearch.index import class_is_indexed
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

from search import analysis
from search.backends import mapping
from search.backends.fastwrite import FastMpWriter, FastSegmentWriter
from search.backends import postings as postings_module
from search.backends.postings import Postings
from search.query import TIER_OFFSET, BestMatch, ExactFirst, InFields, has_field_conditions, partial_count_limit
from search.backends.store import IndexBusy, IndexStore  # noqa: F401 - re-exported

logger = logging.getLogger("academy.search")

#: Weight of a synonym relative to the word the user typed.
SYNONYM_BOOST = 0.8
#: Weight of the "all sub-words present" alternative of a long word.
SUBWORD_BOOST = 0.6
#: Postings of the most frequent words read into memory before the server forks (preload):
#: on the full statute library, the 3,400 commonest words, about half of all postings.
PRELOAD_POSTINGS = 3_000_000
#: Chunk size for database filtering of Whoosh matches.
DB_CHUNK = 500


class NotPushable(Exception):
    """A filter or ordering that Whoosh cannot apply exactly: the database applies it."""


def _match_none():
    return wq.NullQuery


def _phrase_query(fname, words, boost):
    """Words next to each other: on the catch-all field, all the word pairs of
    the phrase (its "pairs" field); named fields keep no order, so all the words."""
    if fname == "all":
        pairs = [wq.Term("pairs", p) for p in analysis.word_pairs(words)]
        return pairs[0].with_boost(boost) if len(pairs) == 1 else wq.And(pairs, boost=boost)
    return wq.And([wq.Term(fname, w) for w in words], boost=boost)


# --- query compilation -------------------------------------------------------------


class WhooshSearchQueryCompiler(BaseSearchQueryCompiler):
    DEFAULT_OPERATOR = "and"
    HANDLES_ORDER_BY_EXPRESSIONS = True
    autocomplete = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = self.queryset.model
        self._plan = None

    # -- fields

    def get_text_fields(self):
        """{field: boost}: the catch-all field, or the named fields' own fields."""
        if not self.fields:
            return {"all": 1.0}
        return self.named_text_fields(self.fields)

    def named_text_fields(self, names):
        """{field: boost} of the named search fields (the catch-all field for models
        never searched field by field)."""
        if mapping.catch_all_only(self.model):
            return {"all": 1.0}
        return mapping.text_fields(self.model, autocomplete=False, names=tuple(names))

    # -- text queries

    def _word_query(self, fields, word, subs, boost, fuzzy=False):
        """One word across the fields: the word itself, its synonyms and, for a
        long word, all its dictionary sub-words."""
        alternatives = []
        for fname, fboost in fields.items():
            if fuzzy and not analysis._CJK.search(word) and len(word) > 2:
                alternatives.append(wq.FuzzyTerm(fname, word, boost=fboost * boost,
                                                 maxdist=1 if len(word) < 6 else 2, prefixlength=1))
            else:
                alternatives.append(wq.Term(fname, word, boost=fboost * boost))
            if subs and not self.autocomplete:
                alternatives.append(wq.And([wq.Term(fname, s) for s in subs], boost=fboost * boost * SUBWORD_BOOST))
        if not self.autocomplete:
            for synonym in analysis.synonyms_for(word):
                syn_tokens = analysis.query_tokens(synonym)
                if not syn_tokens:
                    continue
                for fname, fboost in fields.items():
                    b = fboost * boost * SYNONYM_BOOST
                    if len(syn_tokens) == 1:
                        alternatives.append(wq.Term(fname, syn_tokens[0][0], boost=b))
                    else:
                        alternatives.append(_phrase_query(fname, [t[0] for t in syn_tokens], b))
        if not alternatives:
            return _match_none()
        return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)

    def _plaintext(self, text, operator, boost, fields, fuzzy=False):
        tokens = analysis.query_tokens(text)
        if not tokens or not fields:
            return _match_none()
        parts = [self._word_query(fields, word, subs, boost, fuzzy=fuzzy) for word, subs in tokens]
        if len(parts) == 1:
            return parts[0]
        return wq.And(parts) if operator == "and" else wq.Or(parts)

    def _phrase(self, text, boost, fields):
        tokens = [t[0] for t in analysis.query_tokens(text)]
        if not tokens or not fields:
            return _match_none()
        if len(tokens) == 1:
            return wq.Or([wq.Term(f, tokens[0], boost=b * boost) for f, b in fields.items()])
        return wq.Or([_phrase_query(f, tokens, b * boost) for f, b in fields.items()])

    def compile_tiers(self, query, fields):
        """[(scoring query, matching query)] tiers for BestMatch (full matches,
        then partial ones) and ExactFirst (exact matches, then the loose query's
        tiers), or None for other queries. ``self.word_tier``: the index of the tier
        ranked by the rarity of the words its documents hold (BestMatch's partial
        matches), or None."""
        self.word_tier = None
        if isinstance(query, ExactFirst):
            loose_tiers = self.compile_tiers(query.loose, fields)
            if loose_tiers is None:
                loose = self.compile_query(query.loose, fields)
                loose_tiers = [(loose, loose)]
            elif self.word_tier is not None:
                self.word_tier += 1
            exact = self.compile_query(query.exact, fields)
            loose = loose_tiers[-1][1]
            if exact is wq.NullQuery or loose is wq.NullQuery:
                return [(wq.NullQuery, wq.NullQuery)] + loose_tiers
            # Exact matches are loose matches too; the And keeps the tiers nested whatever the queries.
            return [(exact, wq.And([exact, loose]))] + loose_tiers
        if not isinstance(query, BestMatch):
            return None
        text = query.query_string
        full = self._plaintext(text, "and", 1.0, fields)
        if full is wq.NullQuery:
            return [(wq.NullQuery, wq.NullQuery)]
        tokens = analysis.query_tokens(text)
        scoring = full
        if 1 < len(tokens) <= 12 and "all" in fields:
            scoring = wq.Or([full, _phrase_query("all", [t[0] for t in tokens], 2.0)])
        tiers = [(scoring, full)]
        if len(tokens) > 1:
            partial = self._plaintext(text, "or", 1.0, fields)
            tiers.append((partial, partial))
            self.word_tier = 1
        return tiers

    def compile_query(self, query, fields, boost=1.0):
        """Translate a modelsearch query into a Whoosh query (NullQuery matches nothing)."""
        if isinstance(query, (BestMatch, ExactFirst)):
            return self.compile_query(query.as_modelsearch_query(), fields, boost)
        if isinstance(query, InFields):
            return self.compile_query(query.subquery, self.named_text_fields(query.fields), boost)
        if isinstance(query, MatchAll):
            return wq.Every()
        if isinstance(query, PlainText):
            return self._plaintext(query.query_string, query.operator, boost * query.boost, fields)
        if isinstance(query, Fuzzy):
            return self._plaintext(query.query_string, query.operator, boost, fields, fuzzy=True)
        if isinstance(query, Phrase):
            return self._phrase(query.query_string, boost, fields)
        if isinstance(query, Boost):
            return self.compile_query(query.subquery, fields, boost * query.boost)
        if isinstance(query, Not):
            inner = self.compile_query(query.subquery, fields, boost)
            if inner is wq.NullQuery:
                return wq.Every()
            if isinstance(inner, wq.Every):
                return wq.NullQuery
            return wq.AndNot(wq.Every(), inner)
        if isinstance(query, And):
            parts = [self.compile_query(q, fields, boost) for q in query.subqueries]
            if any(p is wq.NullQuery for p in parts):
                return wq.NullQuery
            parts = [p for p in parts if not isinstance(p, wq.Every)] or [wq.Every()]
            # "a and not b" as one AndNot: matched and scored from the posting lists in memory.
            negated = [p.b for p in parts if type(p) is wq.AndNot and isinstance(p.a, wq.Every)]
            positive = [p for p in parts if not (type(p) is wq.AndNot and isinstance(p.a, wq.Every))]
            if negated and positive:
                kept = positive[0] if len(positive) == 1 else wq.And(positive)
                return wq.AndNot(kept, negated[0] if len(negated) == 1 else wq.Or(negated))
            return parts[0] if len(parts) == 1 else wq.And(parts)
        if isinstance(query, Or):
            parts = [self.compile_query(q, fields, boost) for q in query.subqueries]
            parts = [p for p in parts if p is not wq.NullQuery]
            if not parts:
                return wq.NullQuery
            if any(isinstance(p, wq.Every) for p in parts):
                # Everything matches; keep the scoring parts so relevance still orders.
                scoring = [p for p in parts if not isinstance(p, wq.Every)]
                return wq.Or([wq.Every()] + scoring) if scoring else wq.Every()
            return parts[0] if len(parts) == 1 else wq.Or(parts)
        raise NotImplementedError(f"`{query.__class__.__name__}` is not supported by the Whoosh search backend.")

    # -- filters

    def _get_filters_from_where_node(self, where_node, check_only=False):
        if not check_only and isinstance(where_node, Lookup) and not isinstance(where_node.lhs, ExtractDate):
            target = getattr(where_node.lhs, "target", None)
            if target is None or target.attname.endswith("_ptr_id"):
                # Parent pointers and expressions: the database applies them.
                raise NotPushable
        return super()._get_filters_from_where_node(where_node, check_only=check_only)

    def _process_lookup(self, field_path, lookup, value):
        if len(field_path) != 1:
            raise NotPushable
        field = field_path[0]
        fname, kind, internal, colname = mapping.filter_field_info(self.model, field)
        if kind == "fm":
            raise NotPushable
        if isinstance(value, (BaseExpression, models.QuerySet)) or hasattr(value, "resolve_expression"):
            raise NotPushable

        def enc(v):
            if isinstance(v, models.Model):
                v = v.pk
            return mapping.encode_filter_value(kind, v)

        def rng(lo, hi, startexcl=False, endexcl=False):
            if kind == "fs":
                return wq.TermRange(fname, lo, hi, startexcl=startexcl, endexcl=endexcl, constantscore=True)
            return wq.NumericRange(fname, lo, hi, startexcl=startexcl, endexcl=endexcl, constantscore=True)

        if lookup == "isnull":
            null = wq.Term("fnull", colname)
            return null if value else wq.AndNot(wq.Every(), null)
        if value is None:
            raise NotPushable
        if lookup == "exact":
            v = enc(value)
            return wq.Term(fname, v) if kind == "fs" else rng(v, v)
        if lookup == "in":
            values = list(value)
            if any(isinstance(v, (BaseExpression, models.QuerySet)) for v in values):
                raise NotPushable
            if not values:
                return wq.NullQuery
            return wq.Or([wq.Term(fname, enc(v)) if kind == "fs" else rng(enc(v), enc(v)) for v in values])
        if lookup == "gt":
            return rng(enc(value), None, startexcl=True)
        if lookup == "gte":
            return rng(enc(value), None)
        if lookup == "lt":
            return rng(None, enc(value), endexcl=True)
        if lookup == "lte":
            return rng(None, enc(value))
        if lookup == "range":
            lo, hi = value
            return rng(enc(lo), enc(hi))
        if lookup == "startswith" and kind == "fs":
            return wq.Prefix(fname, str(value))
        raise NotPushable

    def _process_match_none(self):
        return wq.NullQuery

    def _connect_filters(self, filters, connector, negated):
        if connector == "AND":
            if any(f is wq.NullQuery for f in filters):
                combined = wq.NullQuery
            else:
                filters = [f for f in filters if f is not None]
                combined = wq.And(filters) if len(filters) > 1 else (filters[0] if filters else wq.Every())
        elif connector == "OR":
            filters = [f for f in filters if f is not None and f is not wq.NullQuery]
            combined = wq.Or(filters) if len(filters) > 1 else (filters[0] if filters else wq.NullQuery)
        else:
            raise NotPushable
        if negated:
            if combined is wq.NullQuery:
                return wq.Every()
            return wq.AndNot(wq.Every(), combined)
        return combined

    # -- plan

    def plan(self):
        """Compile once: the Whoosh text query, the Whoosh filter (or None when
        the database must filter), and the ordering."""
        if self._plan is not None:
            return self._plan
        fields = self.get_text_fields()
        tiers, word_tier, text_q = self._compiled(fields)
        exact_q = tiers[0][1] if tiers and isinstance(self.query, ExactFirst) else None
        ct = wq.Term("ct", mapping.model_label(self.model))
        db_filter = False
        if self.queryset.query.is_empty():
            filter_q = wq.NullQuery
        elif not self.queryset.query.where:
            filter_q = None
        else:
            try:
                filter_q = self._get_filters_from_queryset(check_only=False)
            except NotPushable:
                filter_q, db_filter = None, True
        if isinstance(filter_q, wq.Every):
            filter_q = None
        sort = None
        db_order = False
        if not self.order_by_relevance:
            order_by = self.queryset.query.order_by
            if any(not isinstance(o, str) for o in order_by):
                db_order = True
            else:
                facets = []
                for reverse, field in self._get_order_by():
                    fname, kind, _internal, _col = mapping.filter_field_info(self.model, field)
                    if kind == "fm":
                        db_order = True
                        break
                    facets.append(sorting.FieldFacet(fname, reverse=reverse))
                if not order_by:
                    facets.append(sorting.FieldFacet("pkn", reverse=True))
                sort = facets
        self._plan = {
            "tiers": tiers,
            "word_tier": word_tier,
            "exact": exact_q,
            "text": text_q,
            "ct": ct,
            "filter": filter_q,
            "db_filter": db_filter,
            "sort": sort,
            "db_order": db_order,
        }
        return self._plan

    def _compiled(self, fields):
        """(tiers, word tier, text query) of this search's query, compiled once per query object
        and fields: the people search asks the same query of every model, and a query of many
        words (synonyms, sub-words) costs more to compile than to match. Queries with fields of
        their own (``InFields``) depend on the model and are kept per model; a change of the
        synonyms compiles again."""
        key = (self.autocomplete, tuple(sorted(fields.items())),
               self.model if has_field_conditions(self.query) else None)
        synonyms = analysis.synonyms_map()
        memo = getattr(self.query, "_whoosh_compiled", None)
        if memo is None:
            memo = {}
            try:
                self.query._whoosh_compiled = memo
            except AttributeError:  # a query without a __dict__: compile every time
                pass
        found = memo.get(key)
        if found is not None and found[0] is synonyms:
            return found[1]
        tiers = None if self.autocomplete else self.compile_tiers(self.query, fields)
        word_tier = getattr(self, "word_tier", None) if tiers else None
        text_q = tiers[-1][1] if tiers else self.compile_query(self.query, fields)
        memo[key] = (synonyms, (tiers, word_tier, text_q))
        return tiers, word_tier, text_q

    def whoosh_query(self):
        """The full Whoosh query (text, content type and pushed filters) or NullQuery."""
        plan = self.plan()
        if plan["text"] is wq.NullQuery or plan["filter"] is wq.NullQuery:
            return wq.NullQuery
        parts = [plan["text"], wq.ConstantScoreQuery(plan["ct"], 0.0)]
        if plan["filter"] is not None:
            parts.append(wq.ConstantScoreQuery(plan["filter"], 0.0))
        if isinstance(plan["text"], wq.Every):
            parts = parts[1:]
            if plan["filter"] is not None:
                return wq.And([plan["ct"], plan["filter"]])
            return plan["ct"]
        return wq.And(parts)

    def __repr__(self):
        return f"<WhooshSearchQueryCompiler {self.model.__name__} {self.query!r}>"


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    """Partial-word matching on AutocompleteFields (edge n-grams)."""

    autocomplete = True

    def get_text_fields(self):
        names = None
        if self.fields:
            names = tuple(self.fields)
        return mapping.text_fields(self.model, autocomplete=True, names=names)

    def compile_query(self, query, fields, boost=1.0):
        """Words as prefixes; a phrase (the admin's page search passes quoted words as one) as all
        its words; And, Or, Not and Boost combine their parts as a search does."""
        if isinstance(query, PlainText):
            return self._plaintext(query.query_string, query.operator, boost * query.boost, fields)
        if isinstance(query, (Phrase, Fuzzy)):
            return self._plaintext(query.query_string, "and", boost, fields)
        return super().compile_query(query, fields, boost)


# --- results --------------------------------------------------------------------------


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True

    def _searcher(self):
        """The thread's searcher, checked for a newer commit once per search (its count, exact
        count, facets and page share the query compiler): the check lists the index folder."""
        compiler = self.query_compiler
        store = self.backend.store
        searcher = compiler.__dict__.get("_searcher")
        if searcher is None or not store.holds(searcher):
            searcher = compiler._searcher = store.searcher()
        return searcher

    def _pk_column(self, searcher):
        # Opening a column reader parses its offsets table: once per searcher.
        return self.backend.store.cached(searcher, ("column", "pk"), lambda: searcher.reader().column_reader("pk"))

    def _to_pk(self, text):
        return self.query_compiler.model._meta.pk.to_python(text)

    def _allowed(self, searcher):
        """Documents of this model that pass the pushed filters (cached per searcher;
        a shared set: never modify it)."""
        plan = self.query_compiler.plan()
        if plan["filter"] is wq.NullQuery:
            return set()
        # A set (not frozenset): Whoosh's own search takes it as its filter.
        return self.backend.store.cached(searcher, ("filter", self._filter_key()),
                                         lambda: set(docset(searcher, self._filter_query())))

    def _filter_query(self):
        plan = self.query_compiler.plan()
        return plan["ct"] if plan["filter"] is None else wq.And([plan["ct"], plan["filter"]])

    def _filter_key(self):
        return repr(self._filter_query())

    def _outside(self, searcher, allowed):
        """The documents of the index that ``allowed`` leaves out (deleted ones excepted), cached per
        searcher: for the model holding most documents (the articles) a short set to take away."""
        return self.backend.store.cached(searcher, ("outside", self._filter_key()),
                                         lambda: frozenset(searcher.reader().all_doc_ids()) - allowed)

    def _matches(self, limit=None):
        """[(pk, score)] in result order; all of them when limit is None. All of them are kept on
        the query compiler, which the slices of these results share: the count, the exact count,
        the facets and the page of a search the database filters read one list."""
        compiler = self.query_compiler
        plan = compiler.plan()
        if limit is None or plan["db_filter"] or plan["db_order"]:
            found = compiler.__dict__.get("_every_match")
            if found is None:
                found = compiler._every_match = self._compute_matches()
            return found
        return self._compute_matches(limit)

    def _compute_matches(self, limit=None):
        compiler = self.query_compiler
        plan = compiler.plan()
        if plan["text"] is wq.NullQuery or plan["filter"] is wq.NullQuery:
            return []
        searcher = self._searcher()
        allowed = self._allowed(searcher)
        if not allowed:
            return []
        db_stage = plan["db_filter"] or plan["db_order"]
        if db_stage:
            limit = None
        sort = plan["sort"] if plan["sort"] is not None and not plan["db_order"] else None
        if plan["tiers"] and sort is None:
            tiers = plan["tiers"]
        else:
            tiers = [(plan["text"], plan["text"])]
        pk_col = self._pk_column(searcher)

        def pk_of(docnum):
            pk = pk_col[docnum]
            return self._to_pk(pk.decode("utf-8") if isinstance(pk, bytes) else pk)

        items = []
        excluded = set()
        for i, (scoring, matching) in enumerate(tiers):
            if scoring is wq.NullQuery:
                continue
            want = None if limit is None else limit - len(items)
            if want is not None and want <= 0:
                break
            kwargs = {"limit": want, "filter": allowed}
            if excluded:
                kwargs["mask"] = excluded
            if sort is not None:
                kwargs["sortedby"] = sort
            elif isinstance(scoring, wq.Every):
                kwargs["scored"] = False  # everything scores the same: keep index order
            offset = (len(tiers) - 1 - i) * TIER_OFFSET
            if i == plan["word_tier"] and sort is None and type(scoring) is wq.Or:
                # Partial matches: rank by the rarity of the words each document
                # has (sum of IDF), computed on posting-list sets; scoring every
                # document that shares one common word with Whoosh is too slow.
                ranked = self._partial_ranking(searcher, scoring.subqueries, allowed, excluded, want)
                for docnum, score in ranked:
                    items.append((pk_of(docnum), score + offset))
                continue
            if sort is None and not isinstance(scoring, wq.Every) and Postings.scorable(scoring):
                # Score only the matching documents, from posting lists in memory
                # (the same BM25F scores as Whoosh's search, without walking
                # every posting of the common words).
                counted = compiler.__dict__.get("_matched_docnums")
                if i == 0 and tiers is plan["tiers"] and plan["exact"] is not None and counted is not None \
                        and counted[0] is searcher:
                    # The exact tier of an ExactFirst query whose matches were counted: the
                    # exact query tested on those matches (no second match of the loose query).
                    matched = set(self._exact_docnums())
                else:
                    matched = self._docset(searcher, matching) & allowed
                if excluded:
                    matched -= excluded
                scores = Postings.of(searcher).scores(scoring, matched)

                def key(d, scores=scores):
                    return (-scores.get(d, 0.0), d)

                ranked = sorted(matched, key=key) if want is None else heapq.nsmallest(want, matched, key=key)
                for docnum in ranked:
                    items.append((pk_of(docnum), scores.get(docnum, 0.0) + offset))
                if i < len(tiers) - 1:
                    excluded |= matched
                continue
            hits = searcher.search(scoring, **kwargs)
            for docnum, score in hits.items():
                items.append((pk_of(docnum), float(score or 0.0) + offset))
            if i < len(tiers) - 1:
                excluded |= self._docset(searcher, matching) & allowed
        if db_stage:
            items = self._apply_database(items)
        return items

    def _partial_ranking(self, searcher, word_queries, allowed, excluded, want):
        """[(docnum, score)] best first: a document scores the sum of the IDF of
        the query words it contains.

        Exact top ``want`` without scoring every document that shares one common
        word (MaxScore): the documents of the rarest words give a lower bound L
        of the ``want``-th best score; a document holding none of the words whose
        weights, summed from the rarest, reach L cannot score L, so only the
        documents of those "essential" words are scored, and the common words
        are only intersected with them."""
        total = max(searcher.doc_count_all(), 1)
        terms = []
        for wq_ in word_queries:
            docs = self._docset(searcher, wq_)
            if docs:
                terms.append((math.log(1.0 + total / (len(docs) + 1.0)), docs))
        terms.sort(key=lambda t: -t[0])

        def eligible(docs):
            out = docs & allowed
            if excluded:
                out -= excluded
            return out

        scores = {}

        def score(candidates):
            for weight, docs in terms:
                for d in docs.intersection(candidates):
                    scores[d] = scores.get(d, 0.0) + weight

        if want is None:
            every = set()
            for _weight, docs in terms:
                every |= eligible(docs)
            score(every)
            return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        # Seed: documents holding the two rarest words (likely the best partial
        # matches), else the rarest words' documents until there are enough to
        # bound the page. Any seed gives a valid bound; a good one a small page.
        seeded = set()
        k = 0
        if len(terms) > 2:
            seeded = eligible(terms[0][1] & terms[1][1])
        if len(seeded) < want:
            seeded = set()
            while k < len(terms) and len(seeded) < want:
                seeded |= eligible(terms[k][1])
                k += 1
        score(seeded)
        if len(scores) >= want:
            bound = heapq.nlargest(want, scores.values())[-1]
            # Essential words: the fewest rarest ones whose remaining (commoner) words
            # together weigh less than the bound.
            remaining = sum(w for w, _d in terms)
            essential = 0
            while essential < len(terms) and remaining >= bound:
                remaining -= terms[essential][0]
                essential += 1
            more = set()
            for _weight, docs in terms[k:essential]:
                more |= eligible(docs)
            more -= seeded
            if more:
                score(more)
        return heapq.nsmallest(want, scores.items(), key=lambda kv: (-kv[1], kv[0]))

    def _docset(self, searcher, q):
        return self.backend.store.cached(searcher, ("q", repr(q)), lambda: docset(searcher, q))

    def _apply_database(self, items):
        """Filter and/or order Whoosh's matches in the database."""
        compiler = self.query_compiler
        plan = compiler.plan()
        queryset = compiler.queryset
        scores = dict(items)
        if plan["db_filter"]:
            allowed = set()
            pks = list(scores)
            for i in range(0, len(pks), DB_CHUNK):
                allowed.update(queryset.filter(pk__in=pks[i:i + DB_CHUNK]).values_list("pk", flat=True))
            items = [(pk, s) for pk, s in items if pk in allowed]
            scores = dict(items)
        if not compiler.order_by_relevance:
            order = queryset.query.order_by or ["-pk"]
            if plan["db_order"] or plan["db_filter"]:
                wanted = set(scores)
                if len(wanted) <= DB_CHUNK:
                    ordered = queryset.model._default_manager.filter(pk__in=wanted).order_by(*order)
                    ordered = ordered.values_list("pk", flat=True)
                else:
                    ordered = (pk for pk in queryset.order_by(*order).values_list("pk", flat=True) if pk in wanted)
                items = [(pk, scores[pk]) for pk in ordered]
        return items

    def _page(self):
        stop = self.stop
        items = self._matches(limit=stop)
        return items[self.start:stop]

    def _do_search(self):
        page = self._page()
        if not page:
            return []
        queryset = self.query_compiler.queryset
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        objects = {obj.pk: obj for obj in queryset.filter(pk__in=[pk for pk, _ in page]).order_by()}
        results = []
        for pk, score in page:
            obj = objects.get(pk)
            if obj is None:
                continue  # deleted, or no longer visible since it was indexed
            if self._score_field:
                setattr(obj, self._score_field, score)
            results.append(obj)
        return results

    def _do_count(self):
        count = self._total()
        if self.partial_capped():
            count = self.exact_count() + self.backend.partial_count_limit
        count -= self.start
        if self.stop is not None:
            count = min(count, self.stop - self.start)
        return max(count, 0)

    def _total(self):
        """Every match, counted."""
        if self.query_compiler.plan()["db_filter"]:
            return len(self._matches())
        return len(self.matched_docnums())

    def partial_capped(self):
        """Whether an ``ExactFirst`` query's partial matches (the matches minus the exact ones)
        number ``PARTIAL_COUNT_LIMIT`` or more: then they are counted as that many (``count()``
        is the exact count plus the limit) and the facets count the exact matches, as the
        PostgreSQL backend reports them."""
        limit = self.backend.partial_count_limit
        if not limit or self.query_compiler.plan()["exact"] is None:
            return False
        return self._total() - self.exact_count() >= limit

    def exact_count(self):
        """The number of matches an ``ExactFirst`` query's exact reading also matches (the first
        ones in result order), from this search's own matches; None for other queries."""
        plan = self.query_compiler.plan()
        if plan["exact"] is None:
            return None
        found = getattr(self, "_exact_count", None)
        if found is None:
            if plan["db_filter"]:
                # Filtered by the database: the exact tier's scores carry the top tier's offset.
                top = (len(plan["tiers"]) - 1) * TIER_OFFSET
                found = sum(1 for _pk, score in self._matches() if score >= top)
            else:
                found = len(self._exact_docnums())
            self._exact_count = found
        return found

    def _exact_docnums(self):
        """The matches of an ``ExactFirst`` query that its exact reading matches: its exact
        query tested on the matched documents only (they are loose matches already)."""
        compiler = self.query_compiler
        matched = self.matched_docnums()
        memo = compiler.__dict__.get("_exact_docnums")
        if memo is None or memo[0] is not matched:
            exact = compiler.plan()["tiers"][0][0]
            found = Postings.of(self._searcher()).within(exact, matched) if matched else set()
            memo = compiler._exact_docnums = (matched, found)
        return memo[1]

    def matched_docnums(self):
        """The documents the query and filters match (a shared set: never modify it). Kept on
        the query compiler, which the slices of these results share: counting, the exact count,
        every facet and the page of one search ask for them."""
        compiler = self.query_compiler
        searcher = self._searcher()
        memo = compiler.__dict__.get("_matched_docnums")
        if memo is None or memo[0] is not searcher:
            memo = compiler._matched_docnums = (searcher, self._compute_matched_docnums())
        return memo[1]

    def _compute_matched_docnums(self):
        plan = self.query_compiler.plan()
        if plan["text"] is wq.NullQuery or plan["filter"] is wq.NullQuery:
            return set()
        searcher = self._searcher()
        allowed = self._allowed(searcher)
        if isinstance(plan["text"], wq.Every):
            return set(allowed)
        docs = self._docset(searcher, plan["text"])
        if len(allowed) * 2 > searcher.doc_count():
            # Most documents are allowed: copying the matches and taking away the few others is
            # cheaper than testing every match (the same set).
            return docs - self._outside(searcher, allowed)
        return docs & allowed

    def exact_facet(self, field_name):
        """``facet()`` over the exact matches of an ``ExactFirst`` query (what every facet of a
        search counts when a partial count is capped); None without ``PARTIAL_COUNT_LIMIT``."""
        if not self.backend.partial_count_limit or self.query_compiler.plan()["exact"] is None:
            return None
        return self.facet(field_name, exact=True)

    def facet(self, field_name, exact=None):
        """{value: count} of ``field_name`` over the matches (over the exact ones when the partial
        count is capped, or ``exact``)."""
        compiler = self.query_compiler
        field = compiler._get_filterable_field(field_name)
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add index.FilterField('
                f"'{field_name}') to {compiler.queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        plan = compiler.plan()
        capped = self.partial_capped() if exact is None else exact  # then the exact matches are counted
        if plan["db_filter"]:
            # Capped: the exact tier only (the top score band).
            top = (len(plan["tiers"]) - 1) * TIER_OFFSET if capped and plan["tiers"] else None
            pks = [pk for pk, score in self._matches() if top is None or score >= top]
            counts = {}
            for i in range(0, len(pks), DB_CHUNK):
                rows = (compiler.queryset.filter(pk__in=pks[i:i + DB_CHUNK]).values(field_name)
                        .annotate(count=Count("pk")).order_by())
                for row in rows:
                    counts[row[field_name]] = counts.get(row[field_name], 0) + row["count"]
            return OrderedDict(sorted(counts.items(), key=lambda kv: -kv[1]))
        fname, kind, internal, _col = mapping.filter_field_info(compiler.model, field)
        # Kept for this results object: two facets may count the same field (效力级别 and
        # region both through the article's law).
        memo = self.__dict__.setdefault("_facets", {})
        if (fname, capped) not in memo:
            docnums = self._exact_docnums() if capped else self.matched_docnums()
            memo[fname, capped] = self.backend.facet_counts(docnums, fname, kind, internal,
                                                            searcher=self._searcher())
        return OrderedDict(memo[fname, capped])


class WhooshIndex(BaseIndex):
    """The single Whoosh index of the backend."""

    def __init__(self, backend):
        super().__init__(backend)
        self.store = backend.store

    def get_key(self):
        return str(self.store.root)

    def __str__(self):
        return f"whoosh:{self.store.root}"

    def add_model(self, model):
        pass

    def refresh(self):
        pass

    def reset(self):
        self.store.reset()

    # -- documents

    @staticmethod
    def documents(model, items):
        docs = []
        for item in items:
            indexed_model = type(item)
            if not class_is_indexed(indexed_model):
                indexed_model = model
            docs.append(mapping.build_document(indexed_model, item))
        return docs

    def add_items(self, model, items):
        if not class_is_indexed(model):
            return
        items = list(items)
        if not items:
            return
        docs = self.documents(model, items)
        journal = [{"op": "add", "model": mapping.model_label(type(obj)), "pk": str(obj.pk)} for obj in items]
        try:
            with self.store.writer(journal_entries=journal) as writer:
                self._apply_deferred(writer)
                for doc in docs:
                    writer.update_document(**fit_to_schema(writer.schema, doc))
        except IndexBusy:
            # Never fail a publish because the index is busy: leave the update
            # for the next writer, which applies deferred updates first.
            self.store.defer(journal)
            logger.warning("search index busy: %d update(s) deferred", len(journal))

    def add_item(self, obj):
        self.add_items(type(obj), [obj])

    def delete_item(self, item):
        model = type(item)
        key = mapping.doc_id(model, item.pk)
        journal = [{"op": "delete", "id": key}]
        try:
            with self.store.writer(journal_entries=journal) as writer:
                self._apply_deferred(writer)
                writer.delete_by_term("id", key)
        except IndexBusy:
            self.store.defer(journal)
            logger.warning("search index busy: a deletion was deferred")

    def _apply_deferred(self, writer):
        entries = self.store.take_deferred()
        if entries:
            apply_entries(writer, entries)


class _BuildingIndex(WhooshIndex):
    """The new generation a rebuild writes into: one writer for the whole build.

    Small builds use one process. Once more than ``PARALLEL_THRESHOLD`` documents
    arrive, a multi-process writer analyses them on ``procs`` cores, each process
    writing its own segment. Both write with ``fastwrite.FastSegmentWriter`` (the
    same segment files as Whoosh's writer, written without its per-posting pipeline)."""

    PARALLEL_THRESHOLD = 2000

    def __init__(self, backend, path):
        BaseIndex.__init__(self, backend)
        self.store = backend.store
        self.path = path
        self.ix = self.store.open(path)
        self.procs = backend.build_procs
        self.writer = None
        self.pending = []
        self.deleted = []
        self.count = 0

    def _open_writer(self, parallel):
        if parallel and self.procs > 1:
            analysis.warm_up()
            self.writer = FastMpWriter(self.ix, procs=self.procs)
        else:
            self.writer = FastSegmentWriter(self.ix)
        for doc in self.pending:
            self.writer.add_document(**doc)
        self.pending = []

    def add_items(self, model, items):
        if not class_is_indexed(model):
            return
        docs = self.documents(model, items)
        self.count += len(docs)
        if self.writer is None:
            self.pending.extend(docs)
            if len(self.pending) > self.PARALLEL_THRESHOLD:
                self._open_writer(parallel=True)
            return
        for doc in docs:
            self.writer.add_document(**doc)

    def delete_item(self, item):
        self.deleted.append(mapping.doc_id(type(item), item.pk))

    def commit(self):
        if self.writer is None:
            self._open_writer(parallel=False)
        self.writer.commit()
        self.ix.close()
        if self.deleted:
            replay(self.store, self.path, [{"op": "delete", "id": key} for key in self.deleted])

    def reset(self):
        pass


class WhooshIndexRebuilder:
    """Builds a new generation beside the live one and swaps it in atomically."""

    def __init__(self, index):
        self.index = index
        self.store = index.store
        self._rebuild_lock_cm = None

    def start(self):
        self._rebuild_lock_cm = self.store.rebuild_lock.hold(timeout=3600)
        self._rebuild_lock_cm.__enter__()
        try:
            self.store.current_path()  # make sure a live index exists meanwhile
            self.store.start_journal()
            path = self.store._new_generation()
            self.building = _BuildingIndex(self.index.backend, path)
        except BaseException:
            self._release()
            raise
        return self.building

    def finish(self):
        try:
            self.building.commit()
            with self.store.write_lock.hold(self.store.lock_timeout):
                entries = self.store.take_journal() + self.store.take_deferred()
                if entries:
                    replay(self.store, self.building.path, entries)
                self.store.swap_to(self.building.path)
            self.store.close()
        finally:
            self._release()

    def _release(self):
        if self._rebuild_lock_cm is not None:
            self._rebuild_lock_cm.__exit__(None, None, None)
            self._rebuild_lock_cm = None


def apply_entries(writer, entries):
    """Apply journal entries ({"op": "add", "model", "pk"} / {"op": "delete", "id"})
    with ``writer``, reading current objects from the database."""
    for entry in entries:
        if entry["op"] == "delete":
            writer.delete_by_term("id", entry["id"])
            continue
        app_label, model_name = entry["model"].split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        obj = model._default_manager.filter(pk=entry["pk"]).first()
        key = mapping.doc_id(model, entry["pk"])
        if obj is None:
            writer.delete_by_term("id", key)
        else:
            obj = obj.get_indexed_instance() or obj
            writer.update_document(**fit_to_schema(writer.schema, mapping.build_document(type(obj), obj)))


def fit_to_schema(schema, doc):
    """The document without the fields an index built by an older version lacks
    (so that publishing keeps working until ``update_index`` rebuilds it)."""
    unknown = [name for name in doc if name not in schema]
    if not unknown:
        return doc
    logger.warning("search index lacks field(s) %s: run manage.py update_index", ", ".join(unknown))
    return {k: v for k, v in doc.items() if k not in unknown}


def replay(store, path, entries):
    """Apply journal entries (updates made during a rebuild) to the generation at ``path``."""
    ix = store.open(path)
    writer = ix.writer()
    try:
        apply_entries(writer, entries)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()


class WhooshSearchBackend(BaseSearchBackend):
    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    results_class = WhooshSearchResults
    rebuilder_class = WhooshIndexRebuilder
    index_class = WhooshIndex
    #: Results of an ``ExactFirst`` query rank and count its exact matches (``exact_count()``).
    exact_first = True

    _stores = {}

    def __init__(self, params):
        super().__init__(params)
        path = params.get("PATH") or getattr(settings, "SEARCH_INDEX_DIR", None)
        if not path:
            path = settings.BASE_DIR / "data" / "search-index"
        key = str(path)
        store = self._stores.get(key)
        if store is None:
            store = IndexStore(path, mapping.make_schema, lock_timeout=float(params.get("LOCK_TIMEOUT", 60)))
            self._stores[key] = store
        self.store = store
        self.build_procs = int(params.get("BUILD_PROCS", min(os.cpu_count() or 1, 2)))
        #: ``PARTIAL_COUNT_LIMIT``: partial matches of an ``ExactFirst`` query reported at most
        #: (None, the default here: all). Whoosh counts them all anyway, cheaply; the option gives
        #: the same counts and facets as the PostgreSQL backend's.
        self.partial_count_limit = partial_count_limit(params)

    def get_index_for_model(self, model):
        return WhooshIndex(self)

    def all_indexes(self):
        yield WhooshIndex(self)

    def preload(self, fieldname="all", max_postings=PRELOAD_POSTINGS):
        """Read the posting lists of the field's most frequent terms into the process-wide
        caches (search.backends.postings: ``term_set`` reads each segment's arrays and merges
        them), most frequent first, up to ``max_postings`` postings. Called in the server's
        master before it forks: the common words of a first query (应当, 规定, 罚款 …) are
        then in memory in every worker, where reading them from disk would cost a cold query
        tens of milliseconds. Returns (terms, postings) read."""
        searcher = self.store.searcher()
        frequent = sorted(((info.doc_frequency(), term) for term, info in searcher.reader().iter_field(fieldname)),
                          reverse=True)
        postings = Postings.of(searcher)
        terms = read = 0
        for frequency, term in frequent:
            if read + frequency > max_postings:
                break
            postings.term_set(fieldname, term)
            terms += 1
            read += frequency
        return terms, read

    def facet_counts(self, docnums, fname, kind, internal, searcher=None):
        """{value: count} of a filter field over the given documents (of ``searcher``, default the
        thread's), most frequent first (None counts the documents without a value)."""
        searcher = searcher or self.store.searcher()
        counts = {}
        missing = len(docnums)
        if fname in searcher.schema:
            values, single, by_value, unvalued, largest = self._facet_values(searcher, fname, kind, internal)
            if single is not None and largest is not None and _probe_cost(
                    by_value, largest, unvalued, len(docnums)) * FACET_PROBE_FACTOR < len(docnums):
                # One value per document, few of them outside the commonest value (时效性: in
                # force): count the other values' documents among the matches and take the
                # commonest value's count as the rest, without visiting every match.
                rest = len(docnums)
                for i, (value, ids) in enumerate(by_value):
                    if i != largest:
                        n = len(ids & docnums)
                        if n:
                            counts[value] = n
                            rest -= n
                missing = len(unvalued & docnums)
                rest -= missing
                if rest:
                    counts[by_value[largest][0]] = rest
            elif single is not None:
                # One value per document: count value numbers in C (Counter over a map of a list,
                # whose items are ready objects, unlike an array's).
                tally = Counter(map(single.__getitem__, docnums))
                missing = tally.pop(-1, 0)
                counts = {values[i]: n for i, n in tally.items()}
            else:
                with_value = set()
                for value, ids in by_value:
                    ids = ids & docnums
                    if ids:
                        with_value |= ids
                        counts[value] = counts.get(value, 0) + len(ids)
                missing = len(docnums - with_value)
        if missing:
            counts[None] = missing
        return OrderedDict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def _facet_values(self, searcher, fname, kind, internal):
        """(values, value number of each document, [(value, documents)], documents without a
        value, index of the commonest value) of a filter field, read from its terms once per index state, so that a facet
        costs no walk over the field's terms (a thousand laws) per request. The per-document list
        (-1: no value) exists when no document has two values of the field; else None."""

        def compute():
            reader = searcher.reader()
            field = searcher.schema[fname]
            if kind in ("fi", "ff"):
                terms = field.sortable_terms(reader, fname)
            else:
                terms = (t for t in reader.lexicon(fname))
            postings = Postings.of(searcher)
            values, by_value = [], []
            single = [-1] * reader.doc_count_all()
            for term in terms:
                ids = postings.term_set(fname, term)
                if not ids:
                    continue
                if kind in ("fi", "ff"):
                    value = field.from_bytes(term)
                    if kind == "fi":
                        value = mapping.decode_int(value, internal)
                else:
                    value = term.decode("utf-8")
                    if kind == "fm":
                        value = _decode_keyword(value, internal)
                number = len(values)
                values.append(value)
                by_value.append((value, ids))
                if single is not None:
                    for doc in ids:
                        if single[doc] != -1:
                            single = None
                            break
                        single[doc] = number
            unvalued = set(reader.all_doc_ids()).difference(*(ids for _v, ids in by_value))
            largest = max(range(len(by_value)), key=lambda i: len(by_value[i][1]), default=None)
            return (values, single, by_value, unvalued, largest), max(sum(len(ids) for _v, ids in by_value), 1)

        state = Postings.of(searcher).state
        return postings_module.merged.get(("facet-values", state, fname, kind, internal), compute)


#: A facet counts its values' documents among the matches (set probes) instead of visiting every
#: match when the probes, times this factor, are fewer than the matches.
FACET_PROBE_FACTOR = 2


def _probe_cost(by_value, largest, unvalued, matches):
    """Set probes to count a single-valued facet from its values' documents: every value's but the
    commonest one's, and the documents without a value (each probe walks the smaller set)."""
    cost = min(len(unvalued), matches)
    for i, (_value, ids) in enumerate(by_value):
        if i != largest:
            cost += min(len(ids), matches)
            if cost >= matches:
                break
    return cost


def docset(searcher, q):
    """The set of document numbers a query matches (set algebra on posting
    lists held in memory, see search.backends.postings)."""
    return Postings.of(searcher).docs(q)


def _decode_keyword(value, internal):
    if internal in mapping.INT_TYPES and value.isascii() and value.lstrip("-").isdigit():
        return int(value)
    return value


SearchBackend = WhooshSearchBackend
