"""我的学习 and the course page use a fixed number of queries however many courses and lessons there are."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Assignment
from tests.courses.factories import lessons_of, make_course, open_long_ago

pytestmark = pytest.mark.usefixtures("law_directory_kept")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def add_assigned_courses(officer, unit, n, n_lessons=2, prerequisite=None):
    for i in range(n):
        course = make_course(n_lessons=n_lessons, prerequisites=[prerequisite] if prerequisite else ())
        Assignment.objects.create(course=course, unit=unit,
                                  due_date=timezone.localdate() + datetime.timedelta(days=i - 1))
        open_long_ago(officer, lessons_of(course)[0], course)


@pytest.mark.django_db
def test_my_learning_queries_do_not_grow_with_courses(client, officer_user, units):
    officer = officer_user.officer
    base = make_course(n_lessons=1)
    add_assigned_courses(officer, units["SZ-JB"], 2, prerequisite=base)
    client.force_login(officer_user)
    url = reverse("courses:my_learning")
    client.get(url)  # warm caches (site root paths, content types)
    small = count_queries(client, url)
    add_assigned_courses(officer, units["SZ-JB-01"], 6, n_lessons=4, prerequisite=base)
    large = count_queries(client, url)
    assert large == small, (small, large)
    assert small <= 25


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_courses(client, officer_user, units):
    officer = officer_user.officer
    add_assigned_courses(officer, units["SZ-JB"], 2)
    client.force_login(officer_user)
    client.get("/")
    small = count_queries(client, "/")
    add_assigned_courses(officer, units["SZ-JB"], 6)
    assert count_queries(client, "/") == small


@pytest.mark.django_db
def test_course_page_queries_do_not_grow_with_lessons(client, officer_user):
    prerequisites = [make_course(n_lessons=1) for _i in range(2)]
    small_course = make_course(n_lessons=2, prerequisites=prerequisites)
    large_course = make_course(n_lessons=9, prerequisites=prerequisites)
    officer = officer_user.officer
    for course in (small_course, large_course):
        for lesson in lessons_of(course)[:2]:
            open_long_ago(officer, lesson, course)
    client.force_login(officer_user)
    client.get(small_course.url)
    assert count_queries(client, small_course.url) == count_queries(client, large_course.url)


@pytest.mark.django_db
def test_course_index_queries_do_not_grow_with_courses(client, officer_user):
    from courses.models import CourseIndexPage

    url = CourseIndexPage.objects.get().url
    for _i in range(2):
        make_course(n_lessons=2)
    client.force_login(officer_user)
    client.get(url)
    small = count_queries(client, url)
    for _i in range(5):
        make_course(n_lessons=3)
    assert count_queries(client, url) == small
