from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficersConfig(AppConfig):
    name = "officers"
    verbose_name = _("人员与资格")

    def ready(self):
        # Login auditing, and qualification rules following the cross-app events
        # (exam passed, course completed, hours added).
        from . import qualification_signals, signal_handlers  # noqa: F401
