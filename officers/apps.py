from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_tables(using="default", **kwargs):
    """After every migrate (make run, make test, CI, the production steps): the table of
    the shared database cache (settings.CACHES["shared"]); nothing when it exists."""
    call_command("createcachetable", database=using, verbosity=0)


class OfficersConfig(AppConfig):
    name = "officers"
    verbose_name = _("人员与资格")

    def ready(self):
        # Login auditing, and qualification rules following the cross-app events
        # (exam passed, course completed, hours added).
        # deferred: the receivers' modules use the models, which are not loaded when this module is.
        from . import notice_signals, qualification_signals, signal_handlers  # noqa: F401

        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="officers.create_cache_tables")
