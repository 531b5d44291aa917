"""``PARTIAL_COUNT_LIMIT``: the partial matches (部分匹配) of a search are counted up to a limit;
beyond it the API says ``partial_total_capped``, the page says "部分匹配 n 条以上", the facets count
the exact matches (and say so), a facet still filters every match, and the pages end at the
limit. The exact matches (完全匹配) stay counted exactly. The same on both backends."""
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from casebank.models import Article
from search import conditions, service
from search.backends import postgres as pg_backend
from search.backends.postgres import JiebaPostgresSearchBackend
from search.backends.whoosh import WhooshSearchBackend
from tests.search.conftest import make_article

pytestmark = pytest.mark.django_db

QUERY = "占道经营 罚款"


@pytest.fixture
def fines(statutes, search_index):
    """Besides the statutes' articles: three more holding 罚款 only (partial matches of QUERY)."""
    chufa = statutes["laws"]["chufa"]
    extra = [make_article(chufa, 94 + i, f"违反第{90 + i}条规定的，处二百元以下罚款。") for i in range(3)]
    search_index.add_bulk(Article, list(Article.get_indexed_objects().filter(pk__in=[a.pk for a in extra])))
    return statutes


def _limited(limit):
    """The test's backend with ``PARTIAL_COUNT_LIMIT`` set."""
    conf = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "PARTIAL_COUNT_LIMIT": limit}}
    return override_settings(WAGTAILSEARCH_BACKENDS=conf, MODELSEARCH_BACKENDS=conf)


@pytest.fixture(autouse=True)
def _no_table_statistics(monkeypatch):
    """Whatever PostgreSQL's statistics of the test database say of the match table, the cap is
    asked for (the probe is skipped only for a model the statistics call smaller than the cap)."""
    monkeypatch.setattr(pg_backend, "content_type_shares", lambda connection: {})


def _api(client, **params):
    return client.get(reverse("search:api"), {"q": QUERY, "type": "statute", **params}).json()


def test_defaults_and_bad_values(search_index):
    from wagtail.search.backends import get_search_backend

    expected = 1000 if isinstance(search_index, JiebaPostgresSearchBackend) else None
    assert get_search_backend().partial_count_limit == expected
    with _limited(None):
        assert get_search_backend().partial_count_limit is None
    with _limited(-5), pytest.raises(ImproperlyConfigured):
        get_search_backend()


def test_counts_below_the_limit_are_exact_and_the_same_as_without_one(client, officer_user, fines):
    client.force_login(officer_user)
    with _limited(None):
        full = _api(client)
    with _limited(full["partial_total"] + 1):
        below = _api(client)
    assert full["exact_total"] == 1 and full["partial_total"] >= 4
    assert not full["partial_total_capped"] and not below["partial_total_capped"]
    assert below["type_counts_capped"] == []
    for key in ("total", "exact_total", "partial_total", "facets", "num_pages"):
        assert below[key] == full[key], key
    assert below["facets"]["status"]["values"][0]["count"] == full["total"]
    assert not below["facets_exact_only"]


def test_capped_partial_count_in_the_api(client, officer_user, fines):
    client.force_login(officer_user)
    with _limited(None):
        full = _api(client)
    with _limited(3):
        data = _api(client)
        page_two = client.get(reverse("search:api"), {"q": QUERY, "type": "statute", "page": 2}).json()
    assert full["partial_total"] > 3
    assert (data["exact_total"], data["partial_total"], data["total"]) == (1, 3, 4)
    assert data["partial_total_capped"] is True and data["type_counts"]["statute"] == 4
    assert data["type_counts_capped"] == ["statute"]
    # The exact match first, then partial ones; the facets count the exact match only, and say so.
    assert data["results"][0]["article"] == 90 and data["results"][0]["match"] == conditions.EXACT
    assert {r["match"] for r in data["results"][1:]} == {conditions.PARTIAL}
    assert data["facets_exact_only"] is True
    assert [(v["value"], v["count"]) for v in data["facets"]["status"]["values"]] == [("in_force", 1)]
    # One page of 10 holds all counted; there is no second page.
    assert data["num_pages"] == 1 and page_two["results"] == []


def test_a_facet_still_filters_every_match_when_capped(client, officer_user, fines):
    client.force_login(officer_user)
    with _limited(3):
        data = _api(client, status="in_force")
    assert data["partial_total_capped"] is True
    # Every in-force partial match can be on the page, not only those the facet counted.
    assert len(data["results"]) > data["facets"]["status"]["values"][0]["count"]
    assert all(r["status"] == "in_force" for r in data["results"])


def test_pages_end_at_the_limit(officer_user, fines):
    text = conditions.TextSearch(q=QUERY)
    with _limited(3):
        first = service.run_search(officer_user, text, kind="statute", page=1, page_size=2)
        last = service.run_search(officer_user, text, kind="statute", page=2, page_size=2)
        beyond = service.run_search(officer_user, text, kind="statute", page=3, page_size=2)
    assert first.partial_capped and (first.total, first.num_pages) == (4, 2)
    assert len(first.hits) == 2 and len(last.hits) == 2 and beyond.hits == []
    seen = [h.url for h in first.hits + last.hits]
    assert len(set(seen)) == 4


def test_the_page_says_partial_matches_are_more_than_the_limit(client, officer_user, fines):
    client.force_login(officer_user)
    with _limited(3):
        html = client.get(reverse("search:search"), {"q": QUERY, "type": "statute"}).content.decode()
        with translation.override("en"):
            english = client.get(reverse("search:search"), {"q": QUERY, "type": "statute"},
                                 HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "部分匹配 3 条以上" in html
    assert "下列数字只计完全匹配的结果" in html
    assert "+3+" in html  # the statute tab
    assert "3+ partial matches" in english
    with _limited(None):
        html = client.get(reverse("search:search"), {"q": QUERY, "type": "statute"}).content.decode()
    assert "条以上" not in html and "只计完全匹配" not in html


def test_both_backends_implement_the_cap(search_index):
    assert isinstance(search_index, (WhooshSearchBackend, JiebaPostgresSearchBackend))
    for cls in (pg_backend.JiebaPostgresSearchResults, type(search_index).results_class):
        assert callable(getattr(cls, "partial_capped")) and callable(getattr(cls, "exact_facet"))
