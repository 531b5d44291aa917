"""An officer reading in English on a 375 px phone: a filter chip with a long English label stays
inside the screen (it wraps rather than running off the edge), the case bank is headed in
English and counts its cases with the right plural."""
import datetime

import pytest

from tests.browser.conftest import PHONE, _context, login
from tests.browser.journey_data import people
from tests.casebank.factories import make_case
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_english_filter_chips_stay_on_a_phone_screen(browser, live_server, shots):
    people()
    make_case("占道经营案", areas=["municipal"], decision_date=datetime.date(2025, 3, 1))
    context = _context(browser, PHONE, live_server)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)
        page.goto("/cases/?area=municipal")
        shots(page, "cases_en_chip")
        assert page.locator("h1").inner_text() == "Case bank"
        assert page.locator(".result-count").inner_text().startswith("1 case ")
        chip = page.locator("a.chip[data-filter=area]")
        assert "Area of responsibility: Municipal administration" in chip.inner_text()
        box = chip.bounding_box()
        content_right = page.locator("main").evaluate(
            "el => el.getBoundingClientRect().right - parseFloat(getComputedStyle(el).paddingRight)")
        assert box["x"] + box["width"] <= content_right + 0.5, (box, content_right)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
