"""Lesson and course completion, hours credited once (also under concurrency), the final exam, prerequisites."""
import datetime
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from courses import progress
from courses.models import CourseEnrollment, LessonProgress
from officers.events import course_completed, exam_passed
from officers.models import AuditLog, HoursEntry, hours_total
from tests.courses.factories import complete_course, lessons_of, make_course, make_lesson, open_long_ago
from tests.factories import make_units, make_user


@pytest.fixture
def completions():
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    course_completed.connect(listener, dispatch_uid="test-courses-completions")
    yield received
    course_completed.disconnect(dispatch_uid="test-courses-completions")


@pytest.mark.django_db
def test_lesson_needs_opening_and_minimum_time(officer_user):
    """A lesson that counts no study time: the minimum runs from the first opening."""
    officer = officer_user.officer
    course = make_course(n_lessons=0)
    lesson = make_lesson(course, min_read_seconds=60, study_mode="none")
    with pytest.raises(progress.LessonNotCompletable) as exc:
        progress.complete_lesson(officer, lesson, course)
    assert exc.value.code == "not_opened"
    first = progress.open_lesson(officer, lesson, course)
    again = progress.open_lesson(officer, lesson, course)
    assert first.pk == again.pk and again.opened_at == first.opened_at
    with pytest.raises(progress.LessonNotCompletable) as exc:
        progress.complete_lesson(officer, lesson, course)
    assert exc.value.code == "too_early"
    assert 55 <= progress.seconds_until_completable(first, lesson) <= 60
    LessonProgress.objects.filter(pk=first.pk).update(opened_at=timezone.now() - datetime.timedelta(seconds=61))
    assert progress.complete_lesson(officer, lesson, course) == (True, True)
    assert progress.complete_lesson(officer, lesson, course) == (False, False)


@pytest.mark.django_db
def test_course_completion_credits_hours_once(officer_user, completions, django_capture_on_commit_callbacks):
    officer = officer_user.officer
    course = make_course(n_lessons=3, hours="6.5")
    first, second, third = lessons_of(course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in (first, second):
            open_long_ago(officer, lesson, course)
            assert progress.complete_lesson(officer, lesson, course) == (True, False)
        assert not CourseEnrollment.objects.get(officer=officer, course=course).is_complete
        assert hours_total(officer, timezone.localdate().year) == 0
        open_long_ago(officer, third, course)
        assert progress.complete_lesson(officer, third, course) == (True, True)
        # Repeating the request, or re-evaluating, changes nothing.
        assert progress.complete_lesson(officer, third, course) == (False, False)
        assert progress.evaluate_course(officer, course) is False
    entry = HoursEntry.objects.get(officer=officer)
    assert (entry.hours, entry.source, entry.source_key) == (Decimal("6.5"), "course", f"course:{course.pk}")
    assert len(completions) == 1 and completions[0]["officer"] == officer and completions[0]["course"] == course
    assert AuditLog.objects.filter(action="course.completed", officer=officer).count() == 1


@pytest.mark.django_db
def test_repeated_http_posts_credit_once(client, officer_user):
    course = make_course(n_lessons=1, hours="4")
    lesson = lessons_of(course)[0]
    client.force_login(officer_user)
    assert client.get(lesson.url).status_code == 200  # opens it (min_read_seconds=0)
    url = reverse("courses:complete_lesson", args=[lesson.pk])
    for _i in range(3):
        response = client.post(url)
        assert response.status_code == 302
    assert HoursEntry.objects.filter(officer=officer_user.officer).count() == 1
    assert hours_total(officer_user.officer, timezone.localdate().year) == Decimal("4")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_completion_requests_credit_once():
    """Eight simultaneous "标记为已完成" requests on the last lesson: one completion, one ledger line, one event."""
    from django.test import Client

    units = make_units()
    user = make_user(unit=units["SZ-JB-01"])
    officer = user.officer
    course = make_course(n_lessons=2, hours="3")
    first, last = lessons_of(course)
    open_long_ago(officer, first, course)
    progress.complete_lesson(officer, first, course)
    open_long_ago(officer, last, course)
    received = []
    course_completed.connect(lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="test-concurrent")
    n = 8
    barrier = threading.Barrier(n)
    statuses, errors = [], []

    def worker():
        try:
            c = Client()
            c.force_login(user)
            barrier.wait(timeout=20)
            statuses.append(c.post(reverse("courses:complete_lesson", args=[last.pk])).status_code)
        except Exception as exc:  # noqa: BLE001 — asserted below
            errors.append(exc)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=worker) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        course_completed.disconnect(dispatch_uid="test-concurrent")
    assert errors == [] and statuses == [302] * n
    assert HoursEntry.objects.filter(officer=officer, source_key=f"course:{course.pk}").count() == 1
    assert CourseEnrollment.objects.filter(officer=officer, course=course, completed_at__isnull=False).count() == 1
    assert len(received) == 1


@pytest.mark.django_db
def test_final_exam_must_be_passed(officer_user, completions, django_capture_on_commit_callbacks):
    """With a published final exam, lessons alone do not complete the course; passing the exam does."""
    Exam = apps.get_model("exams", "Exam")
    officer = officer_user.officer
    course = make_course(n_lessons=1, hours="2")
    exam = Exam.objects.create(title="结业考试", kind="final", course=course, draft=False)
    Exam.objects.create(title="草稿考试", kind="final", course=course, draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, course)
        assert not CourseEnrollment.objects.get(officer=officer, course=course).is_complete
        assert not HoursEntry.objects.filter(officer=officer).exists()
        exam_passed.send(sender=Exam, officer=officer, sitting=None, exam=exam, score=90)
        exam_passed.send(sender=Exam, officer=officer, sitting=None, exam=exam, score=95)
    enrollment = CourseEnrollment.objects.get(officer=officer, course=course)
    assert enrollment.is_complete and enrollment.exam_passed_at is not None
    assert HoursEntry.objects.filter(officer=officer).count() == 1 and len(completions) == 1


@pytest.mark.django_db
def test_draft_final_exam_does_not_block(officer_user):
    Exam = apps.get_model("exams", "Exam")
    course = make_course(n_lessons=1)
    Exam.objects.create(title="草稿", kind="final", course=course, draft=True)
    complete_course(officer_user.officer, course)
    assert CourseEnrollment.objects.get(officer=officer_user.officer, course=course).is_complete


@pytest.mark.django_db
def test_prerequisites_gate_the_course(client, officer_user):
    """A higher-tier course shows why it is locked, its lessons cannot be opened or completed, until the prerequisite is done."""
    officer = officer_user.officer
    basic = make_course(title="基础课", n_lessons=1)
    advanced = make_course(title="进阶课", tier="inservice", n_lessons=1, prerequisites=[basic])
    lesson = lessons_of(advanced)[0]
    client.force_login(officer_user)

    page = client.get(advanced.url).content.decode()
    assert "本课程尚未解锁" in page and "基础课" in page and lesson.url not in page
    response = client.get(lesson.url)
    assert response.status_code == 403 and "基础课" in response.content.decode()
    assert not LessonProgress.objects.filter(officer=officer, lesson=lesson).exists()
    with pytest.raises(progress.LessonNotCompletable) as exc:
        progress.complete_lesson(officer, lesson, advanced)
    assert exc.value.code == "prerequisites_missing"
    response = client.post(reverse("courses:complete_lesson", args=[lesson.pk]), follow=True)
    body = response.content.decode()
    assert "请先完成先修课程：基础课" in body and "prerequisites_missing" not in body

    complete_course(officer, basic)
    assert progress.missing_prerequisites(officer, advanced) == []
    assert client.get(lesson.url).status_code == 200
    assert "本课程尚未解锁" not in client.get(advanced.url).content.decode()


@pytest.mark.django_db
def test_unpublished_lessons_do_not_count(officer_user):
    course = make_course(n_lessons=1)
    make_lesson(course, live=False)
    complete_course(officer_user.officer, course)
    assert CourseEnrollment.objects.get(officer=officer_user.officer, course=course).is_complete


@pytest.mark.django_db
def test_course_page_points_to_pending_final_exam(client, officer_user):
    Exam = apps.get_model("exams", "Exam")
    course = make_course(n_lessons=1)
    exam = Exam.objects.create(title="结业考试甲", kind="final", course=course, draft=False)
    complete_course(officer_user.officer, course)
    client.force_login(officer_user)
    html = client.get(course.url).content.decode()
    assert "通过本课程的结业考试后" in html and exam.get_absolute_url() in html
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "待结业考试" in html
