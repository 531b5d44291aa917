"""System checks of the search configuration (run by every manage.py command and at startup).

Whoosh's index lives in files of one machine: with more than one app server
(``ACADEMY_APP_SERVERS`` > 1) each server would search its own copy and miss what was
published through the others, so that combination is refused — by the system check of every
``manage.py`` command and, for servers that run no checks (gunicorn), when the app loads
(``refuse_to_start``); the PostgreSQL backend (``ACADEMY_SEARCH_BACKEND=postgres``) keeps one
index in the shared database."""
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils.translation import gettext as _

WHOOSH = "search.backends.whoosh"
POSTGRES = "search.backends.postgres"


def _backends():
    conf = getattr(settings, "WAGTAILSEARCH_BACKENDS", None) or {}
    return {name: (params or {}).get("BACKEND", "") for name, params in conf.items()}


@checks.register(checks.Tags.compatibility)
def search_backend_fits_the_servers(app_configs=None, **kwargs):
    errors = []
    servers = int(getattr(settings, "ACADEMY_APP_SERVERS", 1) or 1)
    backends = _backends()
    if servers > 1 and any(b.startswith(WHOOSH) for b in backends.values()):
        errors.append(checks.Error(
            _("设置了 %(n)d 台应用服务器（ACADEMY_APP_SERVERS），但搜索使用 Whoosh 索引：它保存在单台服务器的文件中，"
              "各服务器会各自搜索自己的副本，在一台上发布的内容在另一台上搜不到。") % {"n": servers},
            hint=_("多台应用服务器请使用 PostgreSQL 数据库和 PostgreSQL 搜索后端：设置 ACADEMY_SEARCH_BACKEND=postgres，"
                   "再运行 manage.py update_index。"),
            id="search.E001"))
    if any(b.startswith(POSTGRES) for b in backends.values()) and connections["default"].vendor != "postgresql":
        errors.append(checks.Error(
            _("PostgreSQL 搜索后端需要 PostgreSQL 数据库（DATABASE_URL=postgres://…）。"),
            hint=_("单台服务器请使用默认的 Whoosh 搜索后端（不设置 ACADEMY_SEARCH_BACKEND）。"),
            id="search.E002"))
    return errors


def refuse_to_start():
    """Raise ImproperlyConfigured when the settings put Whoosh behind several app servers."""
    for error in search_backend_fits_the_servers():
        if error.id == "search.E001":
            raise ImproperlyConfigured(f"{error.msg} {error.hint}")
