"""The PostgreSQL backend reads a search API request's count and facets of each searched model
in one statement (``search.backends.pgmatch``), not one per count and facet field as
modelsearch does; a BestMatch query's ranked page comes from the same statement and its
objects in one more query."""
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
    shared = [sql for sql in statements if "WITH m AS MATERIALIZED" in sql]
    # Every searched model (statutes, cases, courses …) is counted with its facets in one
    # statement, the requested type's ranked page (its partial tier) in the same one; the one
    # model with matches (articles) then counts its exact matches apart (完全匹配 / 部分匹配)
    # in one more, and reads its exact page.
    assert len(shared) == len(service.searchable_models()) + 1
    assert all(sql.count("WITH m AS MATERIALIZED") == 1 for sql in shared)
    assert len(statements) - len(shared) == 1
    # The whole request (15 statements, as many as when the partial page was a match of its
    # own): session and user, those statements (the exact page carries its articles), the
    # partial page's articles by primary key, the view restrictions of the three page models.
    assert len(ctx.captured_queries) == 2 + len(statements) + 1 + 3 == 15
