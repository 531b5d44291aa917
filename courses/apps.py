from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("课程")

    def ready(self):
        # Connects the signal receivers and the 法条联想 references.
        # deferred: the receivers import the models, which exist only once the app registry is ready.
        from .receivers import connect

        connect()
