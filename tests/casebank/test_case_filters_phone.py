"""The case bank's filters on a phone: the active filters as chips, each a link that removes
exactly that filter; the facet groups in a collapsible drawer, the results after them.
And the editor's 法条引用核验 panel: the same panel on cases and lessons, the reviewer's box
only for reviewers."""
import datetime
import re
from html import unescape

import pytest
from django.http import QueryDict

from casebank.models import CasePage
from tests.courses.factories import make_course

from .factories import case_index, make_case
from .test_workflow import add_url, case_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(statutes):
    make_case("占道经营案", areas=["municipal"], measures=["fine"], tags=["占道"],
              decision_date=datetime.date(2024, 3, 1), district="江北区")
    make_case("违法建设案", areas=["planning"], tags=["违建"], decision_date=datetime.date(2025, 6, 1),
              district="江南区")


def chips(body):
    """{parameter: (href, text)} of the removable chips."""
    found = re.findall(r'<a class="chip" data-filter="([^"]+)" href="([^"]*)"[^>]*>([^<]*)', body)
    return {key: (unescape(href), text.strip()) for key, href, text in found}


def test_each_chip_removes_exactly_its_filter(client, officer_user, cases):
    client.force_login(officer_user)
    params = {"q": "案", "area": "municipal", "year": "2024", "district": "江北区", "tag": "占道", "page": "1"}
    body = client.get("/cases/", params).content.decode()
    found = chips(body)
    assert set(found) == {"q", "area", "year", "district", "tag"}
    assert found["area"][1].startswith("职责领域：") and "municipal" not in found["area"][1]  # the name, not the code
    assert found["q"][1].startswith("关键词：案")
    for key, (href, _text) in found.items():
        assert href.startswith("?")
        query = QueryDict(href.partition("?")[2])
        expected = {k: v for k, v in params.items() if k not in (key, "page")}
        assert query.dict() == expected, key
    # following a chip drops that filter from the page too
    after = client.get("/cases/" + found["district"][0]).content.decode()
    assert set(chips(after)) == {"q", "area", "year", "tag"}
    # the last chip leads back to the bare list
    assert chips(client.get("/cases/?year=2024").content.decode())["year"][0] == "/cases/"


def test_no_chips_without_filters_and_facets_in_a_drawer(client, officer_user, cases):
    client.force_login(officer_user)
    body = client.get("/cases/").content.decode()
    assert chips(body) == {}
    drawer = body.index('<details class="filter-drawer">')
    assert body.index("<summary><span>筛选") > drawer
    # every facet group is a collapsible group; the results follow the drawer
    assert body.count('class="facet card filter-group"') >= 3
    assert body.index('class="case-list"') > drawer
    # a group holding an active filter is open
    body = client.get("/cases/", {"district": "江南区"}).content.decode()
    group = re.search(r'<details class="facet card filter-group"( open)?>\s*<summary>区域</summary>', body)
    assert group and group.group(1) == " open"


# --- the editor's 法条引用核验 panel --------------------------------------------------------


def test_acknowledgement_box_only_for_reviewers(client, trainer_user, reviewer_user, statutes):
    client.force_login(trainer_user)
    form = client.get(add_url()).content.decode()
    assert "法条引用核验" in form and 'name="citations_acknowledged"' not in form
    client.force_login(reviewer_user)
    form = client.get(add_url()).content.decode()
    assert "法条引用核验" in form and 'name="citations_acknowledged"' in form


def test_trainer_cannot_submit_the_acknowledgement(client, trainer_user, statutes):
    client.force_login(trainer_user)
    response = client.post(add_url(), case_form(citations_acknowledged="on", acknowledge_citations="on"))
    assert response.status_code == 302
    assert CasePage.objects.get(slug="night-noise").citations_acknowledged is False


def test_lesson_form_has_the_citation_panel(client, trainer_user, statutes):
    course = make_course(n_lessons=0)
    client.force_login(trainer_user)
    form = client.get(f"/cms/pages/add/courses/lessonpage/{course.pk}/").content.decode()
    assert "法条引用核验" in form and "保存草稿后，这里列出正文中识别到的法条引用及核验结果。" in form
    assert "citations_acknowledged" not in form and "acknowledge_citations" not in form
    # the case form shows the same panel (one template)
    case_form_html = client.get(f"/cms/pages/add/casebank/casepage/{case_index().pk}/").content.decode()
    assert "保存草稿后，这里列出正文中识别到的法条引用及核验结果。" in case_form_html
