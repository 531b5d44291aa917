"""The discretion-benchmark list on a 375 px phone is scannable: each benchmark a folded card (title,
area, level count), its levels opened on tap, a link to one of its levels opening it; at 1280 px
every levels table shows as a table."""
import pytest

from tests.browser.conftest import PHONE, login
from tests.casebank.factories import make_benchmark
from tests.factories import PASSWORD, make_user
from officers import roles

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LEVELS = ((0, 50, "轻微"), (50, 200, "一般"), (200, 500, "较重"), (500, 1000, "严重"))


def test_benchmark_list_folds_on_a_phone_and_shows_tables_on_a_desktop(phone, desktop, shots):
    make_user(roles.OFFICER, username="officer_b")
    marks = [make_benchmark(f"BM-T-{i:03d}", violation=f"擅自占用城市道路从事经营活动（情形{i}）", levels=LEVELS)
             for i in range(1, 9)]
    level = marks[5].levels.order_by("sort_order")[2]
    page = phone
    login(page, "officer_b", PASSWORD)
    page.goto("/benchmarks/")
    shots(page, "folded")
    items = page.locator("details.benchmark-item")
    assert items.count() == 8
    # eight benchmarks of four levels each fit in about two screens, each a title line and its counts
    assert page.evaluate("document.documentElement.scrollHeight") < PHONE["height"] * 2.5
    assert not page.locator("table.levels").first.is_visible()
    assert "4 个裁量等级" in items.first.locator("summary").inner_text()
    items.nth(2).locator("summary").click()
    rows = items.nth(2).locator("table.levels tbody tr")
    assert rows.first.is_visible() and rows.count() == 4
    shots(page, "one_open")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # a link to a level opens its benchmark at that level
    page.goto(f"/benchmarks/#level-{level.pk}")
    assert page.locator(f"#level-{level.pk}").is_visible()
    assert items.nth(5).evaluate("d => d.open") and not items.nth(0).evaluate("d => d.open")

    page = desktop
    login(page, "officer_b", PASSWORD)
    page.goto("/benchmarks/")
    shots(page, "desktop")
    tables = page.locator("table.levels")
    assert tables.count() == 8
    for i in (0, 7):
        assert tables.nth(i).is_visible() and tables.nth(i).locator("thead").is_visible()
