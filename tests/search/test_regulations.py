"""Regulations and local regulations in the statute search: 效力级别 and region
facets and filters, the bureau's own local regulations first among equals,
法条直达 (a cited article first, the version in force), snippets and badges
without Markdown or internal codes."""
import datetime
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.search.conftest import make_article, make_law

pytestmark = pytest.mark.django_db

SAME_TEXT = "擅自占用城市道路堆放物料的，由市容环境卫生行政主管部门责令改正，处以罚款。"


@pytest.fixture
def library(search_index, statutes):
    from casebank.models import Article, Law

    road_old = make_law("城市道路管理条例", status="historical", source_id="road-1996", level="行政法规",
                        version_date=datetime.date(1996, 6, 4))
    road = make_law("城市道路管理条例", source_id="road-2019", level="行政法规",
                    version_date=datetime.date(2019, 3, 24))
    rongmao = make_law("城市市容和环境卫生管理条例", source_id="rongmao-2017", level="行政法规")
    zhejiang = make_law("浙江省市容环境卫生管理条例", source_id="zj-rongmao", level="地方性法规", local=True,
                        province="浙江省", region="浙江省")
    shandong = make_law("山东省市容环境卫生管理条例", source_id="sd-rongmao", level="地方性法规", local=True,
                        province="山东省", region="山东省")
    arts = {
        "road_old_42": make_article(road_old, 42, "违反本条例第二十七条规定的，旧版条文，罚款数额不同。", "第四十二条"),
        "road_42": make_article(road, 42, "违反本条例第二十七条规定，擅自占用或者挖掘城市道路的，"
                                          "由市政工程行政主管部门责令限期改正，可以处以2万元以下的罚款。", "第四十二条"),
        "rongmao_36": make_article(rongmao, 36, "## 第四章 罚则\n**有下列行为之一者**，城市人民政府市容环境卫生行政"
                                                "主管部门或者其委托的单位除责令其纠正违法行为外：\n- 随地吐痰的；\n"
                                                "1. 在城市人民政府规定的街道临街建筑物的阳台外堆放物品的。", "第三十六条"),
        "zj": make_article(zhejiang, 20, SAME_TEXT, "第二十条"),
        "sd": make_article(shandong, 20, SAME_TEXT, "第二十条"),
    }
    laws = [road_old, road, rongmao, zhejiang, shandong]
    search_index.add_bulk(Law, laws)
    search_index.add_bulk(Article, list(Article.get_indexed_objects().filter(pk__in=[a.pk for a in arts.values()])))
    return {"laws": laws, "articles": arts}


def api(client, **params):
    return client.get(reverse("search:api"), params).json()


def test_level_and_region_facets_and_filters(client, officer_user, library):
    client.force_login(officer_user)
    data = api(client, q="市容环境卫生", type="statute")
    levels = {v["value"]: v for v in data["facets"]["level"]["values"]}
    assert levels["地方性法规"]["count"] >= 2 and levels["地方性法规"]["label"] == "地方性法规"
    assert levels["行政法规"]["count"] >= 1
    provinces = {v["value"]: v for v in data["facets"]["province"]["values"]}
    assert provinces["浙江省"]["count"] >= 1 and provinces["山东省"]["count"] >= 1
    assert provinces[""]["label"] == "全国"

    local = api(client, q="市容环境卫生", type="statute", level="地方性法规")
    assert local["total"] >= 2
    assert all(r["level"] == "地方性法规" for r in local["results"])
    shandong = api(client, q="市容环境卫生", type="statute", province="山东省")
    assert shandong["results"] and all(r["province"] == "山东省" for r in shandong["results"])
    assert any(r["article"] == 20 for r in shandong["results"])
    assert not api(client, q="市容环境卫生", type="statute", province="西藏自治区")["results"]


@override_settings(ACADEMY_PROVINCE="浙江省", ACADEMY_CITY="宁波市")
def test_own_province_first_among_equals(client, officer_user, library):
    client.force_login(officer_user)
    results = api(client, q="擅自占用城市道路堆放物料", type="statute")["results"]
    provinces = [r["province"] for r in results if r["article"] == 20]
    assert provinces[:2] == ["浙江省", "山东省"]
    with override_settings(ACADEMY_PROVINCE="山东省", ACADEMY_CITY=""):
        results = api(client, q="擅自占用城市道路堆放物料", type="statute")["results"]
        assert [r["province"] for r in results if r["article"] == 20][:2] == ["山东省", "浙江省"]


@pytest.mark.parametrize("query, law, number", [
    ("行政处罚法第三十三条", "中华人民共和国行政处罚法", 33),
    ("城市道路管理条例第42条", "城市道路管理条例", 42),
    ("《城市市容和环境卫生管理条例》第三十六条", "城市市容和环境卫生管理条例", 36),
])
def test_citation_puts_the_article_first(client, officer_user, library, query, law, number):
    client.force_login(officer_user)
    for params in ({"q": query}, {"q": query, "type": "statute"}):
        top = api(client, **params)["results"][0]
        assert (top["law"], top["article"]) == (law, number)
        assert top["status"] == "in_force"


def test_citation_prefers_the_version_in_force(client, officer_user, library):
    client.force_login(officer_user)
    results = api(client, q="城市道路管理条例第四十二条", type="statute")["results"]
    assert "/road-2019/" in results[0]["url"]
    assert "2万元" in results[0]["snippet"]


def test_snippets_and_badges_show_no_markdown_or_codes(client, officer_user, library):
    client.force_login(officer_user)
    data = api(client, q="随地吐痰", type="statute")
    top = data["results"][0]
    assert top["article"] == 36
    for mark in ("##", "**", "- 随地", "1. 在"):
        assert mark not in top["snippet"]
    assert "随地吐痰" in top["snippet"].replace("<mark>", "").replace("</mark>", "")
    assert top["status_label"] == "现行有效" and top["level_label"] == "行政法规"
    body = client.get(reverse("search:search"), {"q": "随地吐痰", "type": "statute"}).content.decode()
    text = re.sub(r"<[^>]+>", " ", body)  # what people read (a facet link's URL may carry the code)
    assert "现行有效" in text and "in_force" not in text and "**" not in text and "##" not in text
