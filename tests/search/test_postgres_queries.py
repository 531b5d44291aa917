"""The PostgreSQL backend reads a search API request's count and facets of each searched model
in one statement (``search.backends.pgmatch``), not one per count and facet field as
modelsearch does; the exact matches' count and the ranked page (exact matches first) come from
the same statement and the page's objects in one more query. The statement reads the match
table (one narrow row per index entry with its object's filter values), joined to the searched
model's table only where the queryset filters it."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casebank.models import Article, Law
from search import service
from search.backends.pgmatch import MATCH_TABLE
from search.backends.postgres import JiebaPostgresSearchBackend
from search.query import BestMatch

pytestmark = pytest.mark.django_db

INDEX_TABLE = "wagtailsearch_indexentry"


@pytest.fixture
def postgres_index(search_index):
    if not isinstance(search_index, JiebaPostgresSearchBackend):
        pytest.skip("counts the PostgreSQL backend's statements")
    return search_index


def _statements(ctx):
    return [q["sql"] for q in ctx.captured_queries if INDEX_TABLE in q["sql"] or MATCH_TABLE in q["sql"]]


def test_one_statement_per_model_per_api_request(client, officer_user, postgres_index, statutes):
    client.force_login(officer_user)
    url = reverse("search:api")
    client.get(url, {"q": "占道经营 罚款", "type": "statute"})  # session, content types, word statistics
    with CaptureQueriesContext(connection) as ctx:
        data = client.get(url, {"q": "流动摊贩 罚款", "type": "statute"}).json()
    assert data["results"][0]["article"] == 90 and data["total"] == 3
    assert data["facets"]["status"]["values"][0]["count"] == 3
    statements = _statements(ctx)
    shared = [sql for sql in statements if "WITH m AS" in sql]
    # Every searched model (statutes, cases, courses …) is searched once: one statement with its
    # count, its exact count (完全匹配, ``exact_``), its facets and the requested type's ranked
    # page (exact matches first, then partial ones) — no statement of its own for the exact
    # count or either page.
    assert len(shared) == len(statements) == len(service.searchable_models())
    assert all(sql.count("WITH m AS") == 1 and "exact_ AS MATERIALIZED" in sql for sql in shared)
    # Unfiltered articles: count, exact count, facets and page from the match rows alone — neither
    # the wide index entries nor the article table are read (only the page's articles, after).
    article = next(sql for sql in shared if f"n.content_type_id IN ({_content_type(Article)})" in sql
                   or f"n.content_type_id + 0 IN ({_content_type(Article)})" in sql)
    assert INDEX_TABLE not in article and Article._meta.db_table not in article
    # The whole request: session and user, those statements, the articles of the page by primary
    # key (exact and partial matches in one read), the view restrictions (once for every page model).
    assert len(ctx.captured_queries) == 2 + len(statements) + 1 + 1


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _search(backend, text, qs=None):
    results = backend.search(BestMatch(text), Article.objects.all() if qs is None else qs)
    results.expect(facets=["law_status", "law_id"], stop=10)
    return results


def test_match_rows_follow_saves_and_deletes(postgres_index, statutes):
    """The match rows (count and facets) follow every write of an entry: a save re-indexes the
    filter values, a delete removes the row with its entry."""
    stall, summary = statutes["articles"]["stall"], statutes["articles"]["summary"]
    results = _search(postgres_index, "罚款")
    assert results.count() == 3 and dict(results.facet("law_status")) == {"in_force": 3}
    assert dict(results.facet("law_id")) == {statutes["laws"]["chufa"].pk: 3}

    stall.law_status = "repealed"
    stall.save()
    postgres_index.add(stall)
    summary_pk = summary.pk
    summary.delete()
    postgres_index.delete(summary)  # (the signal handlers do this in the site; here explicitly)
    results = _search(postgres_index, "罚款")
    assert results.count() == 2
    assert dict(results.facet("law_status")) == {"in_force": 1, "repealed": 1}
    assert summary_pk not in [obj.pk for obj in results]


def test_filtered_and_unfiltered_searches_agree(postgres_index, statutes):
    """A filtered queryset is joined to the model's table, an unfiltered one is read from the
    match rows alone: both count and facet the same rows."""
    chufa = statutes["laws"]["chufa"]
    direct = _search(postgres_index, "罚款 市容")
    joined = _search(postgres_index, "罚款 市容", Article.objects.filter(law_id__in=[chufa.pk]))
    assert direct.count() == joined.count() == 5
    assert dict(direct.facet("law_status")) == dict(joined.facet("law_status"))
    assert dict(direct.facet("law_id")) == dict(joined.facet("law_id"))
    assert [obj.pk for obj in direct[:10]] == [obj.pk for obj in joined[:10]]
    laws = postgres_index.search(BestMatch("行政处罚"), Law.objects.all())
    assert dict(laws.facet("status")) == {"in_force": 1}


def test_match_rows_indexed_before_the_table_get_their_filters_after_migrate(postgres_index, statutes):
    """Entries indexed before the match table existed get rows without filter values from the
    migration; ``migrate`` then writes those values from the objects, so counts and facets hold."""
    from django.core.management.sql import emit_post_migrate_signal

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MATCH_TABLE} SET filters = NULL")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FILTER (WHERE filters IS NULL), count(*) FROM {MATCH_TABLE}")
        missing, rows = cursor.fetchone()
    assert missing == 0 and rows > 0
    results = _search(postgres_index, "罚款")
    assert results.count() == 3 and dict(results.facet("law_status")) == {"in_force": 3}



def _match_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {MATCH_TABLE}")
        return cursor.fetchone()[0]


def test_a_deleted_entry_takes_its_match_row(postgres_index, statutes):
    from modelsearch.backends.database.postgres.postgres import IndexEntry

    total = _match_rows()
    assert total == IndexEntry.objects.count() > 1
    IndexEntry.objects.filter(pk=IndexEntry.objects.order_by("pk")[0].pk).delete()
    assert _match_rows() == total - 1


def test_flush_empties_the_match_table(postgres_index, statutes):
    """``flush`` truncates every table Django knows, the index entries among them (as between
    transactional tests): its statements succeed and leave no match row behind. (Run here inside
    the test's transaction, after the deferred key checks, and rolled back with it.)"""
    from django.core.management.color import no_style
    from django.core.management.sql import sql_flush

    assert _match_rows() > 1
    statements = sql_flush(no_style(), connection)
    assert any(INDEX_TABLE in sql for sql in statements)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
    assert _match_rows() == 0


def _exact_first(backend, text, qs=None, cap=None):
    from search import conditions
    from search.query import ExactFirst

    search = conditions.TextSearch(q=text)
    backend.partial_count_limit = cap
    results = backend.search(ExactFirst(search.loose_query(), search.exact_query()),
                             Article.objects.all() if qs is None else qs)
    results.expect(facets=["law_status", "law_id"], stop=10)
    return results


@pytest.mark.parametrize("filtered", [False, True])
def test_a_capped_partial_count_asks_one_word_first_and_counts_every_match_only_below_the_cap(
        postgres_index, statutes, monkeypatch, filtered):
    """``PARTIAL_COUNT_LIMIT``: the statement first asks the GIN index for up to the cap of partial
    matches among the rows of one query word (the rarest expected to hold enough of them, from
    PostgreSQL's statistics), not among every word's rows; the matches are all read for the count
    and facets only when those are fewer than the cap. The exact matches are counted exactly and
    their facets come with them."""
    from search.backends import postgres as pg_backend

    monkeypatch.setattr(pg_backend, "content_type_shares", lambda connection: {})
    # 罚款 in most rows, 占道经营 in few: the probe is 罚款's tsquery alone.
    monkeypatch.setattr(pg_backend, "lexeme_frequencies",
                        lambda connection: ({"罚款": 0.5, "占道": 0.01, "经营": 0.01, "占道经营": 0.01}, 0.01, 100.0))
    qs = Article.objects.filter(law_id__in=[statutes["laws"]["chufa"].pk]) if filtered else None
    with CaptureQueriesContext(connection) as ctx:
        capped = _exact_first(postgres_index, "占道经营 罚款", qs, cap=1)
        assert (capped.count(), capped.exact_count(), capped.partial_capped()) == (2, 1, True)
        assert dict(capped.facet("law_status")) == {"in_force": 1}  # the exact match's
        first = list(capped[:10])
    assert first[0] == statutes["articles"]["stall"] and len(first) > 2  # the page ranks every match
    sql = next(q["sql"] for q in ctx.captured_queries if "probe_ AS MATERIALIZED" in q["sql"])
    probe = sql[sql.index("probe_ AS"):sql.index("LIMIT 1)")]
    asked, _sep, excluded = probe.partition(" AND NOT (n.vector @@ ")
    assert "'罚款'" in asked and "占道" not in asked and "占道经营" in excluded  # the exact matches left out
    assert "FROM m WHERE NOT (SELECT n FROM probe_) >= 1" in sql
    # No join of the tiers per ranked row (a nested loop over thousands of exact matches).
    assert "LEFT JOIN exact_" not in sql and "LEFT JOIN full_" not in sql

    below = _exact_first(postgres_index, "占道经营 罚款", qs, cap=100)
    uncapped = _exact_first(postgres_index, "占道经营 罚款", qs, cap=None)
    assert not below.partial_capped() and below.count() == uncapped.count() > 2
    assert below.exact_count() == uncapped.exact_count() == 1
    assert dict(below.facet("law_id")) == dict(uncapped.facet("law_id"))
    assert [o.pk for o in below[:10]] == [o.pk for o in uncapped[:10]]
