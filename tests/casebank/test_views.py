"""Case bank pages: access (login, public views, live pages only), filters, rendering."""
import datetime
from decimal import Decimal

import pytest

from casebank.models import Article

from .factories import make_benchmark, make_case, make_power_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(statutes):
    bm = make_benchmark()
    light, normal = bm.levels.order_by("sort_order")
    return {
        "a": make_case("占道经营案", areas=["municipal"], measures=["fine", "order_correct"], tags=["占道"],
                       level=light, decision_date=datetime.date(2024, 3, 1), district="江北区",
                       facts="依据《行政处罚法》第三十三条，当事人首次违法。\n同时违反《大气污染防治法》第一百一十八条。",
                       fine_amount=Decimal("200")),
        "b": make_case("违法建设案", areas=["planning"], measures=["demolish_deadline"], tags=["违建", "占道"],
                       level=normal, decision_date=datetime.date(2025, 6, 1), district="江南区", is_public=True,
                       facts="依照《城乡规划法》第六十四条责令限期拆除。"),
        "c": make_case("渣土车遗撒案", areas=["environment", "traffic"], measures=["fine"],
                       decision_date=datetime.date(2025, 9, 1), district="江北区"),
        "draft": make_case("未发布的草稿案例", live=False, areas=["municipal"]),
        "bm": bm,
    }


def test_anonymous_redirected_from_private_pages(client, cases):
    for url in ["/cases/", cases["a"].url, "/statutes/", "/statutes/penalty/", "/powers/", "/benchmarks/",
                "/citations/check/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_public_case_and_public_lists_need_no_login(client, cases):
    make_power_item("CG-T-009", name="公开事项")
    assert client.get(cases["b"].url).status_code == 200
    for url in ["/public/powers/", "/public/powers/CG-T-009/", "/public/benchmarks/", "/public/benchmarks/BM-T-001/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get("/public/benchmarks/BM-T-001/").content.decode()
    assert "轻微" in body and "1000" in body
    assert "占道经营案" not in body  # cases that are not public are not listed publicly
    assert client.get("/public/powers/NOPE/").status_code == 404


def test_officer_sees_only_live_cases(client, officer_user, cases):
    client.force_login(officer_user)
    body = client.get("/cases/").content.decode()
    assert "占道经营案" in body and "违法建设案" in body
    assert "未发布的草稿案例" not in body
    assert client.get("/cases/" + cases["draft"].slug + "/").status_code == 404


@pytest.mark.parametrize("junk", ["²", "١٢", "9" * 20, "<script>"])
def test_junk_year_is_no_filter_never_a_server_error(client, officer_user, cases, junk):
    client.force_login(officer_user)
    response = client.get("/cases/", {"year": junk})
    assert response.status_code == 200 and "占道经营案" in response.content.decode()


def test_case_filters_with_counts_kept_in_url(client, officer_user, cases):
    client.force_login(officer_user)
    body = client.get("/cases/?area=municipal").content.decode()
    assert "占道经营案" in body and "违法建设案" not in body and "渣土车遗撒案" not in body
    assert "area=municipal&amp;measure=fine" in body or "measure=fine&amp;area=municipal" in body
    body = client.get("/cases/?tag=占道").content.decode()
    assert "占道经营案" in body and "违法建设案" in body and "渣土车遗撒案" not in body
    body = client.get("/cases/?year=2025&district=江北区").content.decode()
    assert "渣土车遗撒案" in body and "占道经营案" not in body and "违法建设案" not in body
    body = client.get("/cases/?level=一般").content.decode()
    assert "违法建设案" in body and "占道经营案" not in body
    body = client.get("/cases/?measure=demolish_deadline").content.decode()
    assert "违法建设案" in body and "渣土车遗撒案" not in body
    # Facet counts: with no filter, 江北区 holds two live cases.
    response = client.get("/cases/")
    facets = dict((key, {v: n for v, _t, n in opts}) for key, _l, opts in response.context["facets"])
    assert facets["district"] == {"江北区": 2, "江南区": 1}
    assert facets["area"]["municipal"] == 1 and facets["tag"]["占道"] == 2
    assert facets["year"] == {"2025": 2, "2024": 1}
    # Other facets count within the active filter, the filter's own facet does not shrink.
    response = client.get("/cases/?district=江北区")
    facets = dict((key, {v: n for v, _t, n in opts}) for key, _l, opts in response.context["facets"])
    assert facets["district"] == {"江北区": 2, "江南区": 1} and facets["year"] == {"2025": 1, "2024": 1}


def test_case_page_renders_sections_and_citation_links(client, officer_user, cases):
    client.force_login(officer_user)
    body = client.get(cases["a"].url).content.decode()
    assert "案情" in body and 'href="/statutes/penalty/#a33"' in body
    assert "中华人民共和国行政处罚法第33条第一款的条文" in body  # the article text inline
    # Decided in 2024, before the repeal: the old law shows as repealed with its successor, not as an error.
    assert "cite-repealed" in body and "/statutes/eco/" in body and "cite-unknown" not in body
    assert "轻微" in body  # discretion level applied


def test_statute_pages(client, officer_user, statutes):
    client.force_login(officer_user)
    body = client.get("/statutes/?q=处罚").content.decode()
    assert "中华人民共和国行政处罚法" in body and "民法典" not in body
    body = client.get("/statutes/?status=repealed").content.decode()
    assert "大气污染防治法" in body and "行政处罚法" not in body.split("<tbody>")[1]
    body = client.get("/statutes/penalty/").content.decode()
    assert 'id="a33"' in body and 'href="/statutes/penalty/33/"' in body and "第一章 测试章" in body
    body = client.get("/statutes/air/").content.decode()
    assert "本法已废止" in body and "中华人民共和国生态环境法典" in body
    response = client.get("/statutes/penalty/33/")
    assert response.status_code == 200 and "第三十三条" in response.content.decode()
    assert client.get("/statutes/penalty/999/").status_code == 404


def test_citation_check_page_for_staff_only(client, officer_user, trainer_user, statutes):
    client.force_login(officer_user)
    assert client.get("/citations/check/").status_code == 403
    client.force_login(trainer_user)
    response = client.post("/citations/check/", {"text": "《行政处罚法》第九百条", "date": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "unknown_article" in body and "没有第900条" in body
    response = client.post("/citations/check/", {"text": "《行政处罚法》第三十三条", "date": "2025-13-01"})
    assert "bad_date" in response.content.decode() and "《行政处罚法》第三十三条" in response.content.decode()


def test_power_item_page_links_benchmark_and_cases(client, officer_user, cases):
    item = make_power_item("CG-T-002", name="对违法建设的处罚")
    bm = cases["bm"]
    bm.power_item = item
    bm.save()
    page = cases["b"]
    page.power_items = [item]
    page.save_revision().publish()
    from casebank.models import PowerItemBasis

    PowerItemBasis.objects.create(item=item, article=Article.objects.get(law__source_id="planning", number=64))
    client.force_login(officer_user)
    body = client.get("/powers/CG-T-002/").content.decode()
    assert "BM-T-001" in body and "违法建设案" in body and "/statutes/planning/64/" in body
    body = client.get("/powers/?type=penalty").content.decode()
    assert "对违法建设的处罚" in body


def test_nav_items_for_logged_in_users(client, officer_user, statutes):
    """Signed in, the main navigation links the four case-bank sections (and marks the current
    one); anonymous visitors get none of these links."""
    import re

    expected = [("案例库", "/cases/"), ("法规库", "/statutes/"), ("权力清单", "/powers/"), ("裁量基准", "/benchmarks/")]

    def nav(body):
        block = re.search(r'<nav id="site-nav".*?</ul>', body, re.S).group(0)
        return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', block)

    anonymous = nav(client.get("/").content.decode())
    assert not {href for href, _c, _l in anonymous} & {url for _l, url in expected}
    client.force_login(officer_user)
    links = nav(client.get("/").content.decode())
    for label, url in expected:
        assert (url, "", label) in links, (label, links)
    current = nav(client.get("/statutes/").content.decode())
    assert ("/statutes/", ' aria-current="page"', "法规库") in current
