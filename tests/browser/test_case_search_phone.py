"""The case bank's search on a 375×812 phone: a keyword in one field, the exact/partial counts
and 结果中检索 above the results, the advanced search in the filter drawer; the address a form
sends holds only the conditions filled in; nothing is wider than the screen."""
import datetime
from urllib.parse import parse_qsl, urlparse

import pytest

from tests.browser.conftest import PHONE, _context, login
from tests.browser.journey_data import people
from tests.casebank.factories import make_case
from tests.factories import PASSWORD
from tests.search.conftest import whoosh_index  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_case_search_on_a_phone(browser, live_server, whoosh_index, shots):  # noqa: F811
    people()
    make_case("人行道摆摊处罚案", facts="商户在人行道占道经营，拒不改正，处以罚款二百元。", issues="首次违法能否直接罚款。",
              decision_date=datetime.date(2024, 3, 1))
    make_case("店铺门前堆物案", facts="店主在店铺门前堆放货物。", issues="占道经营的认定标准。",
              outcome="处以罚款五十元。", decision_date=datetime.date(2025, 6, 1))
    make_case("夜间施工噪声案", facts="工地夜间施工噪声扰民，处以罚款一万元。", decision_date=datetime.date(2025, 9, 1))
    context = _context(browser, PHONE, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)
        page.goto("/cases/")
        page.select_option("#case-field", "facts")
        page.fill("#case-q", "占道经营 罚款")
        page.locator("form[role=search] button").first.click()
        page.wait_for_url("**/cases/?*")
        assert dict(parse_qsl(urlparse(page.url).query)) == {"field": "facts", "q": "占道经营 罚款"}
        counts = page.locator(".match-counts")
        assert "完全匹配 1 条" in counts.inner_text() and "部分匹配 1 条" in counts.inner_text()
        first = page.locator(".case-list li").first
        assert "人行道摆摊处罚案" in first.inner_text()
        assert first.bounding_box()["y"] < PHONE["height"] - 60
        assert no_overflow(page)
        shots(page, "case_search_phone")

        # 结果中检索: a chip of its own; removing it brings the partial matches back
        page.fill("#within-q", "人行道")
        page.locator(".within-form button").click()
        page.wait_for_url("**within=*")
        assert page.locator(".case-list li").count() == 1
        chip = page.locator("a.chip[data-filter=within]")
        assert "结果中：人行道" in chip.inner_text()
        chip.click()
        page.wait_for_url(lambda url: "within" not in url)
        assert page.locator(".case-list li").count() == 2

        # the advanced search in the drawer: one row filled, the address holds only it
        page.goto("/cases/")
        page.locator(".filter-drawer > summary").click()
        page.locator(".advanced-group > summary").click()
        assert no_overflow(page)
        shots(page, "advanced_search_phone")
        page.select_option("#c-field-1", "issues")
        page.fill("#c-q-1", "认定标准")
        page.locator(".advanced-form button[type=submit]").click()
        page.wait_for_url("**c_q=*")
        assert parse_qsl(urlparse(page.url).query) == [("c_op", "and"), ("c_field", "issues"), ("c_q", "认定标准")]
        assert [t.strip() for t in page.locator(".case-list h2 a").all_inner_texts()] == ["店铺门前堆物案"]
        assert no_overflow(page)
    finally:
        context.close()
