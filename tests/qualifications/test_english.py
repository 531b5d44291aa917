"""我的资格 and the HR lists in English: generated reasons, statuses and fixed labels in the reader's
language; a qualification type shows its English name in English when one is set, else its name."""
import re

import pytest
from django.utils import timezone, translation

from officers import qualifications as q
from officers.models import HoursCategory, QualificationRecord
from officers.reason_text import in_reader_language

from .conftest import add_hours

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def text(body):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def short_of_hours(units, base_type, officer_user):
    officer = officer_user.officer
    q.grant(officer, base_type, reason="t")
    add_hours(officer, 30, date=timezone.localdate())
    return officer


def test_my_qualification_in_english(client, short_of_hours, officer_user):
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = text(client.get("/my/qualification/").content.decode())
    year = timezone.localdate().year
    assert f"Training hours {year}: 30/60" in body and "Annual exam not yet taken" in body
    assert "Outstanding requirements" in body and "Valid until" in body
    assert "Exams" in body and "Mistake notebook" in body  # the navigation
    assert "年学时" not in body and "年度考试" not in body and "欠缺事项" not in body
    # the seeded hours categories are fixed labels; a type without an English name shows its name
    assert "Public legal knowledge" in body and "公共法律知识" not in body and "行政执法资格" in body


def test_a_type_with_an_english_name_shows_it_in_english_only(client, short_of_hours, officer_user, base_type,
                                                                hr_user):
    base_type.name_en = "Administrative enforcement qualification"
    base_type.save()
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    html = client.get("/my/qualification/").content.decode()
    assert re.search(r"<h2>Administrative enforcement qualification <span", html)
    # only the certificate's own line keeps the name printed on the certificate
    assert text(html).count("行政执法资格") == 1 and "<h2>行政执法资格" not in html
    client.cookies["django_language"] = "zh-hans"
    body = text(client.get("/my/qualification/").content.decode())
    assert "行政执法资格" in body and "Administrative enforcement qualification" not in body
    with translation.override("en"):
        assert str(base_type) == "Administrative enforcement qualification"
    assert str(base_type) == "行政执法资格"


def test_an_edited_hours_category_keeps_its_name(client, short_of_hours, officer_user):
    HoursCategory.objects.filter(code="public_law").update(name="法律法规")
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = text(client.get("/my/qualification/").content.decode())
    assert "法律法规" in body and "Public legal knowledge" not in body


def test_stored_reasons_are_reworded_for_the_reader(short_of_hours):
    q.evaluate(short_of_hours)  # the daily run, in Chinese
    stored = QualificationRecord.objects.get(officer=short_of_hours).reasons
    assert stored and all(CJK.search(r) for r in stored)
    with translation.override("en"):
        english = [in_reader_language(r) for r in stored]
    assert all(not CJK.search(r) for r in english), english
    with translation.override("zh-hans"):
        assert [in_reader_language(r) for r in english] == stored  # and back
    assert in_reader_language("由管理员手工录入的说明") == "由管理员手工录入的说明"


def test_hr_list_shows_stored_reasons_in_english(client, short_of_hours, hr_user):
    q.evaluate(short_of_hours)
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    body = text(client.get("/hr/lists/all/").content.decode())
    year = timezone.localdate().year
    assert f"Training hours {year}: 30/60" in body and "Enforcement skills" in body  # the category filter
    assert "年学时" not in body and "执法技能" not in body
    assert "Personnel" in body  # the navigation


def test_one_hour_short_reads_without_a_plural_slip(client, units, base_type, officer_user):
    """学时 may be fractions: the English hours texts name the number after a label ("Hours still
    needed: 1"), never "1 hours"."""
    officer = officer_user.officer
    q.grant(officer, base_type, reason="t")
    add_hours(officer, 59, date=timezone.localdate())
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = text(client.get("/my/qualification/").content.decode()) + text(client.get("/").content.decode())
    assert "Hours still needed: 1" in body
    assert not re.search(r"\b1(\.0+)? hours\b", body), re.findall(r".{40}\b1 hours.{20}", body)
