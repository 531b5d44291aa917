"""Public verification: what it shows, unknown codes, random codes, rate limit."""
import re
import secrets

import pytest
from django.test import override_settings

from officers import certificates, qualifications as q
from officers.models import Certificate
from officers.verification import mask_name
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(units, base_type):
    officer = make_user("officer", unit=units["SZ-JB-01"], full_name="张晓明", employee_number="ZF7788",
                        certificate_number="320999888").officer
    rec = q.grant(officer, base_type, reason="测试")
    c = Certificate.objects.get(qualification=rec)
    Certificate.objects.filter(pk=c.pk).update(score=91)
    return c


@pytest.mark.parametrize("name,masked", [("张晓明", "张*明"), ("张伟", "张*"), ("欧阳晓明", "欧**明"), ("王", "*")])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_shows_status_and_no_more_than_it_should(client, cert):
    r = client.get(f"/verify/{cert.code}/")
    # The verification code (in the page's links) and CSRF tokens are random letters and digits
    # that may well contain "91": what must not reveal the score is the rest of the page.
    body = r.content.decode().replace(cert.code, "<code>")
    body = re.sub(r'(name="csrfmiddlewaretoken" value=)"[A-Za-z0-9]+"', r"\1", body)
    assert r.status_code == 200
    assert "证书有效" in body and "张*明" in body and "江北区城市管理执法局 / 第一中队" in body
    assert "行政执法资格" in body and cert.issued_at.strftime("%Y-%m-%d") in body
    for secret in ("张晓明", "ZF7788", "320999888", "91", cert.officer.user.username):
        assert secret not in body, secret
    assert r["X-Robots-Tag"].startswith("noindex")


def test_status_changes_show_at_once(client, cert, hr_user):
    q.suspend(cert.qualification, actor=hr_user, reason="停职调查")
    assert "证书已暂扣" in client.get(f"/verify/{cert.code}/").content.decode()
    q.revoke(cert.qualification, actor=hr_user, reason="取消")
    body = client.get(f"/verify/{cert.code}/").content.decode()
    assert "证书已撤销" in body and "停职调查" not in body and "取消" not in body.split("证书已撤销")[1][:20]


def test_unknown_code_shows_only_the_message(client, cert):
    known = client.get(f"/verify/{cert.code}/")
    unknown = client.get(f"/verify/{secrets.token_urlsafe(24)}/")
    assert unknown.status_code == known.status_code == 200
    body = unknown.content.decode()
    assert "未找到该证书" in body and "请核对是否完整、准确" in body
    # no empty certificate fields: the message only
    assert known.content.decode().count("<dt>") == 8
    assert "<dt>" not in body and "<dd>—</dd>" not in body


def test_ten_thousand_random_codes_find_nothing(client, cert):
    codes = [secrets.token_urlsafe(24) for _ in range(10_000)]
    found = 0
    for start in range(0, len(codes), 500):
        found += Certificate.objects.filter(code__in=codes[start:start + 500]).count()
    assert found == 0
    with override_settings(VERIFY_RATE_LIMIT="1000/m"):
        for code in codes[:100]:
            assert "未找到该证书" in client.get(f"/verify/{code}/").content.decode()


def test_form_redirects_to_code(client, cert):
    r = client.get("/verify/", {"code": f"  {cert.code} "})
    assert r.status_code == 302 and r["Location"] == f"/verify/{cert.code}/"
    assert client.get("/verify/").status_code == 200


@override_settings(VERIFY_RATE_LIMIT="5/m")
def test_rate_limit_per_address(client, cert):
    statuses = [client.get(f"/verify/{cert.code}/", REMOTE_ADDR="10.0.0.1").status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    assert client.get(f"/verify/{cert.code}/", REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.parametrize("typed", ["abc/def", "<script>", "x" * 100, "代码"])
def test_form_handles_impossible_codes(client, typed):
    r = client.get("/verify/", {"code": typed})
    assert r.status_code == 200 and "未找到该证书" in r.content.decode()
    assert "<script>" not in r.content.decode()
