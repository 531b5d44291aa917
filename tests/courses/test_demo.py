"""The demo loader: courses from the content files, assignments, sessions, the demo officer; idempotent."""
import io
import time

import pytest

from courses import demo
from courses.models import Assignment, Attendance, CourseEnrollment, CoursePage, LessonPage, OnsiteSession
from officers import demo as officers_demo


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_loads_once_and_second_run_is_fast():
    officers_demo.load(io.StringIO(), "Demo-Password-2026")
    out = io.StringIO()
    demo.load(out, "Demo-Password-2026")
    data = demo._read("courses.json")
    assert CoursePage.objects.count() == len(data) >= 12
    assert LessonPage.objects.live().count() == sum(len(c["lessons"]) for c in data) >= 40
    assert set(CoursePage.objects.values_list("tier", flat=True)) == {"entry", "inservice", "special", "advanced"}
    assert Assignment.objects.exists() and OnsiteSession.objects.count() == len(demo._read("sessions.json"))
    assert Attendance.objects.exists()
    assert CourseEnrollment.objects.filter(officer__user__username="officer", completed_at__isnull=False).exists()
    counts = [m.objects.count() for m in (CoursePage, LessonPage, Assignment, OnsiteSession, Attendance)]
    started = time.monotonic()
    demo.load(io.StringIO(), "Demo-Password-2026")
    assert time.monotonic() - started < 15
    assert [m.objects.count() for m in (CoursePage, LessonPage, Assignment, OnsiteSession, Attendance)] == counts
    assert "courses:" in out.getvalue()
