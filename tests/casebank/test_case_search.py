"""The case list's search (/cases/): a keyword in one field, 结果中检索, the advanced form (rows,
decision dates, the list's filters), exact matches first and counted apart from partial ones, each
condition a removable chip in a shareable URL; bad conditions get a message, never a 500."""
import datetime
import re
from html import unescape

import pytest
from django.http import QueryDict

from search import analysis
from search.models import SynonymGroup
from tests.search.conftest import search_index, whoosh_index  # noqa: F401 - fixtures

from .factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(search_index):  # noqa: F811
    SynonymGroup.objects.create(name="占道经营", terms="占道经营、店外经营、出店经营")
    analysis.invalidate()
    make_case("人行道摆摊处罚案", facts="商户在人行道占道经营，拒不改正，处以罚款二百元。", issues="首次违法能否直接罚款。",
              areas=["municipal"], decision_date=datetime.date(2024, 3, 1))
    make_case("店铺门前堆物案", facts="店主在店铺门前店外经营，堆放货物。", issues="占道经营的认定标准。",
              outcome="处以罚款五十元。", areas=["municipal"], decision_date=datetime.date(2025, 6, 1))
    make_case("夜间施工噪声案", facts="工地夜间施工噪声扰民，处以罚款一万元。", areas=["environment"],
              decision_date=datetime.date(2025, 9, 1))
    make_case("早市占道经营劝导案", summary="早市摊贩占道经营，经劝导后自行撤离。", facts="早市摊贩在路口聚集。",
              decision_date=datetime.date(2023, 1, 5))


def titles(body):
    return re.findall(r'<h2 class="h3"><a href="[^"]*">([^<]+)</a>', body)


def chips(body):
    return {(key, unescape(text).strip()): unescape(href)
            for key, href, text in re.findall(r'<a class="chip" data-filter="([^"]+)" href="([^"]*)"[^>]*>([^<]*)', body)}


def get(client, query):
    response = client.get("/cases/?" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_exact_matches_first_and_counted_apart(client, officer_user, cases, search_index,  # noqa: F811
                                              monkeypatch):
    searches = []
    original = type(search_index).search

    def counted(self, query, *args, **kwargs):
        searches.append(query)
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(type(search_index), "search", counted)
    client.force_login(officer_user)
    body = get(client, "q=占道经营+罚款")
    assert len(searches) == 1  # exact and partial matches from one search
    assert "完全匹配 2 条" in body and "部分匹配 2 条" in body and "共 4 个案例" in body
    assert set(titles(body)[:2]) == {"人行道摆摊处罚案", "店铺门前堆物案"}
    assert set(titles(body)[2:]) == {"夜间施工噪声案", "早市占道经营劝导案"}
    assert body.count('<span class="badge badge-grey">部分匹配</span>') == 2
    only = get(client, "q=占道经营+罚款&match=exact")
    assert set(titles(only)) == {"人行道摆摊处罚案", "店铺门前堆物案"}


def test_field_refinement_and_chips(client, officer_user, cases):
    client.force_login(officer_user)
    body = get(client, "q=占道经营&field=facts")
    assert titles(body)[0] == "人行道摆摊处罚案"
    assert '<option value="facts" selected>基本案情</option>' in body
    body = get(client, "q=占道经营&field=facts&within=罚款&area=municipal")
    assert titles(body) == ["人行道摆摊处罚案"]
    found = chips(body)
    assert ("q", "基本案情：占道经营") in found and ("within", "结果中：罚款") in found
    # removing the refinement keeps the query, its field and the filter
    href = found[("within", "结果中：罚款")]
    assert QueryDict(href.lstrip("?")).dict() == {"q": "占道经营", "field": "facts", "area": "municipal"}
    # removing the query removes what refined it
    assert QueryDict(found[("q", "基本案情：占道经营")].lstrip("?")).dict() == {"area": "municipal"}


def test_advanced_rows_dates_and_filters_combine(client, officer_user, cases):
    client.force_login(officer_user)
    body = get(client, "c_op=and&c_field=facts&c_q=罚款&c_op=not&c_field=issues&c_q=首次违法"
                       "&c_op=and&c_field=&c_q=")
    assert titles(body) == ["夜间施工噪声案"]  # the shop's 罚款 is in its outcome, not its facts
    body = get(client, "c_op=and&c_field=&c_q=罚款&c_op=not&c_field=issues&c_q=首次违法")
    assert set(titles(body)) == {"店铺门前堆物案", "夜间施工噪声案"}
    body = get(client, "c_op=and&c_field=&c_q=罚款&c_op=not&c_field=issues&c_q=首次违法"
                       "&date_from=2025-07-01&date_to=2025-12-31")
    assert titles(body) == ["夜间施工噪声案"]
    found = chips(body)
    assert ("c_q", "不包含 争议焦点：首次违法") in found and ("date_from", "决定日期自：2025-07-01") in found
    assert ("c_q", "并且 全文：罚款") in found
    body = get(client, "c_op=and&c_field=&c_q=罚款&area=municipal")
    assert set(titles(body)) == {"人行道摆摊处罚案", "店铺门前堆物案"}
    assert '<details class="facet card advanced-search advanced-group" open>' in body


@pytest.mark.parametrize("query, message, code", [
    ("q=罚款&field=nonsense", "未知的检索字段", "unknown_field"),
    ("q=" + "罚" * 201, "搜索词过长", "query_too_long"),
    ("c_op=not&c_field=facts&c_q=罚款", "不能只有", "only_not"),
    ("q=罚款&date_from=2025-13-40", "日期格式", None),
])
def test_bad_conditions_get_a_message(client, officer_user, whoosh_index, query, message, code):  # noqa: F811
    """The banner says what is wrong, without the error's internal code."""
    client.force_login(officer_user)
    make_case("人行道摆摊处罚案", facts="处以罚款二百元。")
    body = get(client, query)
    assert message in body and 'role="alert"' in body
    assert code is None or code not in body
