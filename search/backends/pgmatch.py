"""One evaluation of a PostgreSQL search per results object: count, facets and the ranked page.

modelsearch's PostgreSQL results evaluate the match once for ``count()``, once per
``facet(field)`` and once for the page, each time joining the index entries to the objects
through ``object_id = pk::varchar`` (which no index serves) and ranking every match. Here one
statement does it all:

* ``m``: the index entries matching the ``tsquery`` (the GIN index on ``title || body``),
  restricted to the model's content types and joined to the filtered queryset by primary key
  (``pk = object_id::bigint``), so the queryset's filters and the facet columns come in the
  same pass; it is materialised once and read by everything below;
* the count and every facet wanted: one ``GROUP BY GROUPING SETS ((), (f1), (f2) …)`` over ``m``;
* the page (``BestMatch``, ordered by relevance): the full matches — every word, found through
  the GIN index, never by reading the rows — are ranked first; partial matches are ranked only
  when the full ones do not fill the page, and then only those holding one of the query's
  rarer words (``rare``), as the Whoosh backend ranks its partial tier from its rarest words.
  ``ts_rank`` reads only those rows' vectors.

The objects of the page are then read by primary key from the queryset (one more query).
"""
import threading
import time
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.models import F

from modelsearch.backends.database.postgres.postgres import IndexEntry
from modelsearch.utils import get_descendants_content_types_pks

#: The GIN index on ``title || body`` (migration search.0003), whose statistics give word frequencies.
GIN_INDEX = "search_indexentry_text_gin"

_INTEGER_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                   "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
                   "PositiveSmallIntegerField"}


#: Set for the one statement: the planner, which does not know that evaluating ``title || body``
#: per row means reading both vectors, would otherwise scan the whole table for a common word,
#: where the GIN index answers without reading a vector.
PLANNER = "SET LOCAL enable_seqscan = off; "


def execute(connection, sql, params):
    """Rows of ``sql`` run with the ``PLANNER`` setting, in one round trip where the driver
    binds parameters on the client (Django's default), else in a transaction of its own."""
    if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(PLANNER)
            cursor.execute(sql, params)
            return cursor.fetchall()
    # Outside a transaction the statements form one implicit transaction that the setting ends
    # with; inside one (a test, an atomic request) it is reset after the statement.
    tail = "; RESET enable_seqscan" if connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        cursor.execute(PLANNER + sql + tail, params)
        if cursor.description is None:  # psycopg 3: positioned on the SET's result
            cursor.cursor.nextset()
        return cursor.fetchall()


_stats_lock = threading.Lock()
_stats = {}
#: Seconds a process trusts its copy of the lexeme frequencies (refreshed by ANALYZE).
STATS_TTL = 600.0


def lexeme_frequencies(connection):
    """({lexeme: share of index entries holding it}, the share below which a lexeme is not
    listed, number of entries): PostgreSQL's statistics of the ``title || body`` index (the
    1,000 commonest lexemes), read once per process and ``STATS_TTL``."""
    now = time.monotonic()
    with _stats_lock:
        entry = _stats.get(connection.alias)
        if entry is not None and now - entry[0] < STATS_TTL:
            return entry[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
            "WHERE s.tablename = %s AND s.attname = 'expr'", [GIN_INDEX])
        row = cursor.fetchone()
    if row is None or not row[0]:
        value = ({}, 0.0, 0.0)
    else:
        freqs = dict(zip(row[0], row[1]))
        value = (freqs, min(freqs.values()), max(float(row[2] or 0), 0.0))
    with _stats_lock:
        _stats[connection.alias] = (now, value)
    return value


class Ranking:
    """How the page of a ``BestMatch`` is scored: tsquery literals and ts_rank's parameters."""

    def __init__(self, partial, full=None, phrase=None, phrase_boost=2.0, tier_offset=1000.0, rare=None,
                 weights=None, normalization=1, words=()):
        self.partial = partial
        #: [(tsquery of one query word, weight)]: a row scores the weights of the words it holds
        #: (their rarity), so that partial matches holding more and rarer words come first.
        self.words = list(words)
        self.tier_offset = tier_offset
        self.full = full
        self.phrase = phrase
        self.phrase_boost = phrase_boost
        self.rare = rare
        self.weights = weights
        self.normalization = normalization


class SharedMatch:
    """The match of one search (a filtered queryset, a tsquery), evaluated once for its count,
    its facets and its page. ``want()`` says beforehand which facets and how many ranked rows
    will be read, so that the first read fetches them all."""

    def __init__(self, queryset, tsquery, title_only=False, ranking=None, exact=None):
        self.queryset = queryset
        self.tsquery = tsquery
        #: An ``ExactFirst`` query's exact reading (a tsquery literal, or None when it matches
        #: nothing): counted in the same statement (``exact_total``) and ranked first.
        self.exact = exact
        self.title_only = title_only
        self.ranking = ranking
        self.facet_fields = []
        self.stop = 0
        self.evaluated = False
        self.total = 0
        self.exact_total = 0
        self.facets = {}
        self.ranked = None  # [(pk, score)] best first, the first ``ranked_stop`` rows
        self.ranked_stop = 0

    def want(self, facets=(), stop=0):
        """Facet fields, and ranked rows (``stop``: 0 none, None all) the first read should fetch."""
        for name in facets:
            if name not in self.facet_fields:
                self.facet_fields.append(name)
        if self.ranking is not None:
            self.stop = None if stop is None or self.stop is None else max(self.stop, stop)

    # --- reading --------------------------------------------------------------------

    def count(self):
        if not self.evaluated:
            self._evaluate(self.facet_fields, self.stop != 0)
        return self.total

    def facet(self, field_name):
        if field_name not in self.facets:
            if not self.evaluated:
                self.want(facets=[field_name])
                self._evaluate(self.facet_fields, self.stop != 0)
            else:
                self._evaluate([field_name], False)
        return self.facets[field_name]

    def page(self, start, stop):
        """[(pk, score)] of rows start:stop in relevance order."""
        covered = self.ranked is not None and (self.ranked_stop is None or (
            stop is not None and stop <= self.ranked_stop))
        if not covered:
            self.stop = None if stop is None else max(stop, self.stop or 0)
            self._evaluate([] if self.evaluated else self.facet_fields, True)
        return self.ranked[start:stop]

    # --- the statement --------------------------------------------------------------

    def _evaluate(self, fields, with_page):
        with_page = with_page and self.ranking is not None
        sql = None
        if self.tsquery is not None:  # None: a query of stop words only
            try:
                sql, params = self._sql(fields, with_page)
            except EmptyResultSet:  # a queryset that can hold nothing (``none()``, ``pk__in=[]``)
                pass
        if sql is None:
            self.facets.update({name: OrderedDict() for name in fields})
            if with_page:
                self.ranked, self.ranked_stop = [], None
            self.evaluated = True
            return
        rows = execute(connections[router.db_for_read(self.queryset.model)], sql, params)
        n = len(fields)
        counts = {name: [] for name in fields}
        for row in rows:
            group = row[0]
            if group == -1:
                self.ranked = list(zip(row[n + 2] or [], row[n + 3] or []))
                self.ranked_stop = self.stop
            elif group == -2:
                self.exact_total = row[n + 1]
            elif group == (1 << n) - 1:
                self.total = row[n + 1]
            else:
                # GROUPING() sets the bit of each field *not* grouped on: the one at zero is this row's.
                index = next(i for i in range(n) if not group & (1 << (n - 1 - i)))
                counts[fields[index]].append((row[1 + index], row[n + 1]))
        for name, pairs in counts.items():
            pairs.sort(key=lambda p: -p[1])
            self.facets[name] = OrderedDict(pairs)
        self.evaluated = True

    def _sql(self, fields, with_page):
        model = self.queryset.model
        pk = model._meta.pk
        aliases = {"_sm_pk": F("pk")}
        for i, name in enumerate(fields):
            aliases[f"_sm_f{i}"] = F(name)
        inner = self.queryset.order_by().annotate(**aliases).values(*aliases)
        inner_sql, inner_params = inner.query.sql_with_params()
        table = IndexEntry._meta.db_table
        vector = 'e."title"' if self.title_only else '(e."title" || e."body")'
        cts = ", ".join(str(int(ct)) for ct in get_descendants_content_types_pks(model))
        if pk.get_internal_type() in _INTEGER_FIELDS:
            # Cast after the scan's content-type filter: those entries hold this model's integer keys.
            join = "o._sm_pk = e.object_id::bigint"
        else:
            join = "o._sm_pk::text = e.object_id"
        columns = "".join(f", o._sm_f{i} AS f{i}" for i in range(len(fields)))
        ctes = [f"m AS MATERIALIZED (SELECT o._sm_pk AS pk, e.id AS eid{columns} "
                f"FROM {table} e JOIN ({inner_sql}) o ON {join} "
                f"WHERE e.content_type_id IN ({cts}) AND {vector} @@ %s::tsquery)"]
        params = [*inner_params, self.tsquery]
        if self.exact is not None:
            ctes.append(f"exact_ AS MATERIALIZED (SELECT m.pk FROM m WHERE "
                        f"{self._gin(table, vector, cts)})")
            params.append(self.exact)
        f_cols = ", ".join(f"f{i}" for i in range(len(fields)))
        if fields:
            sets = ", ".join(["()"] + [f"(f{i})" for i in range(len(fields))])
            select = (f"SELECT GROUPING({f_cols}) AS g, {f_cols}, count(*) AS n, NULL AS pks, NULL AS scores "
                      f"FROM m GROUP BY GROUPING SETS ({sets})")
        else:
            select = "SELECT 0 AS g, count(*) AS n, NULL AS pks, NULL AS scores FROM m"
        nulls = "".join(", NULL" for _ in fields)
        if with_page:
            page_ctes, page_params = self._page_ctes(table, vector, cts)
            ctes += page_ctes
            params += page_params
            select += (f" UNION ALL SELECT -1{nulls}, NULL, array_agg(pk ORDER BY score DESC, pk DESC), "
                       "array_agg(score ORDER BY score DESC, pk DESC) FROM top")
        if self.exact is not None:
            # The exact matches' count: a row of its own in the same statement.
            select += f" UNION ALL SELECT -2{nulls}, (SELECT count(*) FROM exact_), NULL, NULL"
        return "WITH " + ", ".join(ctes) + " " + select, params

    @staticmethod
    def _gin(table, vector, cts):
        """Entries of ``m`` matching a tsquery (one parameter), asked of the GIN index."""
        return (f"m.eid IN (SELECT e.id FROM {table} e WHERE e.content_type_id IN ({cts}) "
                f"AND {vector} @@ %s::tsquery)")

    def _page_ctes(self, table, vector, cts):
        """``full`` (rows holding every word), ``cand`` (the rows to rank, with their vectors)
        and ``top`` (the ranked page). Which entries hold every word (or a rare word) is asked
        of the GIN index; only the rows in ``cand`` have their vectors read. The exact matches
        of an ``ExactFirst`` query (``exact_``, read with the count) rank above every other row."""
        r = self.ranking
        ctes, params = [], []

        def gin(tsquery):
            params.append(tsquery)
            return self._gin(table, vector, cts)

        scores = ["ts_rank(%s::float4[], v, %s::tsquery, %s)"]
        score_params = [r.weights, r.partial, r.normalization]
        if r.phrase is not None:
            scores.append(f"{float(r.phrase_boost)} * ts_rank(%s::float4[], v, %s::tsquery, %s)")
            score_params += [r.weights, r.phrase, r.normalization]
        for word, weight in r.words:
            scores.append(f"CASE WHEN v @@ %s::tsquery THEN {float(weight):.6f} ELSE 0 END")
            score_params.append(word)
        tiers = []  # (CTE, offset) from the top tier down
        if self.exact is not None:
            tiers.append(("exact_", float(r.tier_offset) * (2 if r.full is not None else 1)))
        if r.full is not None:
            ctes.append(f"full_ AS MATERIALIZED (SELECT m.pk FROM m WHERE {gin(r.full)})")
            tiers.append(("full_", float(r.tier_offset)))
        restrict = "TRUE"
        if tiers:
            whens = " ".join(f"WHEN {name}.pk IS NOT NULL THEN {offset}" for name, offset in tiers)
            scores.append(f"CASE {whens} ELSE 0 END")
        if tiers and self.stop is not None:
            # Partial matches are ranked only when the upper tiers do not fill the page, and
            # then those holding a rarer word, unless they too are fewer than the page.
            upper = " UNION ".join(f"SELECT pk FROM {name}" for name, _o in tiers)
            partial = f"(SELECT count(*) FROM ({upper}) u) < {int(self.stop)}"
            if r.rare is not None:
                ctes.append(f"rare_ AS MATERIALIZED (SELECT m.pk FROM m WHERE {gin(r.rare)})")
                partial += (f" AND ((SELECT count(*) FROM rare_) < {int(self.stop)} "
                            "OR m.pk IN (SELECT pk FROM rare_))")
            restrict = " OR ".join(f"m.pk IN (SELECT pk FROM {name})" for name, _o in tiers) + f" OR ({partial})"
        # The rows to rank are read by primary key, whatever the planner expects of ``restrict``.
        ctes.append(f"c AS MATERIALIZED (SELECT m.pk, m.eid FROM m WHERE {restrict})")
        ctes.append(f"cand AS MATERIALIZED (SELECT c.pk, {vector} AS v FROM {table} e JOIN c ON c.eid = e.id "
                    "WHERE e.id = ANY(ARRAY(SELECT eid FROM c)))")
        joined = "".join(f" LEFT JOIN {name} ON {name}.pk = cand.pk" for name, _o in tiers)
        limit = "" if self.stop is None else f" LIMIT {int(self.stop)}"
        ctes.append(f"top AS (SELECT cand.pk, ({' + '.join(scores)})::float8 AS score FROM cand{joined} "
                    f"ORDER BY score DESC, cand.pk DESC{limit})")
        return ctes, params + score_params
