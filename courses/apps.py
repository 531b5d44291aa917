from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("课程")

    def ready(self):
        from officers.events import exam_passed

        from .progress import on_exam_passed

        exam_passed.connect(on_exam_passed, dispatch_uid="courses.on_exam_passed")
