"""HR journey on a desktop: dashboard → expiring list → officer record → suspend with
a reason → the public verification page shows the suspension → export the list
(download and open the xlsx and the csv)."""
import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.conftest import login
from tests.factories import PASSWORD, make_units, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_hr_suspends_an_expiring_qualification_and_exports(desktop, shots, tmp_path):
    from officers import qualifications, roles
    from officers.models import Certificate, QualificationRecord, QualificationType

    units = make_units()
    make_user(roles.HR, unit=units["SZ-JB"], username="hr_jb", full_name="孙人事")
    officer = make_user(roles.OFFICER, unit=units["SZ-JB-01"], username="officer_a", full_name="李明华").officer
    other = make_user(roles.OFFICER, unit=units["SZ-JN-01"], username="officer_b", full_name="王江南").officer
    qtype = QualificationType.objects.create(code="BASE", name="行政执法资格", is_base=True, validity_months=12,
                                             min_hours_per_year=Decimal("0"), annual_exam_required=False,
                                             qualification_exam_required=False)
    today = timezone.localdate()
    granted = qualifications.add_months(today, -12) + datetime.timedelta(days=20)  # expires in ~20 days
    for person in (officer, other):
        qualifications.grant(person, qtype, today=granted)
    rec = QualificationRecord.objects.get(officer=officer)
    assert 0 < (rec.expires_at - today).days <= 30
    cert = Certificate.objects.get(officer=officer, status="valid")
    page = desktop

    login(page, "hr_jb", PASSWORD)
    page.goto("/hr/")
    assert page.locator("[data-count=expiring_30]").first.inner_text() == "1"
    shots(page, "hr-dashboard")
    with page.expect_navigation():
        page.locator("a.stat", has=page.locator("[data-count=expiring_30]")).click()
    assert "/hr/lists/expiring_30/" in page.url
    table = page.locator("main table")
    assert "李明华" in table.inner_text()
    assert "王江南" not in page.content()  # another district's officer is not in this HR's lists
    shots(page, "expiring-list")

    # The officer's record, then 暂扣 with a reason.
    with page.expect_navigation():
        table.get_by_role("link", name="李明华").click()
    assert f"/people/{officer.pk}/" in page.url
    shots(page, "officer-record")
    with page.expect_navigation():
        page.locator(f"a[href$='/hr/qualifications/{rec.pk}/suspend/']").click()
    # Without a reason nothing happens and the form says why.
    reason = page.locator("textarea[name=reason], input[name=reason]").first
    reason.fill(" ")
    with page.expect_navigation():
        page.get_by_role("button", name="确认").click()
    rec.refresh_from_db()
    assert rec.status == "qualified"
    reason = page.locator("textarea[name=reason], input[name=reason]").first
    reason.fill("执法过程中违反文明执法规定，暂扣待查。")
    with page.expect_navigation():
        page.get_by_role("button", name="确认").click()
    rec.refresh_from_db()
    assert rec.status == "suspended" and "文明执法" in rec.status_reason
    assert "暂扣" in page.content()
    shots(page, "suspended")

    # The public verification page shows it (a fresh, anonymous browser).
    anon = page.context.browser.new_context(base_url=page.url.split("/people/")[0], locale="zh-CN")
    try:
        verify = anon.new_page()
        verify.goto(f"/verify/{cert.code}/")
        status = verify.locator(".verify-status").inner_text()
        assert status == "证书已暂扣", status
        assert "李*华" in verify.content() and "李明华" not in verify.content()
        shots(verify, "verification-suspended")
    finally:
        anon.close()

    # Export the list the HR was looking at: the suspended list now holds the officer.
    page.goto("/hr/lists/suspended/")
    assert "李明华" in page.locator("main table").inner_text()
    shots(page, "suspended-list")
    with page.expect_download() as dl:
        page.get_by_role("link", name="导出 Excel").click()
    xlsx = tmp_path / dl.value.suggested_filename
    dl.value.save_as(xlsx)
    assert xlsx.suffix == ".xlsx"
    from openpyxl import load_workbook
    rows = list(load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 2, rows  # header + the one suspended officer
    flat = [str(c) for c in rows[1] if c is not None]
    assert "李明华" in flat and officer.employee_number in flat
    assert not any("王江南" in str(c) for r in rows for c in r if c)
    with page.expect_download() as dl:
        page.get_by_role("link", name="导出 CSV").click()
    data = dl.value.path().read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert len(table) == 2 and "李明华" in table[1]
    assert table[0] == [str(c) for c in rows[0]]  # same columns in both formats
