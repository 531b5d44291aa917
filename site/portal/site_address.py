"""The Wagtail site's address follows settings.ACADEMY_PUBLIC_URL.

Wagtail builds the absolute links it puts in e-mails (``page.full_url``, e.g. "view the
page here" in workflow notifications) from the default Site's hostname and port, which
the first migration set to localhost:80. After every ``migrate`` (`make run` and the
production steps run it) the default site carries the public address instead.
"""
import logging

from django.conf import settings
from wagtail.models import Site

from config import public_url

logger = logging.getLogger("academy")


def sync_default_site(using="default", **kwargs):
    sites = Site.objects.using(using)
    site = sites.filter(is_default_site=True).first()
    if site is None:
        return None
    wanted = public_url.site_fields(settings.ACADEMY_PUBLIC_URL)
    if (site.hostname, site.port) != (wanted["hostname"], wanted["port"]):
        if sites.filter(**wanted).exclude(pk=site.pk).exists():
            logger.warning("default site not moved to %s: another site has that address", settings.ACADEMY_PUBLIC_URL)
            return site
        site.hostname, site.port = wanted["hostname"], wanted["port"]
        site.save(update_fields=["hostname", "port"])  # Wagtail's post_save clears its root path cache
    return site
