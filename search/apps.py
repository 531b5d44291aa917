from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("搜索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # deferred: the signal handlers import the models, which exist only once the app registry is ready.
        from search import checks, signal_handlers

        checks.refuse_to_start()
        signal_handlers.register(self)
