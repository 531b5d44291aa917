"""Search in one field, 结果中检索, advanced conditions and exact/partial counts, through the search
interface on each backend (``search_index``: Whoosh, and PostgreSQL when the tests run on it), the
search page and the JSON API; bad parameters get a clear message and a code, never a 500."""
from html import escape

import pytest
from django.urls import reverse
from wagtail.search.backends import get_search_backend

from casebank.models import CasePage
from search import analysis, conditions, service
from search.models import SynonymGroup
from search.query import ExactFirst, InFields
from tests.casebank.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(search_index):
    """Cases written like the demo's, each term in a known field."""
    SynonymGroup.objects.create(name="占道经营", terms="占道经营、店外经营、出店经营")
    analysis.invalidate()
    return {
        "stall": make_case("人行道摆摊处罚案", facts="商户在人行道占道经营，经劝导拒不改正，执法队员依法处以罚款二百元。",
                           issues="首次违法能否直接罚款。", teaching_points="先教育后处罚，体现处罚与教育相结合。"),
        "shop": make_case("店铺门前堆物案", facts="店主在店铺门前店外经营，堆放货物。",
                          issues="占道经营的认定标准。", outcome="责令改正，处以罚款五十元。"),
        "noise": make_case("夜间施工噪声案", facts="工地夜间施工噪声扰民，处以罚款一万元。",
                           issues="夜间施工许可的审查。"),
        "warn": make_case("早市占道经营劝导案", summary="早市摊贩占道经营，经劝导后自行撤离。",
                          facts="早市摊贩在路口聚集。"),
    }


def search(text, **kwargs):
    """(exact titles, partial titles) of the live cases for a TextSearch."""
    backend = get_search_backend()
    qs = CasePage.objects.live()
    fields = text.common_fields()
    exact = {c.title for c in backend.search(text.exact_query(), qs, fields=fields)}
    partial = {c.title for c in backend.search(text.partial_query(), qs, fields=fields)}
    loose = {c.title for c in backend.search(text.loose_query(), qs, fields=fields)}
    assert not exact & partial and exact | partial == loose, "exact and partial split every result"
    return exact, partial


def test_exact_matches_are_counted_apart_from_partial_ones(corpus):
    """占道经营 罚款: both words (the synonym does not count) are exact; one of them is partial."""
    exact, partial = search(conditions.TextSearch(q="占道经营 罚款"))
    assert exact == {"人行道摆摊处罚案", "店铺门前堆物案"}
    assert partial == {"夜间施工噪声案", "早市占道经营劝导案"}


def test_search_in_one_field(corpus):
    """In 基本案情 only: the shop's 占道经营 is in 争议焦点, so in its facts only the synonym matches."""
    exact, partial = search(conditions.TextSearch(q="占道经营 罚款", field="facts"))
    assert exact == {"人行道摆摊处罚案"}
    assert partial == {"店铺门前堆物案", "夜间施工噪声案"}
    exact, partial = search(conditions.TextSearch(q="认定标准", field="issues"))
    assert exact == {"店铺门前堆物案"} and partial == set()
    assert search(conditions.TextSearch(q="认定标准", field="facts")) == (set(), set())


def test_refine_within_results(corpus):
    """结果中检索: each refinement must be found exactly, in the field in force."""
    exact, partial = search(conditions.TextSearch(q="占道经营", within=["罚款"]))
    assert exact == {"人行道摆摊处罚案", "店铺门前堆物案"} and partial == set()
    exact, partial = search(conditions.TextSearch(q="占道经营", within=["罚款", "劝导"]))
    assert exact == {"人行道摆摊处罚案"}
    exact, partial = search(conditions.TextSearch(q="罚款", field="facts", within=["人行道"]))
    assert exact == {"人行道摆摊处罚案"}


def test_advanced_rows_combine_fields_with_and_or_not(corpus):
    rows = [conditions.Condition("and", "facts", "罚款"), conditions.Condition("not", "issues", "首次违法")]
    text = conditions.TextSearch(rows=rows)
    assert text.common_fields() is None and "InFields" in repr(text.exact_query())
    assert search(text)[0] == {"夜间施工噪声案"}
    rows = [conditions.Condition("and", "facts", "噪声"), conditions.Condition("or", "summary", "占道经营")]
    assert search(conditions.TextSearch(rows=rows))[0] == {"夜间施工噪声案", "早市占道经营劝导案"}
    rows = [conditions.Condition("and", "", "占道经营"), conditions.Condition("and", "teaching_points", "先教育后处罚")]
    assert search(conditions.TextSearch(rows=rows))[0] == {"人行道摆摊处罚案"}


def test_in_fields_is_a_query_of_its_own(corpus):
    """InFields through the public search(): the backend looks in that field only."""
    backend = get_search_backend()
    from modelsearch.query import PlainText

    found = {c.title for c in backend.search(InFields(PlainText("首次违法"), ["issues"]), CasePage.objects.live())}
    assert found == {"人行道摆摊处罚案"}
    assert not list(backend.search(InFields(PlainText("首次违法"), ["facts"]), CasePage.objects.live()))


def api(client, **params):
    return client.get(reverse("search:api"), params)


def test_api_counts_orders_and_labels_matches(client, officer_user, corpus, statutes):
    client.force_login(officer_user)
    data = api(client, q="占道经营 罚款", type="case").json()
    assert (data["exact_total"], data["partial_total"], data["total"]) == (2, 2, 4)
    assert [r["match"] for r in data["results"]] == ["exact", "exact", "partial", "partial"]
    statutes_only = api(client, q="占道经营 罚款", type="statute").json()
    assert statutes_only["exact_total"] == 1 and statutes_only["results"][0]["article"] == 90
    assert statutes_only["partial_total"] >= 2
    only_exact = api(client, q="占道经营 罚款", type="case", match="exact").json()
    assert only_exact["total"] == 2 and {r["match"] for r in only_exact["results"]} == {"exact"}
    data = api(client, q="占道经营", field="facts", within="罚款").json()
    assert data["field"] == "facts" and data["within"] == ["罚款"]
    assert [r["title"] for r in data["results"]] == ["人行道摆摊处罚案"]
    assert data["type_counts"]["statute"] == 0  # statutes have no 基本案情
    data = client.get(reverse("search:api") + "?c_op=and&c_field=facts&c_q=罚款&c_op=not&c_field=issues&c_q=首次违法"
                      ).json()
    assert [r["title"] for r in data["results"]] == ["夜间施工噪声案"]
    assert data["conditions"] == [{"op": "and", "field": "facts", "q": "罚款"},
                                  {"op": "not", "field": "issues", "q": "首次违法"}]


def test_one_search_per_model_counts_exact_and_partial_matches(client, officer_user, corpus, statutes,
                                                                monkeypatch):
    """The exact count and the exact page come from the same match as the loose count, facets and
    partial page: a request searches each model once, with the same counts and order as the
    exact and partial readings searched apart (test above)."""
    backend = get_search_backend()
    searches = []
    original = type(backend).search

    def counted(self, query, *args, **kwargs):
        searches.append(query)
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(type(backend), "search", counted)
    client.force_login(officer_user)
    data = api(client, q="占道经营 罚款", type="case").json()
    assert (data["exact_total"], data["partial_total"]) == (2, 2)
    assert [r["match"] for r in data["results"]] == ["exact", "exact", "partial", "partial"]
    assert {r["title"] for r in data["results"][:2]} == {"人行道摆摊处罚案", "店铺门前堆物案"}
    assert len(searches) == len(service.searchable_models())
    assert all(isinstance(q, ExactFirst) for q in searches)
    searches.clear()
    data = api(client, q="占道经营 罚款", type="statute").json()
    assert data["exact_total"] == 1 and data["results"][0]["article"] == 90
    assert data["partial_total"] >= 2 and data["results"][1]["match"] == "partial"
    assert len(searches) == len(service.searchable_models())


def test_search_page_shows_counts_chips_and_the_forms(client, officer_user, corpus):
    client.force_login(officer_user)
    body = client.get(reverse("search:search"), {"q": "占道经营 罚款", "type": "case", "within": "人行道"}
                      ).content.decode()
    assert "完全匹配 1 条" in body and "部分匹配 0 条" in body
    assert 'name="within"' in body and "结果中检索" in body and "高级检索" in body
    assert 'data-filter="within"' in body and "结果中：人行道" in body
    assert '<option value="facts">基本案情</option>' in body


def test_a_text_search_heads_its_results_with_the_split_counts_not_a_sum(client, officer_user, corpus):
    """A text search once read "共找到 1,552 条结果" (any word): it states its exact and partial
    matches apart, and no sum of the two."""
    client.force_login(officer_user)
    body = client.get(reverse("search:search"), {"q": "占道经营 罚款"}).content.decode()
    assert "完全匹配" in body and "部分匹配" in body and "共找到" not in body


def test_type_tabs_count_as_the_headline_does(client, officer_user, corpus, statutes):
    """A type tab's number once counted any-word matches under a headline of exact ones: each tab
    shows its exact matches as the headline counts them, its partial ones apart beside it."""
    client.force_login(officer_user)

    def tabs(**params):
        response = client.get(reverse("search:search"), {"q": "占道经营 罚款", **params})
        return {t["key"]: (t["count"], t["partial"]) for t in response.context["tabs"]}, response

    every, response = tabs()
    outcome = response.context["outcome"]
    assert every[""] == (outcome.exact_total, outcome.partial_total)
    assert every["case"] == (2, 2)
    body = response.content.decode()
    assert '>案例 <span class="badge">2</span><span class="tab-partial"><span aria-hidden="true">+2</span>' in body
    assert 'title="完全匹配 2 条 · 部分匹配 2 条"' in body
    for kind in ("case", "statute"):
        one, response = tabs(type=kind)
        outcome = response.context["outcome"]
        assert one[kind] == every[kind] == (outcome.exact_total, outcome.partial_total)
        assert one[""] == every[""]
    only_partial, _response = tabs(match="partial")
    assert only_partial["case"] == (2, 0)
    # 法规 gathers two models (laws and their articles): its tab adds up both
    response = client.get(reverse("search:search"), {"q": "行政处罚"})
    outcome = response.context["outcome"]
    statute = next(t for t in response.context["tabs"] if t["key"] == "statute")
    assert statute["count"] + statute["partial"] == outcome.type_counts["statute"] >= 2
    assert response.context["tabs"][0]["count"] == outcome.exact_total


@pytest.mark.parametrize("params, code", [
    ({"q": "罚款", "field": "nonsense"}, "unknown_field"),
    ({"q": "罚" * 201}, "query_too_long"),
    ({"c_op": "and", "c_field": "facts"}, "bad_conditions"),
    ({"c_op": "xor", "c_field": "facts", "c_q": "罚款"}, "bad_operator"),
    ({"c_op": "not", "c_field": "facts", "c_q": "罚款"}, "only_not"),
    ({"within": "罚款"}, "within_without_query"),
    ({"q": "罚款", "match": "best"}, "bad_match"),
    ({"q": "罚款", "within": ["a", "b", "c", "d", "e", "f"]}, "too_many_conditions"),
])
def test_bad_parameters_get_a_code_and_a_message(client, officer_user, whoosh_index, params, code):
    client.force_login(officer_user)
    response = client.get(reverse("search:api"), params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    page = client.get(reverse("search:search"), params)
    body = page.content.decode()
    # people read the message; the code is for programs and stays in the JSON
    assert page.status_code == 400 and escape(error["message"]) in body and code not in body


def test_empty_query_is_no_search(client, officer_user, whoosh_index):
    client.force_login(officer_user)
    assert api(client, q="   ").json()["error"]["code"] == "missing_query"
    assert client.get(reverse("search:search"), {"q": ""}).status_code == 200


def test_stop_words_only_find_nothing(corpus):
    assert search(conditions.TextSearch(q="的 了")) == (set(), set())
    assert search(conditions.TextSearch(q="的", field="facts")) == (set(), set())
