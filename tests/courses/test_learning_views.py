"""我的学习, the dashboard panel, 课程中心 and the lesson page, per role."""
import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from courses.models import Assignment, LessonProgress
from officers import hours as hours_service
from tests.courses.factories import complete_course, course_index, lessons_of, make_course, make_lesson, open_long_ago


def assign(course, unit, days):
    return Assignment.objects.create(course=course, unit=unit, due_date=timezone.localdate() + datetime.timedelta(days=days))


@pytest.mark.django_db
def test_my_learning_shows_assigned_courses_progress_next_step_and_hours(client, officer_user, units):
    officer = officer_user.officer
    overdue = make_course(title="逾期课程", n_lessons=2)
    later = make_course(title="稍后课程", n_lessons=2)
    done = make_course(title="完成课程", n_lessons=1, hours="5")
    make_course(title="未指派课程", n_lessons=1)
    assign(overdue, units["SZ-JB"], -2)
    assign(later, units["SZ-JB-01"], 20)
    assign(done, units["SZ"], 10)
    complete_course(officer, done)
    open_long_ago(officer, lessons_of(overdue)[0], overdue)
    hours_service.credit(officer, 2, source="onsite", source_key="onsite:x", description="现场教学")
    client.force_login(officer_user)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "逾期课程" in html and "稍后课程" in html and "完成课程" in html and "未指派课程" not in html
    assert "已逾期" in html and "is-overdue" in html
    assert "下一步" in html and lessons_of(overdue)[0].title in html
    assert "7" in html.split("年学时")[0].rsplit("stat-num", 1)[1]  # 5 + 2 hours this year
    assert "年度要求未设置" in html
    assert html.index("逾期课程") < html.index("稍后课程") < html.index("完成课程")


@pytest.mark.django_db
def test_my_learning_access(client, units):
    assert client.get(reverse("courses:my_learning")).status_code == 302
    user = get_user_model().objects.create_user("noprofile", password="x-Password-2026")
    client.force_login(user)
    assert client.get(reverse("courses:my_learning")).status_code == 403


@pytest.mark.django_db
def test_dashboard_replaces_placeholder_with_panel(client, officer_user, units):
    course = make_course(title="面板课程", n_lessons=1)
    assign(course, units["SZ"], 5)
    client.force_login(officer_user)
    html = client.get("/").content.decode()
    assert "面板课程" in html and reverse("courses:my_learning") in html
    assert html.count("我的学习") >= 2  # nav item and panel title
    assert "课程中心" in html


@pytest.mark.django_db
def test_course_index_requires_login_and_filters(client, officer_user):
    make_course(title="初任课", tier="entry", n_lessons=1)
    make_course(title="专项课", tier="special", n_lessons=1)
    url = course_index().url
    assert client.get(url).status_code == 302
    client.force_login(officer_user)
    html = client.get(url).content.decode()
    assert "初任课" in html and "专项课" in html
    html = client.get(url, {"tier": "special"}).content.decode()
    assert "初任课" not in html and "专项课" in html


@pytest.mark.django_db
def test_lesson_page_explains_rule_and_records_opening(client, officer_user, trainer_user):
    course = make_course(n_lessons=0)
    lesson = make_lesson(course, min_read_seconds=45)
    assert client.get(lesson.url).status_code == 302
    client.force_login(officer_user)
    html = client.get(lesson.url).content.decode()
    assert "完成规则" in html and "45" in html and "标记为已完成" in html and 'data-wait="45"' in html
    assert LessonProgress.objects.filter(officer=officer_user.officer, lesson=lesson).exists()
    response = client.post(reverse("courses:complete_lesson", args=[lesson.pk]), follow=True)
    body = response.content.decode()
    assert "学习时间不足" in body and "too_early" not in body  # the message, never its code
    client.force_login(trainer_user)  # staff can read lessons too
    assert client.get(lesson.url).status_code == 200


@pytest.mark.django_db
def test_complete_requires_post_and_profile(client, officer_user):
    course = make_course(n_lessons=1)
    lesson = lessons_of(course)[0]
    url = reverse("courses:complete_lesson", args=[lesson.pk])
    client.force_login(officer_user)
    assert client.get(url).status_code == 405
    assert client.post(reverse("courses:complete_lesson", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_course_completion_message_and_hours(client, officer_user):
    course = make_course(n_lessons=1, hours="2.5")
    lesson = lessons_of(course)[0]
    client.force_login(officer_user)
    client.get(lesson.url)
    response = client.post(reverse("courses:complete_lesson", args=[lesson.pk]), follow=True)
    html = response.content.decode()
    assert "您已完成课程" in html and "2.5" in html
    assert officer_user.officer.hours.get().hours == Decimal("2.5")


@pytest.mark.django_db
@pytest.mark.parametrize("hours, words", [("1", "1 training hour has"), ("2", "2 training hours have"),
                                          ("1.5", "1.5 training hours have")])
def test_course_completion_counts_training_hours_in_english(client, officer_user, hours, words):
    """Only exactly one hour takes the singular, in the message and in the course page's banner."""
    course = make_course(n_lessons=1, hours=hours, title="执法文书")
    lesson = lessons_of(course)[0]
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    client.get(lesson.url)
    response = client.post(reverse("courses:complete_lesson", args=[lesson.pk]), follow=True)
    message = [str(m) for m in response.context["messages"]][-1]
    assert message == f"Congratulations! You have completed the course “执法文书”; {words} been credited to your ledger."
    words = words.rsplit(" ", 1)[0]
    html = response.content.decode()
    banner = html.split('class="banner banner-info"', 1)[1].split("</div>", 1)[0]
    assert f"{words} credited to your ledger" in banner, banner
    if hours == "1":
        assert "training hours" not in message and "training hours" not in banner
        assert "1.0" not in message and "1.0" not in banner


@pytest.mark.django_db
def test_course_completion_counts_training_hours_in_chinese(client, officer_user):
    course = make_course(n_lessons=1, hours="1", title="一学时课程")
    lesson = lessons_of(course)[0]
    client.force_login(officer_user)
    client.get(lesson.url)
    response = client.post(reverse("courses:complete_lesson", args=[lesson.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == "恭喜！您已完成课程《一学时课程》，1 学时已计入学时台账。"
    assert "1 学时已计入学时台账" in response.content.decode()


@pytest.mark.django_db
def test_hours_requirement_from_qualification_types(client, officer_user):
    """我的学习 shows hours against the officer's yearly requirement when qualification types define one."""
    from courses.progress import yearly_hours_requirement
    from officers.models import QualificationType

    officer = officer_user.officer
    QualificationType.objects.all().delete()
    assert yearly_hours_requirement(officer) is None
    QualificationType.objects.create(code="base", name="基础执法资格", is_base=True, min_hours_per_year=Decimal("40"))
    assert yearly_hours_requirement(officer) == Decimal("40")
    client.force_login(officer_user)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "/ 40" in html and "年度要求未设置" not in html


@pytest.mark.django_db
def test_next_step_banner_reads_naturally_in_english(client, officer_user, units):
    course = make_course(title="逾期课程", n_lessons=2)
    assign(course, units["SZ-JB"], 5)
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("courses:my_learning")).content.decode()
    banner = html.split('class="banner banner-info next-step"', 1)[1].split("</div>", 1)[0]
    assert "<strong>Next" in banner and "(due " in banner
    assert "：" not in banner and "（" not in banner and "期限" not in banner
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "下一步：" in html and "（期限 " in html


@pytest.mark.django_db
def test_missing_prerequisites_read_as_an_english_list(client, officer_user, units):
    first, second = make_course(title="先修甲", n_lessons=1), make_course(title="先修乙", n_lessons=1)
    locked = make_course(title="后续课程", n_lessons=1, prerequisites=[first, second])
    assign(locked, units["SZ-JB"], 5)
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("courses:my_learning")).content.decode()
    line = re.search(r"Prerequisites not completed: (.*?)</p>", html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", line) in ("先修甲, 先修乙", "先修乙, 先修甲")
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert re.search(r"先修课程未完成：<a[^>]*>先修.</a>、<a", html)


@pytest.mark.django_db
def test_course_centre_heading_is_translated_not_the_stored_title(client, officer_user):
    """课程中心 in English is "Course centre" from the site's own words, whatever the page is called."""
    make_course(title="执法基础课")
    client.force_login(officer_user)
    client.cookies["django_language"] = "en"
    body = client.get("/courses/").content.decode()
    assert "<h1>Course centre</h1>" in body and "<h1>课程中心</h1>" not in body
    assert "City-management enforcement training by tier" in body
