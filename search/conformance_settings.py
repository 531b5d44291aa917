"""Settings to run modelsearch's own backend test suite against search.backends.whoosh,
or against search.backends.postgres with SEARCH_CONFORMANCE_BACKEND=postgres (and a
PostgreSQL DATABASE_URL).

    python -m django test search.conformance --settings=search.conformance_settings

Needs modelsearch's ``search`` fixture, kept in the repository at
tests/search/conformance/ (SEARCH_CONFORMANCE_DIR may point elsewhere).
"""
import os
import tempfile
from pathlib import Path

from modelsearch.test.settings import *  # noqa: F401,F403
from modelsearch.test.settings import INSTALLED_APPS

REPO_DIR = Path(__file__).resolve().parent.parent
FIXTURE_DIR = Path(os.environ.get("SEARCH_CONFORMANCE_DIR", REPO_DIR / "tests" / "search" / "conformance"))
FIXTURE_DIRS = [str(FIXTURE_DIR)]

_tmp = Path(tempfile.mkdtemp(prefix="search-conformance-"))
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(_tmp / "db.sqlite3")}}
if os.environ.get("DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
    # The project's own test run (which starts this suite) already uses
    # test_<name>; this suite gets a database of its own beside it.
    BACKEND_NAME = os.environ.get("SEARCH_CONFORMANCE_BACKEND", "whoosh")
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_conformance_{BACKEND_NAME}"}

INSTALLED_APPS = [*INSTALLED_APPS, "search"]
SEARCH_INDEX_DIR = _tmp / "index"
SEARCH_CONFORMANCE_BACKEND = os.environ.get("SEARCH_CONFORMANCE_BACKEND", "whoosh")
MODELSEARCH_BACKENDS = {
    "default": {"BACKEND": f"search.backends.{SEARCH_CONFORMANCE_BACKEND}", "PATH": str(SEARCH_INDEX_DIR)},
}
WAGTAILSEARCH_BACKENDS = MODELSEARCH_BACKENDS
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
