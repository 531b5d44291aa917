"""What the courses app plugs into the other apps once Django is ready
(courses.apps.CoursesConfig.ready): the exams' passed-exam event and the case
bank's article references (法条联想)."""
from casebank import references
from officers.events import exam_passed

from .pages import LessonPage
from .progress import on_exam_passed


def connect():
    exam_passed.connect(on_exam_passed, dispatch_uid="courses.on_exam_passed")
    register_references()


def register_references():
    """Lessons cite articles in their summary and Markdown text (法条联想, see casebank.references):
    the fields LessonPage declares as CitedContent."""

    def label(lesson):
        course = lesson.get_course()
        return f"{course.title} · {lesson.title}" if course else lesson.title

    references.register(LessonPage, references.LESSON, fields=LessonPage.citation_field_texts, label=label)
