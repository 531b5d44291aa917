from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasebankConfig(AppConfig):
    name = "casebank"
    verbose_name = _("案例库与法规库")

    def ready(self):
        # deferred: the signal handlers import the models, which exist only once the app registry is ready.
        from . import signal_handlers

        signal_handlers.register()
