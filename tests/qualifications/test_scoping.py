"""Scoping matrix: HR at squad, district and city level against every HR page,
export, PDF and ZIP, probed with other units' ids: zero foreign rows."""
import io
import zipfile

import openpyxl
import pytest

from officers import certificates, qualifications as q
from officers import roles
from officers.models import Certificate, QualificationRecord
from tests.factories import make_user

pytestmark = pytest.mark.django_db

UNITS = ["SZ-JB-01", "SZ-JB-02", "SZ-JN-01", "SZ-GX-02"]
#: HR unit → the units whose people they may see.
MATRIX = {
    "SZ-JB-01": {"SZ-JB-01"},
    "SZ-JB": {"SZ-JB-01", "SZ-JB-02"},
    "SZ": set(UNITS),
}


@pytest.fixture
def world(units, base_type):
    """Two officers per squad, each with a record, a certificate and a distinctive number."""
    people = {}
    for code in UNITS:
        for i in range(2):
            o = make_user(roles.OFFICER, unit=units[code], employee_number=f"E{code.replace('-', '')}{i}",
                          full_name=f"人员{code[-4:]}{i}").officer
            rec = q.grant(o, base_type, reason="测试")
            certificates.issue(o, "exam", "考试", source_key="s", score=80)
            people.setdefault(code, []).append((o, rec))
    return people


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _text(response):
    body = _body(response)
    ctype = response["Content-Type"]
    if "spreadsheet" in ctype:
        wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(" ".join(str(c) for c in row if c is not None) for ws in wb for row in ws.iter_rows(
            values_only=True))
    if "zip" in ctype:
        return "\n".join(zipfile.ZipFile(io.BytesIO(body)).namelist())
    if "pdf" in ctype:
        return body.decode("latin-1")
    return body.decode("utf-8")


def _urls(unit_id=""):
    suffix = f"?unit={unit_id}" if unit_id else ""
    lists = ["all", "expiring_30", "expiring_90", "expired", "short_hours", "failed_exam", "suspended",
             "not_qualified"]
    urls = [f"/hr/{suffix}", f"/hr/certificates.zip{suffix}", f"/hr/report/{suffix}",
            f"/hr/report/?format=xlsx&unit={unit_id}", f"/hr/report/?format=csv&unit={unit_id}"]
    for name in lists:
        urls += [f"/hr/lists/{name}/{suffix}", f"/hr/lists/{name}/export.csv{suffix}",
                 f"/hr/lists/{name}/export.xlsx{suffix}"]
    return urls


@pytest.mark.parametrize("hr_unit", list(MATRIX))
def test_hr_sees_only_own_subtree(client, units, world, hr_unit):
    hr = make_user(roles.HR, unit=units[hr_unit])
    client.force_login(hr)
    allowed = MATRIX[hr_unit]
    foreign = [(o, rec) for code, rows in world.items() if code not in allowed for o, rec in rows]
    own = [(o, rec) for code, rows in world.items() if code in allowed for o, rec in rows]
    probes = [""] + [str(units[c].pk) for c in UNITS] + [str(units["SZ-JN"].pk), "999999", "abc"]
    for unit_id in probes:
        for url in _urls(unit_id):
            r = client.get(url)
            assert r.status_code == 200, url
            text = _text(r)
            for o, _rec in foreign:
                assert o.employee_number not in text, (url, o.employee_number)
                for cert in o.certificates.all():
                    assert cert.number not in text, (url, cert.number)
    # Own people are listed (sanity: the probe would catch something).
    text = _text(client.get("/hr/lists/all/export.csv"))
    assert all(o.employee_number in text for o, _rec in own)
    names = _text(client.get("/hr/certificates.zip"))
    assert names.count(".pdf") == Certificate.objects.filter(officer__in=[o for o, _ in own]).count()
    # Foreign ids on every id-taking URL: 404.
    for o, rec in foreign:
        cert = o.certificates.first()
        for url in (f"/hr/qualifications/{rec.pk}/suspend/", f"/hr/qualifications/{rec.pk}/revoke/",
                    f"/hr/qualifications/{rec.pk}/reinstate/", f"/hr/certificates/{cert.pk}/reissue/",
                    f"/certificates/{cert.pk}.pdf", f"/people/{o.pk}/"):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/hr/qualifications/{rec.pk}/suspend/", {"reason": "x"}).status_code == 404
        assert client.post(f"/hr/people/{o.pk}/evaluate/").status_code == 404
        assert QualificationRecord.objects.get(pk=rec.pk).status == "qualified"
    for o, rec in own[:1]:
        assert client.get(f"/certificates/{o.certificates.first().pk}.pdf").status_code == 200


def test_report_pdf_has_no_foreign_rows(client, units, world):
    """The PDF's text is compressed: compare the row count with the scope instead."""
    from officers import exports
    hr = make_user(roles.HR, unit=units["SZ-JB"])
    client.force_login(hr)
    r = client.get(f"/hr/report/?format=pdf&unit={units['SZ-JN'].pk}")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    from officers.hr_lists import base_type, scoped_officers
    rows = exports.report_rows(scoped_officers(hr, units["SZ-JN"].pk), base_type(), 2026)
    assert rows == []  # a foreign unit gives no one
    rows = exports.report_rows(scoped_officers(hr, ""), base_type(), 2026)
    assert {r[0] for r in rows} >= {o.employee_number for o, _ in world["SZ-JB-01"] + world["SZ-JB-02"]}
    assert not {r[0] for r in rows} & {o.employee_number for o, _ in world["SZ-JN-01"] + world["SZ-GX-02"]}


@pytest.mark.parametrize("role", [roles.OFFICER, roles.TRAINER, roles.LEGAL_REVIEWER])
def test_non_hr_roles_are_refused(client, units, world, role):
    user = make_user(role, unit=units["SZ"])
    client.force_login(user)
    for url in _urls()[:6]:
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, world):
    r = client.get("/hr/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_officer_downloads_only_own_certificates(client, units, world):
    me, _rec = world["SZ-JB-01"][0]
    other, _ = world["SZ-JB-01"][1]
    client.force_login(me.user)
    assert client.get(f"/certificates/{me.certificates.first().pk}.pdf").status_code == 200
    assert client.get(f"/certificates/{other.certificates.first().pk}.pdf").status_code == 404
