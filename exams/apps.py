from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("考试")

    def ready(self):
        # deferred: the module reads the models, which the app registry loads first.
        from .references import register_references
        register_references()
