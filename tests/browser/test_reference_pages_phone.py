"""An officer on a 375×812 phone reads the statute library, the power list, the benchmarks and
我的资料: the laws come before their filters (in a drawer, the active one as a removable chip), each
law, power item and discretion level is a card, and nothing is wider than the screen — in English too, where the labels
of 我的资料 are longest."""
import datetime

import pytest
from playwright.sync_api import expect

from casebank.models import Law
from tests.browser.conftest import PHONE, _context, login
from tests.browser.journey_data import people
from tests.casebank.factories import make_benchmark, make_power_item
from tests.casebank.statute_library import make_law
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CITIES = ["宁波市", "杭州市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市", "台州市", "丽水市"]


def library():
    make_benchmark("BM-T-001", violation="擅自占用城市道路从事经营活动",
                   levels=((0, 50, "轻微"), (50, 200, "一般"), (200, 500, "较重"), (500, 1000, "严重")))
    make_law("t-penalty", "中华人民共和国行政处罚法", level=Law.NATIONAL_LAW, version_date=datetime.date(2021, 1, 22),
             issuing_body="全国人民代表大会常务委员会", short_name="行政处罚法")
    for i, city in enumerate(CITIES):
        make_law(f"t-local-{i}", f"{city}市容和环境卫生管理条例", level=Law.LOCAL_REGULATION,
                 version_date=datetime.date(2015 + i % 8, 3, 1), province="浙江省", city=city,
                 issuing_body=f"{city}人民代表大会常务委员会")
    for i in range(4):
        make_power_item(f"CG-CF-{i + 1:03d}", name=f"对擅自占用城市道路从事经营活动的处罚（{i + 1}）",
                        implementing_body="区城市管理综合行政执法局（江北区、江南区、高新区综合行政执法局），"
                                          "依据省人民政府批准的综合行政执法事项目录行使。" * 3)


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_reference_pages_on_a_phone(browser, live_server, shots):
    officer = people()["officer"].officer
    officer.certificate_number = "320100001"
    officer.save(update_fields=["certificate_number"])
    library()
    context = _context(browser, PHONE, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)

        # the statute library: the first law on the first screen, the filters in a closed drawer
        page.goto("/statutes/")
        shots(page, "statutes")
        assert no_overflow(page)
        first = page.locator("table.table-stack tbody tr").first
        assert first.bounding_box()["y"] < PHONE["height"] * 0.8
        drawer = page.locator("details.filter-drawer")
        assert drawer.evaluate("d => d.open") is False
        assert first.bounding_box()["y"] < drawer.locator("nav.facet").first.bounding_box()["y"] or \
            not drawer.locator("nav.facet").first.is_visible()
        # a law is a card: its level and date labelled, not columns squeezed side by side
        assert first.locator("td[data-label]").first.evaluate("td => getComputedStyle(td).display") == "block"
        drawer.locator("summary").click()
        drawer.locator("nav.facet a", has_text="地方性法规").click()
        page.wait_for_url("**level=*")
        chip = page.locator(".chips a.chip")
        expect(chip).to_have_count(1)
        assert "地方性法规" in chip.inner_text()
        assert page.locator("table.table-stack tbody tr").count() == len(CITIES)
        chip.click()
        expect(page.locator("table.table-stack tbody tr")).to_have_count(len(CITIES) + 1)
        assert no_overflow(page)

        # the power list: every item a card, no wider than the screen
        page.goto("/powers/")
        shots(page, "powers")
        assert no_overflow(page)
        rows = page.locator("table.table-stack tbody tr")
        assert rows.count() == 4
        box = rows.first.bounding_box()
        assert box["width"] > PHONE["width"] * 0.8 and box["height"] < PHONE["height"] / 2, box

        # the benchmarks: each level a card, its fine range on one line
        page.goto("/benchmarks/")
        shots(page, "benchmarks")
        assert no_overflow(page)
        levels = page.locator("table.levels tbody tr")
        assert levels.count() == 4
        fine = levels.nth(3).locator("td[data-label]").nth(2)
        assert fine.inner_text().strip() == "500–1000" and fine.evaluate("td => getComputedStyle(td).display") == "block"
        assert levels.nth(3).bounding_box()["width"] > PHONE["width"] * 0.75

        # 我的资料 in English: long labels, the 执法证 QR code and the hours table stay on the screen
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page.goto("/me/")
        assert page.locator("html").get_attribute("lang") == "en"
        shots(page, "me_en")
        assert no_overflow(page)
        caption = page.locator("[data-hours-table] caption")
        assert caption.bounding_box()["width"] > PHONE["width"] / 2
    finally:
        context.close()
