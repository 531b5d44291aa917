"""The PostgreSQL backend reads a search API request's count and facets of each searched model
in one statement (``search.backends.pgmatch``), not one per count and facet field as
modelsearch does; the exact matches' count and the ranked page (exact matches first) come from
the same statement and the page's objects in one more query."""
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
    # Every searched model (statutes, cases, courses …) is searched once: one statement with its
    # count, its exact count (完全匹配, ``exact_``), its facets and the requested type's ranked
    # page (exact matches first, then partial ones) — no statement of its own for the exact
    # count or either page.
    assert len(shared) == len(statements) == len(service.searchable_models())
    assert all(sql.count("WITH m AS MATERIALIZED") == 1 and "exact_ AS MATERIALIZED" in sql for sql in shared)
    # The whole request: session and user, those statements, the articles of the page by primary
    # key (exact and partial matches in one read), the view restrictions (once for every page model).
    assert len(ctx.captured_queries) == 2 + len(statements) + 1 + 1
