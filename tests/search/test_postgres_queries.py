"""The PostgreSQL backend reads a search API request's count, facets and ranked page of each
searched model in one statement (``search.backends.pgmatch``), not one per count, facet
field and page as modelsearch does; the page's objects come in one more query."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casebank.models import Article
from search import service
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
    return [q["sql"] for q in ctx.captured_queries if INDEX_TABLE in q["sql"]]


def test_one_statement_per_model_per_api_request(client, officer_user, postgres_index, statutes):
    client.force_login(officer_user)
    url = reverse("search:api")
    client.get(url, {"q": "占道经营 罚款", "type": "statute"})  # session, content types, word statistics
    with CaptureQueriesContext(connection) as ctx:
        data = client.get(url, {"q": "流动摊贩 罚款", "type": "statute"}).json()
    assert data["results"][0]["article"] == 90 and data["total"] == 3
    assert data["facets"]["status"]["values"][0]["count"] == 3
    statements = _statements(ctx)
    # Every searched model (statutes, cases, courses …) is counted; the statute models' facets
    # and page come in that same statement.
    assert len(statements) == len(service.searchable_models())
    assert all(sql.count("WITH m AS MATERIALIZED") == 1 for sql in statements)
    # The whole request: session and user, one statement per searched model, the page's
    # articles (no law matches), the view restrictions of the three page models. modelsearch's
    # own results took four statements per statute model (count, two facet fields, page).
    assert len(ctx.captured_queries) == 2 + len(statements) + 1 + 3


def test_count_facets_and_page_share_the_statement(postgres_index, statutes):
    arts = statutes["articles"]
    results = postgres_index.search(BestMatch("流动摊贩 罚款"), Article).annotate_score("_score")
    results.expect(facets=["law_status", "law_id"], stop=10)
    with CaptureQueriesContext(connection) as ctx:
        assert results.count() == 3
        assert dict(results.facet("law_status")) == {"in_force": 3}
        assert dict(results.facet("law_id")) == {statutes["laws"]["chufa"].pk: 3}
        page = list(results[:10])
    assert len(_statements(ctx)) == 1 and len(ctx.captured_queries) == 2
    assert page[0].pk == arts["stall"].pk and page[0]._score > 1000 > page[1]._score
    # A facet nobody announced costs one statement more; a longer page re-ranks.
    with CaptureQueriesContext(connection) as ctx:
        assert dict(results.facet("number")) == {90: 1, 51: 1, 93: 1}
        assert [a.pk for a in results[:2]] == [a.pk for a in page[:2]]
    assert len(_statements(ctx)) == 1
    # The planner setting of the statement does not outlive it (the test runs in a transaction).
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
