"""The search page in English counts in English: a type tab, the match counts and the total say
"1 Case" but "2 Cases"; Chinese has one form. The error banner shows the message, not its code."""
import re

import pytest
from django.urls import reverse

from tests.casebank.factories import make_case
from tests.courses.factories import make_course, make_lesson

pytestmark = pytest.mark.django_db


def tabs(body):
    nav = re.search(r'<nav class="search-tabs".*?</nav>', body, re.S).group(0)
    found = {}
    for label, count in re.findall(r'<a [^>]*>\s*([^<]+?)\s*<span class="badge[^"]*">(\d+)</span>', nav):
        found[label] = int(count)
    return found


def counts(body):
    line = re.search(r'<p class="match-counts[^"]*"[^>]*>(.*?)</p>', body, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line)).strip()


def page(client, language, **params):
    client.cookies["django_language"] = language
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_english_tabs_and_counts_take_the_plural_their_number_asks_for(client, officer_user, whoosh_index):
    make_case("人行道占道经营处罚案", summary="商户在人行道占道经营。")
    make_case("夜市占道经营处罚案", summary="夜市摊贩占道经营。")
    make_case("门前堆物案", summary="店铺门前堆放杂物，责令清理。")
    client.force_login(officer_user)
    two = page(client, "en", q="占道经营", type="case")
    assert tabs(two)["Cases"] == 2 and "Case" not in tabs(two)
    assert two.count('<span class="badge">Case</span>') == 2  # each hit is one case
    assert counts(two).startswith("2 exact matches")
    one = page(client, "en", q="堆放杂物", type="case")
    assert tabs(one)["Case"] == 1 and "Cases" not in tabs(one)
    assert counts(one).startswith("1 exact match ·")
    chinese = page(client, "zh-hans", q="占道经营", type="case")
    assert tabs(chinese)["案例"] == 2 and counts(chinese).startswith("完全匹配 2 条")


def test_the_api_names_each_result_by_its_one_type_in_english(client, officer_user, whoosh_index):
    """A result of the API, a suggestion and a result's badge on the page name one lesson
    "Lesson" (another app's catalogue translates the bare 课时 as "Lessons")."""
    course = make_course(title="市容管理", n_lessons=0)
    make_lesson(course, title="占道经营的处置")
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    data = client.get(reverse("search:api"), {"q": "占道经营", "type": "lesson"}).json()
    assert [r["type_label"] for r in data["results"]] == ["Lesson"]
    suggestions = client.get(reverse("search:suggest"), {"q": "占道经营"}).json()
    assert "Lesson" in str(suggestions) and "Lessons" not in str(suggestions), suggestions
    assert '<span class="badge">Lesson</span>' in page(client, "en", q="占道经营", type="lesson")


def test_the_error_banner_shows_the_message_without_its_code(client, officer_user, whoosh_index):
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("search:search"), {"q": "罚" * 201})
    body = response.content.decode()
    assert response.status_code == 400 and "too long" in body and "query_too_long" not in body
