"""What one search request costs: the page view restrictions are asked once for all page models,
the Whoosh backend compiles the query once for every model and checks for a newer index once per
model, facets give the same counts whichever way they are counted, and the snippet window is the
one holding the most matches."""
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from casebank.models import Article, Law
from search import service
from search.backends import mapping
from search.backends import whoosh as whoosh_backend
from search.query import ExactFirst
from tests.casebank.factories import make_case

pytestmark = pytest.mark.django_db


def api(client, **params):
    return client.get(reverse("search:api"), params).json()


def test_view_restrictions_are_asked_once_per_request(client, officer_user, search_index, statutes):
    shown = make_case("人行道摆摊处罚案", facts="商户在人行道占道经营，处以罚款二百元。")
    hidden = make_case("店外经营处罚案", facts="店主占道经营，处以罚款五十元。")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="x")
    client.force_login(officer_user)
    with CaptureQueriesContext(connection) as ctx:
        data = api(client, q="占道经营 罚款")
    titles = {r["title"] for r in data["results"]}
    assert shown.title in titles and hidden.title not in titles
    assert data["type_counts"]["case"] == 1
    restrictions = [q["sql"] for q in ctx.captured_queries if "wagtailcore_pageviewrestriction" in q["sql"]]
    pages = sum(1 for _kind, model in service.searchable_models() if issubclass(model, service.Page))
    assert pages >= 2 and len(restrictions) == 1


def test_whoosh_compiles_a_query_once_and_checks_the_index_once_per_model(client, officer_user, whoosh_index,
                                                                         statutes, monkeypatch):
    compiled, opened = [], []
    compile_tiers = whoosh_backend.WhooshSearchQueryCompiler.compile_tiers
    searcher = type(whoosh_index.store).searcher

    def counted_compile(self, query, fields):
        if isinstance(query, ExactFirst):
            compiled.append(query)
        return compile_tiers(self, query, fields)

    def counted_searcher(store):
        opened.append(store)
        return searcher(store)

    monkeypatch.setattr(whoosh_backend.WhooshSearchQueryCompiler, "compile_tiers", counted_compile)
    monkeypatch.setattr(type(whoosh_index.store), "searcher", counted_searcher)
    client.force_login(officer_user)
    data = api(client, q="占道经营 罚款", type="statute")
    assert data["exact_total"] == 1 and data["results"][0]["article"] == 90
    assert data["partial_total"] >= 2 and data["facets"]["status"]["values"]
    models = len(service.searchable_models())
    assert len(compiled) == 1  # not once per model
    assert len(opened) <= models  # count, exact count, facets and page of a model share one check
    # A new query object is compiled anew.
    compiled.clear()
    assert api(client, q="占道经营", type="statute")["exact_total"] == 1
    assert len(compiled) == 1


def test_facet_counts_are_the_same_by_probes_and_by_counting(whoosh_index, statutes, monkeypatch):
    """A single-valued field is counted from its rarer values' documents when that is cheaper; the
    counts (documents without a value, deleted documents) are those of visiting every match."""
    whoosh_index.delete(statutes["articles"]["bike"])
    searcher = whoosh_index.store.searcher()
    every = set(searcher.reader().all_doc_ids())  # laws (no law_status) and articles
    some = set(list(sorted(every))[::2])

    def counts(docnums, model, name, factor):
        monkeypatch.setattr(whoosh_backend, "FACET_PROBE_FACTOR", factor)
        field = next(f for f in model.get_filterable_search_fields() if f.field_name == name)
        fname, kind, internal, _col = mapping.filter_field_info(model, field)
        return dict(whoosh_index.facet_counts(docnums, fname, kind, internal, searcher=searcher))

    for docnums in (every, some):
        for model, name in ((Article, "law_status"), (Article, "law_id"), (Law, "status")):
            probed, visited = counts(docnums, model, name, 0), counts(docnums, model, name, 10 ** 9)
            assert probed == visited
            assert sum(probed.values()) == len(docnums)
    by_status = counts(every, Article, "law_status", 0)
    assert by_status[None] == Law.objects.count()  # the laws have no law_status of their own
    assert by_status["in_force"] == Article.objects.filter(law_status="in_force").count() - 1  # one deleted


def _best_start_by_brute_force(hits, length):
    best, best_count = hits[0][0], 0
    for s, _e in hits:
        count = sum(1 for s2, _e2 in hits if s <= s2 < s + length)
        if count > best_count:
            best, best_count = s, count
    return best


def test_snippet_window_holds_the_most_matches():
    rng = random.Random(5)
    for _ in range(200):
        text = "".join(rng.choice("罚款应当改正处罚的，。") for _ in range(rng.randrange(1, 600)))
        terms = {"罚款", "改正", "处罚"}
        snippet = service.highlight(text, terms, length=40)
        hits = [(m.start(), m.end()) for m in re.finditer("罚款|改正|处罚", text)]
        if not hits:
            assert "<mark>" not in snippet
            continue
        start = max(0, _best_start_by_brute_force(hits, 40) - 20)
        assert snippet.startswith("…" if start else "")
        plain = snippet.replace("<mark>", "").replace("</mark>", "").strip("…")
        assert plain == text[start:start + 40]
