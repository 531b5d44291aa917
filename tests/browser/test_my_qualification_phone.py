"""我的资格 on a 390 px phone: the certificate table becomes cards, so 有效期至, 状态 and
the download link stay on screen; every unmet requirement shows its next step."""
from decimal import Decimal

import pytest

from officers import qualifications as q
from officers.models import QualificationType
from tests.browser.conftest import _context, login
from tests.browser.journey_data import people
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE_390 = {"width": 390, "height": 844}


def _within(page, locator, width):
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    assert locator.is_visible()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box


def test_certificate_table_fits_a_390px_phone(browser, live_server, shots):
    officer = people()["officer"].officer
    base = QualificationType.objects.create(
        code="BASE", name="行政执法资格", is_base=True, validity_months=12, min_hours_per_year=Decimal("60"),
        annual_exam_required=True, qualification_exam_required=True)
    q.grant(officer, base, reason="测试授予")
    context = _context(browser, PHONE_390, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)
        page.goto("/my/qualification/")
        shots(page, "my_qualification_390")
        row = page.locator("#certificates tbody tr").first
        _within(page, row.locator("[data-col=valid-until]"), PHONE_390["width"])
        _within(page, row.locator("[data-col=status]"), PHONE_390["width"])
        _within(page, row.locator("[data-col=download]"), PHONE_390["width"])
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
        # the labels come with the values once the header row is hidden
        label = row.locator("[data-col=valid-until]").evaluate(
            "el => getComputedStyle(el, '::before').content")
        assert "有效期至" in label
        # the unmet requirements say what to do next
        assert page.locator("[data-next-step]").count() >= 2
        assert page.get_by_text("暂无可参加的考试，请关注通知").first.is_visible()
    finally:
        context.close()
