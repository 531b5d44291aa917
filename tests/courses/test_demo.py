"""The demo loader: courses from the content files, assignments, sessions, the demo officer; idempotent."""
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import demo
from courses.models import Assignment, Attendance, CourseEnrollment, CoursePage, LessonPage, OnsiteSession
from officers import demo as officers_demo


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_loads_once_and_second_run_is_fast():
    officers_demo.load(io.StringIO(), "Demo-Password-2026")
    out = io.StringIO()
    with CaptureQueriesContext(connection) as first:
        demo.load(out, "Demo-Password-2026")
    data = demo._read("courses.json")
    assert CoursePage.objects.count() == len(data) >= 12
    assert LessonPage.objects.live().count() == sum(len(c["lessons"]) for c in data) >= 40
    assert set(CoursePage.objects.values_list("tier", flat=True)) == {"entry", "inservice", "special", "advanced"}
    assert Assignment.objects.exists() and OnsiteSession.objects.count() == len(demo._read("sessions.json"))
    assert Attendance.objects.exists()
    assert CourseEnrollment.objects.filter(officer__user__username="officer", completed_at__isnull=False).exists()
    counts = [m.objects.count() for m in (CoursePage, LessonPage, Assignment, OnsiteSession, Attendance)]
    first_queries = len(first.captured_queries)
    # The second run is fast because it skips what exists: it writes nothing and asks the
    # database a small fraction of what the first run did (counted, not timed).
    with CaptureQueriesContext(connection) as second:
        demo.load(io.StringIO(), "Demo-Password-2026")
    writes = [q["sql"] for q in second.captured_queries
              if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", q["sql"], re.I)]
    assert writes == []
    assert len(second.captured_queries) * 10 < first_queries, (len(second.captured_queries), first_queries)
    assert [m.objects.count() for m in (CoursePage, LessonPage, Assignment, OnsiteSession, Attendance)] == counts
    assert "courses:" in out.getvalue()
