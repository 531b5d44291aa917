from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("课程")

    def ready(self):
        # Imported here, once the app registry is ready: it imports the models and
        # connects the signal receivers and the 法条联想 references.
        from .receivers import connect

        connect()
