"""An officer on a 375×812 phone: the case bank shows its first result on the first screen
(the filters wait in a drawer, the active ones as removable chips), the bottom tab bar is
there and its links work, the search button stays on one line, nothing is wider than the
screen. On a desktop the same filters are a sidebar and there is no tab bar."""
import datetime

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _context, login
from tests.browser.journey_data import officer_course_and_exam, people
from tests.casebank.factories import make_case
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DISTRICTS = ["江北区", "江南区", "海曙区", "鄞州区", "北仑区", "镇海区"]
TAGS = [f"标签{i}" for i in range(40)]


def many_cases():
    """Enough cases, districts, years and tags to fill several screens of filters."""
    for i in range(12):
        make_case(f"测试案例{i + 1}：占道经营", district=DISTRICTS[i % len(DISTRICTS)],
                  decision_date=datetime.date(2019 + i % 7, i % 12 + 1, 10),
                  tags=TAGS[i * 3:i * 3 + 5], summary="商户在人行道占道经营，多次劝导无效。")


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def one_line(locator):
    """Height about one line of its text (not two stacked characters)."""
    box = locator.bounding_box()
    line = locator.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || "
                            "parseFloat(getComputedStyle(el).fontSize) * 1.3")
    padding = locator.evaluate("el => parseFloat(getComputedStyle(el).paddingTop) + "
                               "parseFloat(getComputedStyle(el).paddingBottom) + "
                               "parseFloat(getComputedStyle(el).borderTopWidth) * 2")
    return box["height"] <= line * 1.5 + padding and box["width"] > box["height"]


def test_officer_phone_layout(browser, live_server, shots):
    officer_course_and_exam(people()["officer"])
    many_cases()
    context = _context(browser, PHONE, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)

        # the dashboard: the next step on the first screen, about two screens in all
        page.goto("/")
        shots(page, "dashboard_phone")
        assert page.locator(".next-step").first.bounding_box()["y"] < PHONE["height"] / 2
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 2.3 * PHONE["height"], height
        assert no_overflow(page)

        # /cases/: the first result on the first screen, the filters collapsed
        page.goto("/cases/")
        shots(page, "cases_phone")
        first = page.locator(".case-list li").first
        assert first.bounding_box()["y"] < PHONE["height"] - 60, first.bounding_box()
        assert page.locator(".filter-drawer").evaluate("d => d.open") is False
        assert not page.locator(".facet-options a").first.is_visible()
        assert no_overflow(page)
        assert one_line(page.locator("form[role=search] button"))

        # open the drawer, choose a district: it becomes a chip above the results; the chip removes it
        page.locator(".filter-drawer > summary").click()
        page.locator(".filter-group > summary", has_text="区域").click()
        page.locator(".filter-group", has_text="区域").locator("a", has_text="海曙区").click()
        page.wait_for_url("**/cases/?district=*")
        chip = page.locator("a.chip[data-filter=district]")
        assert chip.is_visible() and "海曙区" in chip.inner_text()
        assert page.locator(".case-list li").count() == 2
        assert page.locator(".case-list li").first.bounding_box()["y"] < PHONE["height"] - 60
        shots(page, "cases_phone_filtered")
        chip.click()
        page.wait_for_url(lambda url: url.endswith("/cases/"))
        assert page.locator("a.chip").count() == 0
        assert page.locator(".case-list li").count() == 12

        # the tab bar: fixed at the bottom, the current tab marked, the links work
        bar = page.locator("nav.tabbar")
        assert bar.is_visible()
        box = bar.bounding_box()
        assert abs(box["y"] + box["height"] - PHONE["height"]) <= 1 and box["width"] >= PHONE["width"] - 1
        assert page.locator("nav.tabbar a[aria-current=page]").inner_text() == "案例"
        # nothing hides behind it: the page ends with room for the bar
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        footer = page.locator(".site-footer").bounding_box()
        assert footer["y"] + footer["height"] <= bar.bounding_box()["y"] + 1
        for label, path in (("首页", "/"), ("我的", "/me/"), ("考试", "/exams/"), ("学习", "/learning/")):
            page.locator("nav.tabbar a", has_text=label).click()
            page.wait_for_url(f"**{path}")
            assert page.locator("nav.tabbar a[aria-current=page]").inner_text() == label
            assert no_overflow(page), path
            if path == "/me/":  # a table wider than the screen says it scrolls sideways
                hint = page.locator(".table-wrap.is-scrollable").first
                assert "左右滑动" in hint.evaluate("el => getComputedStyle(el, '::after').content")
            shots(page, f"tab_{path.strip('/') or 'home'}")

        # the search page: the button on one line, nothing wider than the screen
        page.goto("/search/")
        assert one_line(page.locator(".search-box button[type=submit]"))
        assert no_overflow(page)
        shots(page, "search_phone")
    finally:
        context.close()

    # a desktop: filters as an open sidebar, no tab bar
    context = _context(browser, DESKTOP, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)
        page.goto("/cases/")
        assert not page.locator("nav.tabbar").is_visible()
        assert page.locator(".facet-options a").first.is_visible()
        assert not page.locator(".filter-drawer > summary").is_visible()
        shots(page, "cases_desktop")
    finally:
        context.close()
