"""Tiered courses and lessons (Wagtail pages), learning progress, course
assignments and on-site teaching sessions.

The public interface of the app's models: Django and the other apps import them
from here. They are defined one layer apart, and this module only re-exports them:
the records of learning in courses.records (below the rules in courses.progress and
courses.learning), the pages in courses.pages (above them), the vocabulary in
courses.choices. Inside the app, import those modules, not this one.

Page tree: CourseIndexPage (课程中心) → CoursePage (课程) → LessonPage (课时).
"""
from .choices import (  # noqa: F401 (re-exported)
    DUTY_AREA_LABELS, LEGAL_REVIEW_WORKFLOW, TIER_ADVANCED, TIER_CHOICES, TIER_ENTRY, TIER_INSERVICE, TIER_RANK,
    TIER_SPECIAL, current_year,
)
from .pages import CourseIndexPage, CoursePage, LessonPage  # noqa: F401 (re-exported)
from .records import (  # noqa: F401 (re-exported)
    Assignment, Attendance, CourseEnrollment, LessonProgress, OnsiteSession, SessionSignup,
)

__all__ = [
    "Assignment", "Attendance", "CourseEnrollment", "CourseIndexPage", "CoursePage", "DUTY_AREA_LABELS",
    "LEGAL_REVIEW_WORKFLOW", "LessonPage", "LessonProgress", "OnsiteSession", "SessionSignup", "TIER_ADVANCED",
    "TIER_CHOICES", "TIER_ENTRY", "TIER_INSERVICE", "TIER_RANK", "TIER_SPECIAL", "current_year",
]
