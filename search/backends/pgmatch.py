"""One evaluation of a PostgreSQL search per results object: count, facets and the ranked page.

modelsearch's PostgreSQL results evaluate the match once for ``count()``, once per
``facet(field)`` and once for the page, each time joining the index entries to the objects
through ``object_id = pk::varchar`` (which no index serves) and ranking every match. Here one
statement does it all:

* ``m``: the match rows (``MATCH_TABLE``: per index entry its object's key, filter values and
  title and body vectors together, GIN-indexed) matching the ``tsquery``, restricted to the
  model's content types. An unfiltered queryset takes its facet values from the rows themselves
  (no join at all); a filtered one is joined to them by primary key, so that its filters and
  facet columns come in the same pass;
* the count and every facet wanted: the rows counted per combination of facet values, then one
  ``GROUP BY GROUPING SETS ((), (f1), (f2) …)`` over those counts;
* the page (``BestMatch``, ordered by relevance): the full matches — every word, found through
  the GIN index, never by reading the rows — are ranked first; partial matches are ranked only
  when the full ones do not fill the page, and then only those holding one of the query's
  rarer words (``rare``), as the Whoosh backend ranks its partial tier from its rarest words.
  ``ts_rank`` reads only those rows' vectors;
* with a cap (``PARTIAL_COUNT_LIMIT``, an ``ExactFirst`` query): up to the cap of partial matches
  asked first among one query word's rows (``probe_``); every match is counted and faceted only
  when fewer are found, and the exact matches' facets come with them.

The objects of the page are then read by primary key from the queryset (one more query).
"""
import json
import threading
import time
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.db.models import F

from modelsearch.backends.database.postgres.postgres import IndexEntry
from modelsearch.index import FilterField, get_indexed_models
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

#: The GIN index on ``title || body`` (migration search.0003), whose statistics give word frequencies.
GIN_INDEX = "search_indexentry_text_gin"
#: The match table (migration search.0004): per index entry its object's key, filter values and
#: its title and body vectors together, GIN-indexed, so that the count and facets of a search read
#: this narrow table alone.
MATCH_TABLE = "search_match"

_INTEGER_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                   "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
                   "PositiveSmallIntegerField"}


#: Set for the one statement: the planner, which does not know that evaluating ``title || body``
#: per row means reading both vectors, would otherwise scan the whole table for a common word,
#: where the GIN index answers without reading a vector.
PLANNER = "SET LOCAL enable_seqscan = off; SET LOCAL jit = off; "
#: Share of the match rows above which a model's rows are found by the GIN index alone.
BROAD_SHARE = 0.2
#: Resets ``PLANNER``'s settings after the statement, inside a transaction.
RESET = "; RESET enable_seqscan; RESET jit"


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
    tail = RESET if connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        cursor.execute(PLANNER + sql + tail, params)
        while cursor.description is None and cursor.cursor.nextset():  # psycopg 3: past the SETs' results
            pass
        return cursor.fetchall()


def _reader(field):
    """The value of ``field`` from the text of its JSON value (``filters ->> name``)."""
    if field.get_internal_type() in ("BooleanField", "NullBooleanField"):
        return lambda text: {"true": True, "false": False}.get(text, text)
    return field.to_python


def stored_filters(model):
    """{name: model field} of the filter fields of ``model`` kept in its match rows (``filters``):
    the model's own columns (FilterField("law_id"), FilterField("law_status") …)."""
    found = {}
    for search_field in model.get_filterable_search_fields():
        if not isinstance(search_field, FilterField):
            continue
        try:
            field = model._meta.get_field(search_field.field_name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many:
            found[search_field.field_name] = field
    return found


def write_match_rows(connection, model, objs):
    """Write (insert or replace) the match rows of ``objs``, whose index entries are written."""
    fields = stored_filters(model)
    ids, keys, filters = [], [], []
    for obj in objs:
        ids.append(str(obj.pk))
        keys.append(obj.pk if isinstance(obj.pk, int) else None)
        filters.append(json.dumps({name: getattr(obj, field.attname) for name, field in fields.items()},
                                  cls=DjangoJSONEncoder))
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MATCH_TABLE} (entry_id, content_type_id, object_id, pk, filters, vector) "
            "SELECT e.id, e.content_type_id, e.object_id, v.pk, v.filters, e.title || e.body "
            "FROM unnest(%s::text[], %s::bigint[], %s::jsonb[]) AS v(object_id, pk, filters) "
            f'JOIN "{IndexEntry._meta.db_table}" e ON e.content_type_id = %s AND e.object_id = v.object_id '
            "ON CONFLICT (entry_id) DO UPDATE SET content_type_id = EXCLUDED.content_type_id, "
            "object_id = EXCLUDED.object_id, pk = EXCLUDED.pk, filters = EXCLUDED.filters, "
            "vector = EXCLUDED.vector",
            [ids, keys, filters, get_content_type_pk(model)])


def fill_match_rows(connection, chunk=2000):
    """Write the filter values of every match row that has none (entries indexed before the match
    table existed), model by model from the objects."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT content_type_id FROM {MATCH_TABLE} WHERE filters IS NULL")
        content_types = {row[0] for row in cursor.fetchall()}
    if not content_types:
        return
    for model in get_indexed_models():
        content_type = get_content_type_pk(model)
        if content_type not in content_types or not model.get_search_fields():
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT object_id FROM {MATCH_TABLE} WHERE content_type_id = %s AND filters IS NULL",
                           [content_type])
            ids = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(ids), chunk):
            objs = model._default_manager.using(connection.alias).filter(pk__in=ids[start:start + chunk])
            write_match_rows(connection, model, list(objs))


_stats_lock = threading.Lock()
_stats = {}
#: Seconds a process trusts its copy of the lexeme frequencies (refreshed by ANALYZE).
STATS_TTL = 600.0


def _cached(connection, name, load):
    """``load(cursor)``, read once per process, database and ``STATS_TTL``."""
    now = time.monotonic()
    key = (connection.alias, name)
    with _stats_lock:
        entry = _stats.get(key)
        if entry is not None and now - entry[0] < STATS_TTL:
            return entry[1]
    with connection.cursor() as cursor:
        value = load(cursor)
    with _stats_lock:
        _stats[key] = (now, value)
    return value


def lexeme_frequencies(connection):
    """({lexeme: share of index entries holding it}, the share below which a lexeme is not
    listed, number of entries): PostgreSQL's statistics of the ``title || body`` index (the
    1,000 commonest lexemes), read once per process and ``STATS_TTL``."""

    def load(cursor):
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
            "WHERE s.tablename = %s AND s.attname = 'expr'", [GIN_INDEX])
        row = cursor.fetchone()
        if row is None or not row[0]:
            return {}, 0.0, 0.0
        freqs = dict(zip(row[0], row[1]))
        return freqs, min(freqs.values()), max(float(row[2] or 0), 0.0)

    return _cached(connection, "lexemes", load)


def content_type_shares(connection):
    """{content type: share of the match rows}: PostgreSQL's statistics of the match table (its
    commonest content types), read once per process and ``STATS_TTL``."""

    def load(cursor):
        cursor.execute("SELECT most_common_vals::text::int[], most_common_freqs FROM pg_stats "
                       "WHERE tablename = %s AND attname = 'content_type_id'", [MATCH_TABLE])
        row = cursor.fetchone()
        return dict(zip(row[0], row[1])) if row is not None and row[0] else {}

    return _cached(connection, "content_types", load)


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

    def __init__(self, queryset, tsquery, title_only=False, ranking=None, exact=None, cap=None, probe=None,
                 probe_skip=False):
        self.queryset = queryset
        self.tsquery = tsquery
        #: ``PARTIAL_COUNT_LIMIT``: with an exact reading, the partial matches (the loose ones
        #: minus the exact ones) are counted up to ``cap`` only (``partial_capped``): ``probe`` (a
        #: tsquery matching a subset of the loose matches, cheap to ask of the GIN index, or None
        #: for the loose tsquery itself) is asked for ``cap`` partial matches first, and only when
        #: it finds fewer are all the matches counted and faceted. When capped, ``total`` is the
        #: exact count plus ``cap`` and the facets count the exact matches.
        self.cap = cap if exact is not None and cap else None
        self.probe = probe
        #: No probe: the model has fewer rows than the cap (its partial count is never capped).
        self.probe_skip = probe_skip
        self.partial_capped = False
        #: With a cap: the facets of the exact matches too.
        self.exact_facets = {}
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
        self._converters = None  # per facet field: its value from the match rows' JSON

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

    def facet(self, field_name, exact=False):
        """{value: count} of ``field_name`` over the matches; ``exact``: over the exact matches
        (a capped count only: what every facet counts when any partial count is capped)."""
        if field_name not in self.facets:
            if not self.evaluated:
                self.want(facets=[field_name])
                self._evaluate(self.facet_fields, self.stop != 0)
            else:
                self._evaluate([field_name], False)
        if exact:
            return self.exact_facets.get(field_name, OrderedDict())
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
        exact_counts = {name: [] for name in fields}
        for row in rows:
            group = row[0]
            target = counts
            if group >= 1 << n:  # a facet row of the exact matches (``x``, capped counts)
                group -= 1 << n
                if group == (1 << n) - 1:
                    continue
                target = exact_counts
            if group == -1:
                self.ranked = list(zip(row[n + 2] or [], row[n + 3] or []))
                self.ranked_stop = self.stop
            elif group == -2:
                self.exact_total = row[n + 1]
            elif group == -3:
                self.partial_capped = row[n + 1] >= self.cap
            elif group == (1 << n) - 1 and target is counts:
                self.total = row[n + 1]
            else:
                # GROUPING() sets the bit of each field *not* grouped on: the one at zero is this row's.
                index = next(i for i in range(n) if not group & (1 << (n - 1 - i)))
                value = row[1 + index]
                if self._converters is not None and value is not None:
                    value = self._converters[index](value)
                target[fields[index]].append((value, row[n + 1]))
        for name, pairs in counts.items():
            pairs.sort(key=lambda p: -p[1])
            self.facets[name] = OrderedDict(pairs)
        if self.cap is not None:
            for name, pairs in exact_counts.items():
                pairs.sort(key=lambda p: -p[1])
                self.exact_facets[name] = OrderedDict(pairs)
        if self.partial_capped:
            # The count row counted the exact matches (the facets' rows): the partial ones up to the cap.
            self.total = self.exact_total + self.cap
        self.evaluated = True

    def _stored(self, fields):
        """{name: model field} of the match rows' filter values when they alone answer this search:
        the queryset filters nothing (no join to the model's table is needed) and every facet
        field is kept in the rows; else None."""
        query = self.queryset.query
        model = self.queryset.model
        if (query.where or query.is_sliced or query.combinator or query.distinct or query.extra
                or model._meta.pk.get_internal_type() not in _INTEGER_FIELDS):
            return None
        stored = stored_filters(model)
        return stored if all(name in stored for name in fields) else None

    def _sql(self, fields, with_page):
        model = self.queryset.model
        pk = model._meta.pk
        cts = ", ".join(str(int(ct)) for ct in get_descendants_content_types_pks(model))
        if self.title_only:
            source = f'{MATCH_TABLE} n JOIN "{IndexEntry._meta.db_table}" e ON e.id = n.entry_id'
            vector = 'e."title"'
        else:
            source, vector = f"{MATCH_TABLE} n", "n.vector"
        connection = connections[router.db_for_read(model)]
        shares = content_type_shares(connection)
        if sum(shares.get(int(ct), 0.0) for ct in cts.split(", ")) >= BROAD_SHARE:
            # Most rows are this model's: the GIN index finds them, not the content type's index
            # (which the planner, not knowing what testing a tsquery row by row costs, prefers).
            where = f"n.content_type_id + 0 IN ({cts}) AND {vector} @@ %s::tsquery"
        else:
            where = f"n.content_type_id IN ({cts}) AND {vector} @@ %s::tsquery"
        stored = self._stored(fields)
        direct = stored is not None
        self._converters = None
        self._joined = None
        if stored is not None:
            # The count and facets from the match rows alone: one scan of the GIN index and the rows.
            # As text (``->>``): grouped much faster than JSON values; read back by the model's field.
            columns = "".join(f", n.filters ->> %s AS f{i}" for i in range(len(fields)))
            facet_params = list(fields)
            # Not materialised: counted and grouped as the index scan reads them (the page's tiers
            # ask the GIN index themselves; all of ``m`` is read again only when all is ranked).
            ctes = [f"m AS NOT MATERIALIZED (SELECT n.pk AS pk, n.entry_id AS eid{columns} FROM {source} "
                    f"WHERE {where})"]
            params = [*facet_params, self.tsquery]
            self._converters = [_reader(stored[name]) for name in fields]
        else:
            # Filtered querysets (view rules, facet filters): the match rows joined to the objects.
            aliases = {"_sm_pk": F("pk")}
            for i, name in enumerate(fields):
                aliases[f"_sm_f{i}"] = F(name)
            inner = self.queryset.order_by().annotate(**aliases).values(*aliases)
            inner_sql, inner_params = inner.query.sql_with_params()
            if pk.get_internal_type() in _INTEGER_FIELDS:
                join = "o._sm_pk = n.pk"
            else:
                join = "o._sm_pk::text = n.object_id"
            columns = "".join(f", o._sm_f{i} AS f{i}" for i in range(len(fields)))
            facet_params = []
            ctes = [f"m AS MATERIALIZED (SELECT o._sm_pk AS pk, n.entry_id AS eid{columns} "
                    f"FROM {source} JOIN ({inner_sql}) o ON {join} WHERE {where})"]
            params = [*inner_params, self.tsquery]
            if self.cap is not None:
                # Capped: the tiers join the objects themselves, so that ``m`` (every match joined)
                # is read only when the matches are all counted.
                self._joined = (f"{source} JOIN ({inner_sql}) o ON {join}", list(inner_params))
        if self.exact is not None:
            # Capped, the exact matches carry the facet values: they are what the facets count then.
            tier_columns = (columns, facet_params) if self.cap is not None else None
            cte, tier_params = self._tier("exact_", self.exact, source, vector, where, direct, tier_columns)
            ctes.append(cte)
            params += tier_params
        capped = None
        if self.cap is not None:
            cap = int(self.cap)
            # Up to ``cap`` partial matches among the probe's rows (a subset of the loose matches).
            # The exact ones are left out by their tsquery, tested on the rows read (a hashed
            # ``NOT IN`` may not fit in work_mem, and a plain one tests every pair).
            probe_from, probe_params = (source, []) if direct else self._joined
            if self.probe_skip:
                ctes.append("probe_ AS (SELECT 0::bigint AS n)")
            else:
                ctes.append(f"probe_ AS MATERIALIZED (SELECT count(*) AS n FROM (SELECT 1 FROM {probe_from} "
                            f"WHERE {where} AND NOT ({vector} @@ %s::tsquery) LIMIT {cap}) p)")
                params += [*probe_params, self.probe if self.probe is not None else self.tsquery, self.exact]
            capped = f"(SELECT n FROM probe_) >= {cap}"
        f_cols = ", ".join(f"f{i}" for i in range(len(fields)))
        if fields:
            # Counted per combination of values first (a hash over the matching rows), then summed
            # per field: the grouping sets then read hundreds of rows, not every match.
            sets = ", ".join(["()"] + [f"(f{i})" for i in range(len(fields))])
            if capped is None:
                ctes.append(f"g_ AS (SELECT {f_cols}, count(*) AS n FROM m GROUP BY {f_cols})")
                select = (f"SELECT GROUPING({f_cols}) AS g, {f_cols}, coalesce(sum(n), 0)::bigint AS n, "
                          f"NULL AS pks, NULL AS scores FROM g_ GROUP BY GROUPING SETS ({sets})")
            else:
                # Every match counted only when the partial ones are fewer than the cap; the exact
                # matches' facets (``x`` = 1, read when any partial count is capped) always.
                ctes.append(f"g_ AS (SELECT 0 AS x, {f_cols}, count(*) AS n FROM m WHERE NOT {capped} "
                            f"GROUP BY {f_cols} UNION ALL SELECT 1 AS x, {f_cols}, count(*) AS n FROM exact_ "
                            f"GROUP BY {f_cols})")
                select = (f"SELECT GROUPING({f_cols}) + x * {1 << len(fields)} AS g, {f_cols}, "
                          "coalesce(sum(n), 0)::bigint AS n, NULL AS pks, NULL AS scores "
                          f"FROM g_ GROUP BY x, GROUPING SETS ({sets})")
        else:
            gate = "" if capped is None else f" WHERE NOT {capped}"
            select = f"SELECT 0 AS g, count(*) AS n, NULL AS pks, NULL AS scores FROM m{gate}"
        nulls = "".join(", NULL" for _ in fields)
        if with_page:
            page_ctes, page_params = self._page_ctes(source, vector, where, direct)
            ctes += page_ctes
            params += page_params
            select += (f" UNION ALL SELECT -1{nulls}, NULL, array_agg(pk ORDER BY score DESC, pk DESC), "
                       "array_agg(score ORDER BY score DESC, pk DESC) FROM top")
        if self.exact is not None:
            # The exact matches' count: a row of its own in the same statement.
            select += f" UNION ALL SELECT -2{nulls}, (SELECT count(*) FROM exact_), NULL, NULL"
        if capped is not None:
            # The partial matches the probe found (the cap: there are at least that many).
            select += f" UNION ALL SELECT -3{nulls}, (SELECT n FROM probe_), NULL, NULL"
        return "WITH " + ", ".join(ctes) + " " + select, params

    def _tier(self, name, tsquery, source, vector, where, direct, columns=None):
        """(CTE ``name``, its parameters): the rows of ``m`` (pk, eid) that also match ``tsquery``,
        asked of the GIN index. Where ``m`` is the match rows alone (``direct``), the rows matching
        both tsqueries, without reading ``m``; with a capped count, the match rows joined to the
        objects; else the entries found matched against ``m``. ``columns``: (the facet columns
        ``f0`` … as ``m`` selects them, their parameters) to select as well (direct or capped)."""
        extra, extra_params = columns if columns is not None else ("", [])
        if direct:
            return (f"{name} AS MATERIALIZED (SELECT n.pk, n.entry_id AS eid{extra} FROM {source} "
                    f"WHERE {where} AND {vector} @@ %s::tsquery)", [*extra_params, tsquery, self.tsquery])
        if self._joined is not None:
            joined, joined_params = self._joined
            return (f"{name} AS MATERIALIZED (SELECT o._sm_pk AS pk, n.entry_id AS eid{extra} FROM {joined} "
                    f"WHERE {where} AND {vector} @@ %s::tsquery)",
                    [*extra_params, *joined_params, tsquery, self.tsquery])
        return (f"{name} AS MATERIALIZED (SELECT m.pk, m.eid FROM m WHERE m.eid IN "
                f"(SELECT n.entry_id FROM {source} WHERE {where}))", [tsquery])

    def _page_ctes(self, source, vector, where, direct):
        """``full_`` (rows holding every word), ``rare_`` (rows holding a rarer word), ``c`` and
        ``cand`` (the rows to rank, with their vectors) and ``top`` (the ranked page). Which rows
        hold every word (or a rare word) is asked of the GIN index; only the rows in ``cand`` have
        their vectors read. The exact matches of an ``ExactFirst`` query (``exact_``, read with
        the count) rank above every other row."""
        r = self.ranking
        ctes, params = [], []

        def tier(name, tsquery):
            cte, tier_params = self._tier(name, tsquery, source, vector, where, direct)
            ctes.append(cte)
            params.extend(tier_params)

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
            tier("full_", r.full)
            tiers.append(("full_", float(r.tier_offset)))
        if tiers:
            # A row's tier: the highest offset of the tiers holding it (``c.t``), not a join of the
            # tiers per ranked row (which the planner, expecting a row or two, makes a nested loop).
            scores.append("cand.t")
        parts = [f"SELECT pk, eid, {offset} AS t FROM {name}" for name, offset in tiers]
        if tiers and self.stop is not None:
            # Partial matches are ranked only when the upper tiers do not fill the page, and
            # then those holding a rarer word, unless they too are fewer than the page. The
            # conditions are computed once: the rows of ``m`` are read only when all are ranked.
            stop = int(self.stop)
            upper = " UNION ".join(f"SELECT pk FROM {name}" for name, _o in tiers)
            partial = f"(SELECT count(*) FROM ({upper}) u) < {stop}"
            if r.rare is not None:
                tier("rare_", r.rare)
                parts.append(f"SELECT pk, eid, 0 AS t FROM rare_ WHERE {partial}")
                partial += f" AND (SELECT count(*) FROM rare_) < {stop}"
            parts.append(f"SELECT pk, eid, 0 AS t FROM m WHERE {partial}")
        else:
            parts.append("SELECT pk, eid, 0 AS t FROM m")
        rows = " UNION ALL ".join(parts)
        # The rows to rank are read by primary key, whatever the planner expects of them.
        ctes.append(f"c AS MATERIALIZED (SELECT pk, eid, max(t) AS t FROM ({rows}) r GROUP BY pk, eid)")
        ctes.append(f"cand AS MATERIALIZED (SELECT c.pk, c.t, {vector} AS v FROM {source} JOIN c ON c.eid = n.entry_id "
                    "WHERE n.entry_id = ANY(ARRAY(SELECT eid FROM c)))")
        limit = "" if self.stop is None else f" LIMIT {int(self.stop)}"
        ctes.append(f"top AS (SELECT cand.pk, ({' + '.join(scores)})::float8 AS score FROM cand "
                    f"ORDER BY score DESC, cand.pk DESC{limit})")
        return ctes, params + score_params
