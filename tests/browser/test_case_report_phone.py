"""类案检索报告 on a 375 px phone: the officer opens the assignment, adds a proposed similar case
and one found by search, compares both, submits, and later reads the trainer's mark."""
import datetime
import re

import pytest
from django.utils import timezone

from casebank import similar_reports as reports
from casebank.models import SimilarCaseAssignment, SimilarCaseReport
from tests.browser.conftest import _context, login
from tests.casebank.factories import make_case
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 375, "height": 812}


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_officer_writes_and_submits_a_report_on_a_phone(browser, live_server, shots, officer_user, trainer_user):
    subject = make_case("本案：夜间施工噪声扰民", violation_type="夜间施工", tags=["夜间"])
    make_case("类案甲：工地夜间打桩", violation_type="夜间施工", tags=["夜间"])
    make_case("类案乙：深夜浇筑混凝土", violation_type="浇筑作业")
    assignment = SimilarCaseAssignment.objects.create(
        case=subject, unit=officer_user.officer.unit, min_cases=2, instructions="比较裁量幅度。",
        due_date=timezone.localdate() + datetime.timedelta(days=7), assigned_by=trainer_user)
    context = _context(browser, PHONE, live_server)
    page = context.new_page()
    try:
        login(page, "officer_a", PASSWORD)
        page.goto("/case-reports/")
        page.get_by_role("link", name="本案：夜间施工噪声扰民").click()
        page.wait_for_url(f"**/case-reports/{assignment.pk}/")
        _fits(page)
        # 类案推送 proposes the case with the same violation; add it.
        proposed = page.locator(".pick-list li", has_text="类案甲：工地夜间打桩")
        proposed.get_by_role("button", name="添加").click()
        page.wait_for_selector("fieldset.comparison")
        first = page.locator("fieldset.comparison").nth(0)
        first.locator("textarea").nth(0).fill("均为夜间施工噪声，类案为打桩作业。")
        first.locator("textarea").nth(1).fill("类案罚款一万元。")
        first.locator("textarea").nth(2).fill("本案参照一般等级。")
        # Search for the other one: what was typed above is saved on the way.
        page.fill("#report-q", "浇筑")
        page.locator(".search-inline").get_by_role("button", name="检索").click()
        page.wait_for_selector("#search-results")
        page.locator("#search-results li", has_text="类案乙：深夜浇筑混凝土").get_by_role("button", name="添加").click()
        page.wait_for_function("document.querySelectorAll('fieldset.comparison').length == 2")
        assert page.locator("fieldset.comparison").nth(0).locator("textarea").nth(0).input_value() \
            == "均为夜间施工噪声，类案为打桩作业。"
        second = page.locator("fieldset.comparison").nth(1)
        second.locator("textarea").nth(0).fill("同为夜间作业，类案未取得夜间施工证明。")
        second.locator("textarea").nth(1).fill("类案罚款二万元。")
        second.locator("textarea").nth(2).fill("本案情节较轻。")
        _fits(page)
        shots(page, "report_draft_375")
        page.get_by_role("button", name="提交报告").click()
        # (the fragment of the page before stays on the redirect)
        page.wait_for_url(re.compile(r".*/case-reports/(#.*)?$"))
        assert page.get_by_text("已提交").first.is_visible()
        report = SimilarCaseReport.objects.get(officer=officer_user.officer)
        assert report.comparisons.count() == 2

        reports.mark(report, 88, "类案选择准确。", trainer_user)
        page.goto(f"/case-reports/{assignment.pk}/")
        mark = page.locator("#report-mark")
        assert "88" in mark.inner_text() and "类案选择准确。" in mark.inner_text()
        _fits(page)
        shots(page, "report_marked_375")
    finally:
        context.close()
