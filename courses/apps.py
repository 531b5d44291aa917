from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("课程")

    def ready(self):
        from officers.events import exam_passed

        from .progress import on_exam_passed

        exam_passed.connect(on_exam_passed, dispatch_uid="courses.on_exam_passed")
        register_references()


def register_references():
    """Lessons cite articles in their Markdown text (法条联想, see casebank.references)."""
    from casebank import references

    from .models import LessonPage

    def texts(lesson):
        return [("summary", lesson.summary or "", None)] + [("body", text, None) for text in lesson.markdown_texts()]

    def label(lesson):
        course = lesson.get_course()
        return f"{course.title} · {lesson.title}" if course else lesson.title

    references.register(LessonPage, references.LESSON, fields=texts, label=label)
