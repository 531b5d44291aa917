"""Study time over HTTP: the heartbeat endpoint (scope, CSRF, bad payloads, one item at a
time, the cap, video seeking), the completion gate, and the trainers' and HR's table."""
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from courses import progress, studytime
from courses.models import LessonProgress
from tests.courses.factories import make_course, make_lesson, markdown_body
from tests.factories import make_user


def beat(client, lesson, **fields):
    data = {"seconds": "15", **{k: str(v) for k, v in fields.items()}}
    return client.post(reverse("courses:heartbeat", args=[lesson.pk]), data)


def age(officer, seconds):
    """Move the officer's study-time clocks back, as if everything happened ``seconds`` earlier."""
    delta = datetime.timedelta(seconds=seconds)
    LessonProgress.objects.filter(officer=officer).update(
        last_heartbeat_at=F("last_heartbeat_at") - delta, credited_until=F("credited_until") - delta)


@pytest.fixture
def reading_lesson(db):
    course = make_course(n_lessons=0)
    return make_lesson(course, min_read_seconds=30, study_mode="reading")


@pytest.fixture
def opened(client, officer_user, reading_lesson):
    client.force_login(officer_user)
    assert client.get(reading_lesson.url).status_code == 200
    return LessonProgress.objects.get(officer=officer_user.officer, lesson=reading_lesson)


@pytest.mark.django_db
def test_heartbeat_credits_time_within_the_wall_clock(client, officer_user, reading_lesson, opened):
    assert beat(client, reading_lesson).json()["credited"] <= studytime.TOLERANCE_SECONDS  # just opened
    LessonProgress.objects.filter(pk=opened.pk).update(active_seconds=0)
    age(officer_user.officer, 15)
    response = beat(client, reading_lesson)
    assert response.status_code == 200
    data = response.json()
    assert data["credited"] == 15 and data["active_seconds"] == 15 and data["remaining_seconds"] == 15
    # The same claim again at once: the wall clock allows only the tolerance.
    data = beat(client, reading_lesson).json()
    assert data["credited"] <= studytime.TOLERANCE_SECONDS
    opened.refresh_from_db()
    assert opened.active_seconds == 15 + data["credited"] and opened.last_heartbeat_at is not None


@pytest.mark.django_db
def test_completion_waits_for_the_required_study_time(client, officer_user, reading_lesson, opened):
    officer, course = officer_user.officer, reading_lesson.get_course()
    age(officer, 15)
    beat(client, reading_lesson, seconds=15)
    with pytest.raises(progress.LessonNotCompletable) as exc:
        progress.complete_lesson(officer, reading_lesson, course)
    assert exc.value.code == "too_early" and "有效阅读满 30 秒" in exc.value.message and "还需 15 秒" in exc.value.message
    page = client.get(reading_lesson.url).content.decode()
    assert 'data-wait="15"' in page and "还需学习 <span data-countdown>15 秒</span>" in page
    age(officer, 20)
    assert beat(client, reading_lesson, seconds=15).json()["remaining_seconds"] == 0
    assert progress.complete_lesson(officer, reading_lesson, course) == (True, True)


@pytest.mark.django_db
def test_one_lesson_accrues_at_a_time(client, officer_user, reading_lesson, opened):
    other = make_lesson(reading_lesson.get_course(), min_read_seconds=30, study_mode="reading")
    client.get(other.url)
    age(officer_user.officer, 15)
    assert beat(client, reading_lesson).json()["credited"] == 15
    # The other lesson's page claims the same 15 s of wall-clock time: not credited twice.
    assert beat(client, other).json()["credited"] <= studytime.TOLERANCE_SECONDS


@pytest.mark.django_db
def test_the_cap_bounds_a_lesson(client, officer_user, reading_lesson, opened):
    reading_lesson.study_cap_seconds = 40
    reading_lesson.save()
    total = 0
    for _ in range(4):
        age(officer_user.officer, 20)
        total += beat(client, reading_lesson).json()["credited"]
    assert total == 40
    assert LessonProgress.objects.get(pk=opened.pk).active_seconds == 40


@pytest.mark.django_db
def test_video_cannot_be_skipped_forward(client, officer_user):
    course = make_course(n_lessons=0)
    lesson = make_lesson(course, study_mode="video", video_seconds=600, min_read_seconds=None)
    assert lesson.study.required_seconds == 540
    client.force_login(officer_user)
    client.get(lesson.url)
    age(officer_user.officer, 15)
    data = beat(client, lesson, seconds=15, position=590, furthest=590, duration=600).json()
    assert data["video_furthest"] == 15 * studytime.MAX_PLAYBACK_RATE + studytime.SEEK_SLACK_SECONDS
    assert data["video_position"] == data["video_furthest"]  # resumes where watching really reached
    record = LessonProgress.objects.get(lesson=lesson)
    assert record.video_furthest == data["video_furthest"]
    assert f'data-furthest="{record.video_furthest:.1f}"' in client.get(lesson.url).content.decode()


@pytest.mark.django_db
def test_bad_payload_is_refused_with_a_reason_and_loses_nothing(client, officer_user, reading_lesson, opened):
    age(officer_user.officer, 15)
    beat(client, reading_lesson)
    for data in ({}, {"seconds": "lots"}, {"seconds": "99999"}, {"seconds": "15", "position": "-3"}):
        response = client.post(reverse("courses:heartbeat", args=[reading_lesson.pk]), data)
        assert response.status_code == 400
        assert response.json()["error"]["message"] and response.json()["error"]["code"]
    assert LessonProgress.objects.get(pk=opened.pk).active_seconds == 15


@pytest.mark.django_db
def test_heartbeat_scope(client, officer_user, other_officer_user, hr_user, reading_lesson, opened):
    url = reverse("courses:heartbeat", args=[reading_lesson.pk])
    assert client.get(url).status_code == 405
    # Another officer, who never opened the lesson, cannot add time to it — nor to anyone else's.
    client.force_login(other_officer_user)
    response = beat(client, reading_lesson)
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_opened"
    assert LessonProgress.objects.get(pk=opened.pk).active_seconds == 0
    # Staff without an officer profile, a draft lesson, a missing lesson, a locked course.
    assert beat(Client(), reading_lesson).status_code == 401
    staff = make_user(superuser=True, username="root_only")
    staff.officer.delete()
    client.force_login(staff)
    assert beat(client, reading_lesson).status_code == 403
    client.force_login(officer_user)
    draft = make_lesson(reading_lesson.get_course(), live=False)
    assert beat(client, draft).status_code == 404
    assert client.post(reverse("courses:heartbeat", args=[999999]), {"seconds": "1"}).status_code == 404
    locked = make_course(n_lessons=1, prerequisites=[make_course(n_lessons=1)])
    locked_lesson = make_lesson(locked)
    assert beat(client, locked_lesson).status_code == 403


@pytest.mark.django_db
def test_heartbeat_needs_the_csrf_token(officer_user, reading_lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_user)
    page = client.get(reading_lesson.url).content.decode()
    assert beat(client, reading_lesson).status_code == 403
    token = page.split('data-csrf="', 1)[1].split('"', 1)[0]
    assert beat(client, reading_lesson, csrfmiddlewaretoken=token).status_code == 200


@pytest.mark.django_db
def test_default_minimum_follows_the_text(db):
    course = make_course(n_lessons=0)
    lesson = make_lesson(course, min_read_seconds=None, body=markdown_body("字" * 2000))
    lesson.estimated_minutes = 60
    assert lesson.study.required_seconds == 200 and lesson.study.cap_seconds == 7200


@pytest.mark.django_db
def test_study_time_table_is_scoped_filtered_and_exported(client, officer_user, other_officer_user, hr_user,
                                                          trainer_user, reading_lesson, opened):
    age(officer_user.officer, 15)
    beat(client, reading_lesson)
    client.force_login(other_officer_user)
    client.get(reading_lesson.url)
    url = reverse("courses:study_time")
    client.force_login(officer_user)
    assert client.get(url).status_code == 403  # officers do not see the table
    client.force_login(hr_user)  # HR of 江北区 sees officer_a (江北), not officer_b (江南)
    html = client.get(url).content.decode()
    assert officer_user.officer.full_name in html and other_officer_user.officer.full_name not in html
    assert "15 秒" in html
    html = client.get(url, {"officer": "nobody"}).content.decode()
    assert officer_user.officer.full_name not in html
    assert client.get(url, {"course": "999999"}).status_code == 404
    response = client.get(url, {"course": reading_lesson.get_course().pk, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == officer_user.officer.employee_number and rows[1][6] == 15
    csv = b"".join(client.get(url, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert officer_user.officer.employee_number in csv and other_officer_user.officer.employee_number not in csv
    client.force_login(trainer_user)  # the city's trainer sees both
    html = client.get(url).content.decode()
    assert officer_user.officer.full_name in html and other_officer_user.officer.full_name in html
    assert client.get(url, {"export": "pdf"}).status_code == 404


@pytest.mark.django_db
def test_lesson_refuses_a_cap_below_its_minimum(db):
    lesson = make_lesson(make_course(n_lessons=0), min_read_seconds=300)
    lesson.study_cap_seconds = 100
    with pytest.raises(ValidationError) as exc:
        lesson.clean()
    assert exc.value.error_dict["study_cap_seconds"][0].code == "cap_below_minimum"
    lesson.study_cap_seconds = 300
    lesson.clean()
