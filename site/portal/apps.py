from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .translations import flatten_languages


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        # deferred: site_address uses wagtail's Site model, not loadable before the apps are.
        from .site_address import sync_default_site

        post_migrate.connect(sync_default_site, sender=self, dispatch_uid="portal.sync_default_site")
        # Every app's catalogue is loaded now, while this process starts (gunicorn's master,
        # before it forks), and each language's fallback chain folded into one lookup.
        flatten_languages()
