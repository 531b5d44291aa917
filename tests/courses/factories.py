"""Builders for course tests: pages under the migration-created 课程中心."""
import datetime
import itertools
import json
import uuid
from decimal import Decimal

from django.utils import timezone

from courses.models import CourseIndexPage, CoursePage, LessonPage, LessonProgress

_seq = itertools.count(1)


def course_index():
    return CourseIndexPage.objects.get()


def markdown_body(text="## 小标题\n正文。"):
    return json.dumps([{"type": "markdown", "value": text, "id": str(uuid.uuid4())}], ensure_ascii=False)


def make_course(*, title=None, tier="entry", hours="4", n_lessons=2, prerequisites=(), index=None, **fields):
    """A live course with ``n_lessons`` live lessons (completable at once: min_read_seconds=0)."""
    n = next(_seq)
    index = index or course_index()
    course = CoursePage(title=title or f"课程{n}", slug=f"course-{n}", tier=tier, hours=Decimal(hours),
                        live=True, **fields)
    index.add_child(instance=course)
    if prerequisites:
        course.prerequisites.set(list(prerequisites))
        course.save()
    for i in range(n_lessons):
        make_lesson(course, title=f"{course.title}第{i + 1}课")
    return CoursePage.objects.get(pk=course.pk)


def make_lesson(course, *, title=None, body=None, min_read_seconds=0, live=True, summary="", **fields):
    n = next(_seq)
    lesson = LessonPage(title=title or f"课时{n}", slug=f"lesson-{n}", live=live, min_read_seconds=min_read_seconds,
                        body=body if body is not None else markdown_body(), summary=summary, **fields)
    course.add_child(instance=lesson)
    return lesson


def lessons_of(course, live_only=True):
    qs = LessonPage.objects.child_of(course).order_by("path")
    return list(qs.live() if live_only else qs)


def open_long_ago(officer, lesson, course, minutes=10):
    """Open a lesson as if the officer had done so some minutes ago."""
    from courses.progress import open_lesson

    progress = open_lesson(officer, lesson, course)
    LessonProgress.objects.filter(pk=progress.pk).update(
        opened_at=timezone.now() - datetime.timedelta(minutes=minutes))
    return progress


def complete_course(officer, course):
    from courses.progress import complete_lesson

    for lesson in lessons_of(course):
        open_long_ago(officer, lesson, course)
        complete_lesson(officer, lesson, course)
