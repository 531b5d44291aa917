"""The officer's bottom tab bar; the "新建…" entry points on the trainer's dashboard and on
Wagtail's admin home; the reviewer's 法制审核 list there. Per role."""
import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders

from casebank.models import CasePage
from courses.models import CourseIndexPage
from tests.casebank.factories import case_index, make_case
from officers import roles
from tests.courses.factories import make_course
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def tabs(body):
    block = re.search(r'<nav class="tabbar".*?</nav>', body, re.S)
    if not block:
        return None
    return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', block.group(0))


def test_officer_tab_bar_marks_the_current_tab(client, officer_user):
    client.force_login(officer_user)
    home = tabs(client.get("/").content.decode())
    assert [label for _h, _c, label in home] == ["首页", "学习", "案例", "考试", "我的"]
    assert [label for _h, current, label in home if current] == ["首页"]
    urls = {label: href for href, _c, label in home}
    assert urls["案例"] == "/cases/" and urls["我的"] == "/me/"
    for label in ("学习", "考试", "我的"):
        page = tabs(client.get(urls[label]).content.decode())
        assert [lbl for _h, current, lbl in page if current] == [label]
    # 我的 covers 我的资格 too; the tab-only item stays out of the top menu
    body = client.get("/my/qualification/").content.decode()
    assert [lbl for _h, current, lbl in tabs(body) if current] == ["我的"]
    menu = re.search(r'<nav id="site-nav".*?</ul>', body, re.S).group(0)
    assert 'href="/me/"' not in menu


def test_officer_tab_bar_in_english(client, officer_user):
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    home = tabs(client.get("/").content.decode())
    assert [label for _h, _c, label in home] == ["Home", "Study", "Cases", "Exams", "Me"]


@pytest.mark.parametrize("who", ["trainer_user", "reviewer_user", "hr_user"])
def test_no_tab_bar_for_staff(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert tabs(client.get("/").content.decode()) is None


def create_links(body):
    return {unescape(label).strip(): unescape(href)
            for href, label in re.findall(r'<a class="[^"]*" href="([^"]+)">＋ ([^<]+)</a>', body)}


def test_trainer_dashboard_and_admin_home_offer_new_case_lesson_question(client, trainer_user):
    course = make_course(title="占道经营执法实务", n_lessons=0)
    client.force_login(trainer_user)
    for url in ("/", "/cms/"):
        body = client.get(url).content.decode()
        links = create_links(body)
        assert links["新建案例"] == f"/cms/pages/add/casebank/casepage/{case_index().pk}/", url
        assert links["新建试题"] == "/cms/snippets/exams/question/add/", url
        index = CourseIndexPage.objects.get()
        assert links["新建课程"] == f"/cms/pages/add/courses/coursepage/{index.pk}/", url
        # 新建课时: one add link per course (the lesson's parent)
        assert f'href="/cms/pages/add/courses/lessonpage/{course.pk}/">占道经营执法实务</a>' in body, url
    # the links lead to working add forms
    for href in (links["新建案例"], links["新建试题"], f"/cms/pages/add/courses/lessonpage/{course.pk}/"):
        assert client.get(href).status_code == 200, href


def test_officer_gets_no_create_links(client, officer_user):
    make_course(n_lessons=0)
    client.force_login(officer_user)
    body = client.get("/").content.decode()
    assert create_links(body) == {} and "新建课时" not in body


def test_reviewer_admin_home_lists_what_awaits_review(client, trainer_user, reviewer_user):
    client.force_login(reviewer_user)
    body = client.get("/cms/").content.decode()
    assert "待法制审核" in body
    assert "暂无待审核的内容。" in body
    # a trainer submits a case for 法制审核
    case = make_case("送审的案例：夜间施工", live=False)
    case.save_revision(user=trainer_user)
    workflow = case.get_workflow()
    workflow.start(case, trainer_user)
    body = client.get("/cms/").content.decode()
    assert "送审的案例：夜间施工" in body and "暂无待审核的内容。" not in body
    assert f"/cms/pages/{case.pk}/edit/" in body
    # the trainer's admin home has no review list
    client.force_login(trainer_user)
    body = client.get("/cms/").content.decode()
    assert "academy-review-queue" not in body and "暂无待审核的内容。" not in body
    assert not CasePage.objects.get(pk=case.pk).live


def test_admin_home_panels_are_styled_by_the_project_stylesheet(client, trainer_user, reviewer_user):
    for user in (trainer_user, reviewer_user):
        client.force_login(user)
        body = client.get("/cms/").content.decode()
        assert re.search(r'<link rel="stylesheet" href="/static/css/admin(\.[0-9a-f]+)?\.css">', body), user
    css = open(finders.find("css/admin.css"), encoding="utf-8").read()
    assert ".academy-create-links{list-style:none" in css and ".academy-panel-empty{" in css
    assert 'class="academy-panel-empty"' in body and 'class="academy-create-links"' in body


def test_officer_dashboard_names_the_officer_position(client, units):
    leader = make_user(roles.OFFICER, unit=units["SZ-JB-01"], username="leader_a", position="squad_leader")
    client.force_login(leader)
    body = client.get("/").content.decode()
    assert re.search(r'<p class="muted">中队长 · 江北区[^<]*第一中队</p>', body), body[:3000]
    client.force_login(make_user(roles.OFFICER, unit=units["SZ-JB-01"], username="officer_z", position="officer"))
    assert '<p class="muted">执法队员 · ' in client.get("/").content.decode()


@pytest.mark.parametrize("who, daily", [("trainer_user", {"题库", "阅卷"}), ("reviewer_user", {"法制审核"}),
                                        ("hr_user", {"资格管理", "人员"}), ("officer_user", set())])
def test_each_role_daily_destinations_are_marked_to_stay_in_the_menu_row(client, request, who, daily):
    """On a wide screen a long menu folds under 更多 from its end; a role's daily destinations
    (data-daily) stay in the row."""
    client.force_login(request.getfixturevalue(who))
    menu = re.search(r'<nav id="site-nav".*?</ul>', client.get("/").content.decode(), re.S).group(0)
    marked = {unescape(label).strip() for label in re.findall(r'<li data-daily><a href="[^"]+">([^<]+)</a>', menu)}
    assert marked == daily
    if who == "reviewer_user":
        assert '<li data-daily><a href="/cms/">法制审核</a>' in menu
