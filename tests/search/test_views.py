"""The search page, the JSON API and suggestions, by role: officers see live
content only; drafts and the question bank never leak (results, counts,
suggestions); bad parameters give 400 with a code."""
import pytest
from django.urls import reverse

from exams.models import Question
from search import service
from tests.casebank.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(search_index, statutes):
    live = make_case("占道经营处罚案", summary="商户在人行道占道经营，责令改正并罚款。", facts="多次劝导无效。")
    draft = make_case("秘密草稿占道经营案", live=False, summary="草稿中的占道经营内容，绝不能泄露。")
    return {"live": live, "draft": draft}


def api(client, **params):
    return client.get(reverse("search:api"), params)


def test_login_required(client, cases):
    assert api(client, q="占道经营").status_code == 401
    page = client.get(reverse("search:search"), {"q": "占道经营"})
    assert page.status_code == 302 and "login" in page["Location"]
    assert client.get(reverse("search:suggest"), {"q": "占道"}).status_code == 401


def test_api_shape_and_statute_fields(client, officer_user, cases, statutes):
    client.force_login(officer_user)
    data = api(client, q="不予行政处罚", type="statute").json()
    assert set(data) >= {"query", "total", "page", "results", "facets"}
    assert data["query"] == "不予行政处罚" and data["page"] == 1 and data["total"] >= 1
    top = data["results"][0]
    assert top["type"] == "statute"
    assert top["law"] == "中华人民共和国行政处罚法" and top["article"] == 33 and top["status"] == "in_force"
    assert "<mark>" in top["snippet"] and top["url"]
    assert "status" in data["facets"]


def test_officer_never_sees_drafts(client, officer_user, cases):
    client.force_login(officer_user)
    data = api(client, q="占道经营").json()
    titles = [r["title"] for r in data["results"]]
    assert "占道经营处罚案" in titles
    assert all("秘密草稿" not in t for t in titles)
    assert data["type_counts"]["case"] == 1
    assert "秘密草稿" not in str(data)
    page = client.get(reverse("search:search"), {"q": "占道经营", "type": "case"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<mark>占道经营</mark>处罚案" in body and "秘密草稿" not in body
    sugg = client.get(reverse("search:suggest"), {"q": "秘密"}).json()
    assert all("秘密" not in s["title"] for s in sugg["suggestions"])


def test_unpublished_page_disappears(client, officer_user, cases):
    client.force_login(officer_user)
    cases["live"].unpublish()
    data = api(client, q="占道经营", type="case").json()
    assert data["total"] == 0 and data["results"] == []


def test_question_bank_never_searched(client, trainer_user, cases):
    """Exam questions are not in the people search, whatever their text."""
    Question.objects.create(qtype="single", category="municipal", text="占道经营题干绝密", status="active")
    assert all(model._meta.app_label != "exams" for _k, model in service.searchable_models())
    client.force_login(trainer_user)
    data = api(client, q="占道经营题干绝密").json()
    assert all("绝密" not in r["title"] + r["snippet"] for r in data["results"])
    assert api(client, q="题干绝密").json()["total"] == 0


def test_models_are_discovered_from_the_registry(cases):
    kinds = {k for k, _m in service.searchable_models()}
    assert {"statute", "case", "course", "lesson", "power", "benchmark"} <= kinds


@pytest.mark.parametrize("params,code", [
    ({"q": "罚款", "page": "x"}, "bad_page"),
    ({"q": "罚款", "page": "0"}, "bad_page"),
    ({"q": "罚款", "page": "²"}, "bad_page"),  # a digit to str.isdigit, not to int()
    ({"q": "罚款", "year": "²"}, "bad_facet"),
    ({"q": "罚款", "type": "secret"}, "bad_type"),
    ({"q": "罚" * 201}, "query_too_long"),
    ({"q": ""}, "missing_query"),
    ({"q": "罚款", "year": "abc"}, "bad_facet"),
])
def test_bad_parameters_give_400(client, officer_user, search_index, params, code):
    client.force_login(officer_user)
    response = api(client, **params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_page_helps_when_nothing_found(client, officer_user, cases):
    client.force_login(officer_user)
    body = client.get(reverse("search:search"), {"q": "量子纠缠 占道经营"}).content.decode()
    assert "量子" in body
    partial = api(client, q="量子纠缠 占道经营").json()
    assert partial["total"] >= 1  # the partial match is still offered
    none = client.get(reverse("search:search"), {"q": "量子纠缠"}).content.decode()
    assert "没有找到" in none


def test_pagination_and_type_tabs(client, officer_user, cases, statutes, search_index):
    """More hits than a page: pages split them without overlap or loss and link each other;
    the type tabs count each type and a tab shows only its type."""
    import re

    from casebank.models import Article
    from tests.search.conftest import make_article

    law = statutes["laws"]["chufa"]
    extra = [make_article(law, 200 + i, f"违反第{i}项规定的，处以罚款。") for i in range(12)]
    search_index.add_bulk(Article, extra)
    client.force_login(officer_user)
    first = api(client, q="罚款").json()
    total = first["total"]
    assert total >= 16 and first["num_pages"] == -(-total // service.PAGE_SIZE) >= 2
    pages = [api(client, q="罚款", page=str(n)).json()["results"] for n in range(1, first["num_pages"] + 1)]
    urls = [r["url"] for page in pages for r in page]
    assert [len(p) for p in pages[:-1]] == [service.PAGE_SIZE] * (len(pages) - 1)
    assert len(urls) == total == len(set(urls))  # every hit once, none twice
    assert api(client, q="罚款", page="50").json()["results"] == []
    counts = first["type_counts"]
    assert counts["case"] == 1 and counts["statute"] == total - 1

    page1 = client.get(reverse("search:search"), {"q": "罚款"}).content.decode()
    tab_counts = re.findall(r'>(全部|法规|案例) <span class="badge[^"]*">(\d+)</span>', page1)
    assert ("全部", str(total)) in tab_counts and ("法规", str(total - 1)) in tab_counts and ("案例", "1") in tab_counts
    assert '?q=%E7%BD%9A%E6%AC%BE&amp;type=case"' in page1 and '?q=%E7%BD%9A%E6%AC%BE&amp;type=statute"' in page1
    assert "下一页" in page1 and "上一页" not in page1 and f"第 1 / {first['num_pages']} 页" in page1
    last = client.get(reverse("search:search"), {"q": "罚款", "page": first["num_pages"]}).content.decode()
    assert "上一页" in last and "下一页" not in last
    only_cases = client.get(reverse("search:search"), {"q": "罚款", "type": "case"})
    hits = [h.as_json()["type"] for h in only_cases.context["outcome"].hits]
    assert hits == ["case"] and "占道经营处罚案" in only_cases.content.decode()
    assert all(r["type"] == "statute" for r in api(client, q="罚款", type="statute").json()["results"])


def test_autocomplete_suggestions(client, officer_user, cases, statutes):
    client.force_login(officer_user)
    data = client.get(reverse("search:suggest"), {"q": "行政处"}).json()
    assert any(s["title"] == "中华人民共和国行政处罚法" for s in data["suggestions"])
