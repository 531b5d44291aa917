"""The case list in English: facet groups, duty areas, measures and the usual discretion levels
show in the reader's language; names an administrator typed stay as entered."""
import datetime
import re

import pytest
from django.utils import translation

from casebank.models import CaseIndexPage, DutyArea, Law

from .factories import make_benchmark, make_case

pytestmark = pytest.mark.django_db


def facet_texts(body):
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<a[^>]*>([^<]+)", body)]


def test_cases_page_in_english_translates_fixed_labels(client, officer_user, statutes):
    level = make_benchmark().levels.get(name="轻微")
    make_case("占道经营案", areas=["municipal"], measures=["order_correct", "fine"], level=level,
              decision_date=datetime.date(2024, 3, 1))
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = client.get("/cases/").content.decode()
    for english in ("Area of responsibility", "Municipal administration", "Order to rectify", "Minor"):
        assert english in body, english
    shown = re.sub(r'value="[^"]*"', "", body)  # a select's values are the filter parameters, not text
    for chinese in ("市政管理", "责令改正", "轻微", "职责领域", "执法措施"):
        assert chinese not in shown, chinese
    # the same page in Chinese keeps the Chinese names
    client.cookies["django_language"] = "zh-hans"
    body = client.get("/cases/").content.decode()
    assert "市政管理" in body and "责令改正" in body and "Municipal" not in body


def test_a_renamed_area_shows_its_new_name(client, officer_user, statutes):
    DutyArea.objects.filter(code="municipal").update(name="市容市政")
    make_case("占道经营案", areas=["municipal"])
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = client.get("/cases/").content.decode()
    assert "市容市政" in body and "Municipal administration" not in body


def test_the_case_list_counts_one_case_and_two_cases(client, officer_user, statutes):
    make_case("占道经营案", decision_date=datetime.date(2024, 3, 1))
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    assert re.search(r"\b1 case\b", client.get("/cases/").content.decode())
    make_case("夜间施工噪声案", decision_date=datetime.date(2024, 4, 1))
    body = client.get("/cases/").content.decode()
    assert re.search(r"\b2 cases\b", body) and not re.search(r"\b2 case\b", body)
    client.cookies["django_language"] = "zh-hans"
    assert "共 2 个案例" in client.get("/cases/").content.decode()


def test_the_case_bank_heading_is_the_sites_own_words_in_the_readers_language(client, officer_user, statutes):
    """The index page's heading is translated, never the stored page title; its seeded intro is
    translated until an editor changes it; a case's discretion level reads in English too."""
    level = make_benchmark().levels.get(name="轻微")
    case = make_case("占道经营案", level=level)
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = client.get("/cases/").content.decode()
    assert "<h1>Case bank</h1>" in body and "Typical city-management enforcement cases" in body
    assert "<h1>案例库</h1>" not in body and "城市管理综合执法典型案例" not in body
    assert "· Minor</a>" in client.get(case.url).content.decode()
    CaseIndexPage.objects.update(intro="江北区典型案例汇编")
    body = client.get("/cases/").content.decode()
    assert "江北区典型案例汇编" in body and "Typical city-management" not in body
    client.cookies["django_language"] = "zh-hans"
    assert "<h1>案例库</h1>" in client.get("/cases/").content.decode()


def test_every_legal_level_has_an_english_name():
    """效力级别 is the site's own vocabulary (the statute library's filters and search facets)."""
    with translation.override("en"):
        untranslated = [code for code, label in Law.Level.choices if str(label) == code]
    assert untranslated == []
