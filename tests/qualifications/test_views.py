"""HR dashboard numbers and query counts, the record page, 我的资格, dashboard panels."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from officers import qualifications as q
from officers import roles
from officers.models import QualificationRecord
from tests.factories import make_user

from .conftest import add_hours

pytestmark = pytest.mark.django_db


def _population(units, base_type, n):
    """n officers per scenario: valid, expiring in 20 / 50 days, expired, suspended, not qualified."""
    today = timezone.localdate()
    hr = make_user(roles.HR, unit=units["SZ-JB"])
    made = 0
    for i in range(n):
        for offset in (200, 20, 50, -10, "suspend", None):
            o = make_user(roles.OFFICER, unit=units["SZ-JB-01" if i % 2 else "SZ-JB-02"]).officer
            made += 1
            if offset is None:
                q.evaluate(o)
                continue
            days = 200 if offset == "suspend" else offset
            rec = q.grant(o, base_type, today=q.add_months(today + datetime.timedelta(days=days), -12),
                          reason="t")
            if offset == "suspend":
                q.suspend(rec, actor=hr, reason="暂扣")
    q.evaluate_many(QualificationRecord.objects.none())  # no-op
    for o in [r.officer for r in QualificationRecord.objects.select_related("officer")]:
        q.evaluate(o)
    return hr, made


def test_dashboard_counts_add_up(client, units, base_type):
    hr, made = _population(units, base_type, 2)
    make_user(roles.OFFICER, unit=units["SZ-JN-01"])  # out of scope
    client.force_login(hr)
    r = client.get("/hr/")
    c = r.context["counts"]
    assert c["total"] == made + 1  # the HR user is an officer of the district too
    assert sum(c[s] for s in ("qualified", "expiring", "expired", "suspended", "revoked", "not_qualified")) \
        == c["total"]
    assert (c["qualified"], c["expiring"], c["expired"], c["suspended"]) == (4, 2, 2, 2)
    assert c["not_qualified"] == 3
    assert (c["expiring_30"], c["expiring_60"], c["expiring_90"]) == (2, 4, 4)
    body = r.content.decode()
    assert 'data-count="expiring">2<' in body


def test_dashboard_query_count_is_constant(client, units, base_type):
    hr, _ = _population(units, base_type, 1)
    client.force_login(hr)
    client.get("/hr/")
    with CaptureQueriesContext(connection) as small:
        client.get("/hr/")
        client.get("/hr/lists/all/")
    _population(units, base_type, 4)
    with CaptureQueriesContext(connection) as big:
        client.get("/hr/")
        client.get("/hr/lists/all/")
    assert len(small) > 10 and len(big) == len(small)


def test_filters_by_unit_and_status(client, units, base_type):
    hr, _ = _population(units, base_type, 2)
    client.force_login(hr)
    r = client.get("/hr/lists/all/", {"unit": units["SZ-JB-01"].pk, "status": "expired"})
    rows = list(r.context["page"].object_list)
    assert len(rows) == 1 and rows[0].officer.unit == units["SZ-JB-01"]


def test_suspend_form_requires_reason(client, units, base_type, hr_user, officer_user):
    rec = q.grant(officer_user.officer, base_type, reason="t")
    client.force_login(hr_user)
    r = client.post(f"/hr/qualifications/{rec.pk}/suspend/", {"reason": "  "})
    assert r.status_code == 400 and "请填写原因" in r.content.decode()
    assert QualificationRecord.objects.get(pk=rec.pk).status == "qualified"
    r = client.post(f"/hr/qualifications/{rec.pk}/suspend/", {"reason": "停职调查"})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "suspended" and rec.status_reason == "停职调查"
    assert client.get(f"/hr/qualifications/{rec.pk}/destroy/").status_code == 404


def test_record_page_shows_history_and_certificates(client, units, base_type, hr_user, officer_user):
    officer = officer_user.officer
    rec = q.grant(officer, base_type, reason="t")
    q.suspend(rec, actor=hr_user, reason="停职调查")
    add_hours(officer, 12, date=timezone.localdate())
    client.force_login(hr_user)
    body = client.get(f"/people/{officer.pk}/").content.decode()
    assert 'id="qualifications"' in body and "暂扣资格" in body and "停职调查" in body
    assert ">qualification.suspend<" not in body  # the change log shows descriptions, not codes
    assert 'id="certificates"' in body and rec.certificates.first().number in body
    assert "学时台账" in body  # the lead's sections are kept


def test_my_qualification_and_panel(client, units, base_type, officer_user):
    officer = officer_user.officer
    q.grant(officer, base_type, reason="t")
    add_hours(officer, 30, date=timezone.localdate())
    client.force_login(officer_user)
    body = client.get("/my/qualification/").content.decode()
    year = timezone.localdate().year
    # not yet sat, window open until 12-31: pending, not failed
    assert f"{year} 年学时 30/60" in body and "尚未通过年度考试（未参加" in body and "年度考试未通过" not in body
    assert "下载 PDF" in body
    home = client.get("/").content.decode()
    assert "我的资格" in home and "panel-placeholder" not in home.split("我的资格")[1][:200]


def test_hr_panel_on_dashboard(client, units, base_type, hr_user):
    """The HR dashboard's 执法资格 panel counts the qualifications of HR's own district only,
    by status, and links to the qualification pages."""
    import re

    today = timezone.localdate()
    for unit in ("SZ-JB-01", "SZ-JB-02", "SZ-JN-01", "SZ-JN-02"):  # two in scope, two in 江南区
        q.grant(make_user(roles.OFFICER, unit=units[unit]).officer, base_type, reason="t")
    suspended = q.grant(make_user(roles.OFFICER, unit=units["SZ-JB-01"]).officer, base_type, reason="t")
    q.suspend(suspended, actor=hr_user, reason="暂扣")
    q.grant(make_user(roles.OFFICER, unit=units["SZ-JB-02"]).officer, base_type,
            today=q.add_months(today + datetime.timedelta(days=20), -12), reason="t")  # expires in 20 days
    client.force_login(hr_user)
    body = client.get("/").content.decode()
    panel = re.search(r"<h2[^>]*>执法资格</h2>(.*?)</section>", body, re.S).group(1)
    numbers = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", panel))
    assert (numbers["有效"], numbers["即将到期"], numbers["暂扣"], numbers["已过期"]) == ("2", "1", "1", "0")
    assert 'href="/hr/"' in panel and 'href="/hr/report/"' in panel


def test_failed_last_exam_list_and_exam_history(client, units, base_type, hr_user):
    from exams.models import Exam, Sitting
    now = timezone.now()
    exam = Exam.objects.create(title="2026 年度执法能力考试", kind="annual")
    failed = make_user(roles.OFFICER, unit=units["SZ-JB-01"], full_name="未过者").officer
    recovered = make_user(roles.OFFICER, unit=units["SZ-JB-01"], full_name="补考者").officer
    foreign = make_user(roles.OFFICER, unit=units["SZ-JN-01"], full_name="外区者").officer
    for o in (failed, recovered, foreign):
        q.evaluate(o)
        Sitting.objects.create(exam=exam, officer=o, attempt=1, status="graded", passed=False, percent=40,
                               ended_at=now - datetime.timedelta(days=2), released_at=now)
    Sitting.objects.create(exam=exam, officer=recovered, attempt=2, status="graded", passed=True, percent=80,
                           ended_at=now - datetime.timedelta(days=1), released_at=now)
    client.force_login(hr_user)
    rows = list(client.get("/hr/lists/failed_exam/").context["page"].object_list)
    assert [r.officer for r in rows] == [failed]
    assert client.get("/hr/").context["failed"] == 1
    body = client.get(f"/people/{recovered.pk}/").content.decode()
    assert "2026 年度执法能力考试" in body and "未通过" in body and "通过" in body


@pytest.mark.skipif(not __import__("shutil").which("pdffonts"), reason="poppler-utils not installed")
def test_annual_report_pdf_and_xlsx(client, units, base_type, hr_user, officer_user, tmp_path):
    import io
    import subprocess

    import openpyxl
    q.grant(officer_user.officer, base_type, reason="t")
    add_hours(officer_user.officer, 12, date=timezone.localdate())
    client.force_login(hr_user)
    r = client.get("/hr/report/", {"format": "pdf"})
    path = tmp_path / "r.pdf"
    path.write_bytes(r.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5:-3] == ["yes", "yes"] for line in fonts.splitlines()[2:])
    r = client.get("/hr/report/", {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    row = dict(zip(rows[0], next(x for x in rows if x[0] == officer_user.officer.employee_number)))
    assert float(row[f"{timezone.localdate().year} 年学时"]) == 12 and row["资格状态"] == "有效"


@pytest.mark.parametrize("url", ["/hr/", "/hr/report/", "/people/", "/hr/lists/expired/"])
@pytest.mark.parametrize("junk", ["²", "9" * 20, "-1", "١"])
def test_junk_unit_or_type_is_ignored_never_a_server_error(client, units, base_type, hr_user, url, junk):
    """A unit or qualification-type id that is no id (a superscript or Arabic-Indic digit, more
    digits than a database integer holds) is read as none given."""
    client.force_login(hr_user)
    assert client.get(url, {"unit": junk}).status_code in (200, 404)
    assert client.get(url, {"type": junk}).status_code in (200, 404)
