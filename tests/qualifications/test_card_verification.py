"""The 执法证's public page: what it shows (and hides), its QR code, 投诉/表扬 without login, HR's scoped view."""
import re
import secrets

import pytest
from django.test import Client, override_settings

from officers import feedback, qualifications as q
from officers.models import CardFeedback, EnforcementCard, Notice, QualificationType
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def holder(units, base_type):
    QualificationType.objects.filter(pk=base_type.pk).update(enforcement_category="城市管理综合行政执法",
                                                              authority_source="某市人民政府")
    officer = make_user("officer", unit=units["SZ-JB-01"], full_name="张晓明", employee_number="ZF7788",
                        certificate_number="320999888").officer
    q.grant(officer, base_type, reason="测试")
    return officer


@pytest.fixture
def card(holder):
    return feedback.card_for(holder)


def page(client, card, **kwargs):
    return client.get(f"/verify/card/{card.code}/", **kwargs)


def visible_text(response):
    """The page without its random tokens (CSRF, the code in links), which may contain any digits."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return body


@pytest.mark.parametrize("name,masked", [("张晓明", "张*明"), ("张伟", "张*"), ("欧阳晓明", "欧**明"), ("王", "*")])
def test_mask_name(name, masked):
    assert feedback.mask_name(name) == masked


def test_card_code_is_random_and_stable(holder):
    card = feedback.card_for(holder)
    assert len(card.code) >= 32 and feedback.card_for(holder).pk == card.pk
    assert EnforcementCard.objects.count() == 1


def test_public_page_shows_status_area_category_authority_and_no_more(client, card, holder):
    r = page(client, card)
    body = visible_text(r)
    assert r.status_code == 200
    assert "执法证有效" in body and "张*明" in body
    assert "江北区城市管理执法局 / 第一中队" in body  # 执法区域
    assert "城市管理综合行政执法" in body and "某市人民政府" in body
    assert holder.qualifications.get().expires_at.isoformat() in body
    for secret in ("张晓明", "ZF7788", "320999888", holder.user.username):
        assert secret not in body, secret
    assert "<img" not in body.split('id="main"')[1]  # no photo
    assert r["X-Robots-Tag"].startswith("noindex")


def test_defaults_when_the_type_names_no_category_or_authority(client, card, base_type, settings):
    QualificationType.objects.filter(pk=base_type.pk).update(enforcement_category="", authority_source="")
    body = visible_text(page(client, card))
    assert "行政执法资格" in body and settings.ACADEMY_BUREAU_NAME in body


def test_suspended_and_inactive_show_not_valid(client, card, holder, hr_user):
    q.suspend(holder.qualifications.get(), actor=hr_user, reason="停职调查")
    body = visible_text(page(client, card))
    assert "执法证无效" in body and "暂扣" in body and "停职调查" not in body
    type(holder).objects.filter(pk=holder.pk).update(is_active=False)
    assert "已不在执法岗位" in visible_text(page(client, card))


def test_unknown_code_shows_only_the_message(client, card):
    for code in (secrets.token_urlsafe(24), "<script>", "x" * 100):
        r = client.get(f"/verify/card/{code}/")
        body = r.content.decode()
        assert r.status_code == 404 and "未找到该执法证" in body
        assert "<dl" not in body and "<form method=\"post\"" not in body and "<script>" not in body


def test_qr_code_on_hr_record_and_my_qualification(client, holder, hr_user):
    client.force_login(hr_user)
    body = client.get(f"/people/{holder.pk}/").content.decode()
    code = EnforcementCard.objects.get(officer=holder).code
    assert f"/verify/card/{code}/" in body and "<svg" in body
    client.force_login(holder.user)
    body = client.get("/my/qualification/").content.decode()
    assert f"/verify/card/{code}/" in body and "<svg" in body


def test_citizen_leaves_feedback_without_login(client, card, holder):
    r = client.post(f"/verify/card/{card.code}/", {"kind": "complaint", "text": "态度粗暴", "contact": "138"})
    assert r.status_code == 302 and r["Location"] == f"/verify/card/{card.code}/"
    item = CardFeedback.objects.get()
    assert (item.officer_id, item.kind, item.text, item.contact) == (holder.pk, "complaint", "态度粗暴", "138")
    assert not Notice.objects.exists()  # a complaint goes to HR, not to the officer


def test_praise_reaches_the_officer_as_a_notice(client, card, holder):
    client.post(f"/verify/card/{card.code}/", {"kind": "praise", "text": "耐心劝导"})
    notice = Notice.objects.get(officer=holder)
    assert "耐心劝导" in notice.display_body


@pytest.mark.parametrize("data,error", [
    ({"kind": "praise", "text": "好" * 501}, "最多 500 字"),
    ({"kind": "praise", "text": ""}, "请填写内容"),
    ({"kind": "other", "text": "x"}, "请选择投诉或表扬"),
])
def test_bad_feedback_is_refused_with_the_reason_and_keeps_the_text(client, card, data, error):
    r = client.post(f"/verify/card/{card.code}/", data)
    body = r.content.decode()
    assert r.status_code == 400 and error in body and not CardFeedback.objects.exists()
    if data["text"]:
        assert data["text"] in body


def test_feedback_form_is_csrf_protected(card):
    client = Client(enforce_csrf_checks=True)
    r = client.post(f"/verify/card/{card.code}/", {"kind": "praise", "text": "x"})
    assert r.status_code == 403 and not CardFeedback.objects.exists()
    page_ = client.get(f"/verify/card/{card.code}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_.content.decode()).group(1)
    r = client.post(f"/verify/card/{card.code}/", {"kind": "praise", "text": "x", "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and CardFeedback.objects.count() == 1


@override_settings(CARD_FEEDBACK_RATE_LIMIT="2/h")
def test_feedback_rate_limited_per_address(client, card):
    statuses = [client.post(f"/verify/card/{card.code}/", {"kind": "praise", "text": f"t{i}"},
                            REMOTE_ADDR="10.0.0.1").status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert "提交过于频繁" in client.post(f"/verify/card/{card.code}/", {"kind": "praise", "text": "t"},
                                      REMOTE_ADDR="10.0.0.1").content.decode()
    assert CardFeedback.objects.count() == 2
    assert client.post(f"/verify/card/{card.code}/", {"kind": "praise", "text": "t"},
                       REMOTE_ADDR="10.0.0.2").status_code == 302


@override_settings(VERIFY_RATE_LIMIT="3/m")
def test_lookups_rate_limited_per_address(client, card):
    statuses = [page(client, card, REMOTE_ADDR="10.0.0.9").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_hr_sees_feedback_in_scope_only(client, card, holder, hr_user, hr_other_user):
    feedback.submit(card, kind="complaint", text="乱停车未处理")
    item = CardFeedback.objects.get()
    client.force_login(hr_user)
    assert "乱停车未处理" in client.get("/hr/feedback/").content.decode()
    assert "乱停车未处理" in client.get(f"/people/{holder.pk}/").content.decode()
    assert "乱停车未处理" in client.get("/").content.decode()  # dashboard panel
    client.force_login(hr_other_user)
    assert "乱停车未处理" not in client.get("/hr/feedback/").content.decode()
    assert "乱停车未处理" not in client.get("/").content.decode()
    assert client.post(f"/hr/feedback/{item.pk}/handled/").status_code == 404
    item.refresh_from_db()
    assert item.handled_at is None
    client.force_login(hr_user)
    client.post(f"/hr/feedback/{item.pk}/handled/")
    item.refresh_from_db()
    assert item.handled_at is not None and item.handled_by_id == hr_user.pk


def test_officers_cannot_read_feedback_lists(client, card, holder):
    feedback.submit(card, kind="complaint", text="x")
    client.force_login(holder.user)
    assert client.get("/hr/feedback/").status_code in (302, 403)


def test_script_in_feedback_is_escaped_everywhere(client, card, holder, hr_user):
    client.post(f"/verify/card/{card.code}/", {"kind": "praise", "text": SCRIPT, "contact": SCRIPT})
    assert CardFeedback.objects.get().text == SCRIPT
    client.force_login(hr_user)
    for url in ("/hr/feedback/", f"/people/{holder.pk}/", "/"):
        body = client.get(url).content.decode()
        assert SCRIPT not in body and "&lt;script&gt;" in body, url
    client.force_login(holder.user)
    notice = Notice.objects.get(officer=holder)
    body = client.get(f"/my/notices/{notice.pk}/").content.decode()
    assert SCRIPT not in body and "&lt;script&gt;" in body


@pytest.mark.parametrize("number,masked", [("320999888", "320***888"), ("12345", "1***5"), ("1234", "****"),
                                           ("", "")])
def test_mask_number(number, masked):
    assert feedback.mask_number(number) == masked
