"""Settings for the test suite: fast hasher, in-memory default cache (the shared cache is the
database one, as in production), throwaway data folder."""
import atexit
import os
import shutil
import tempfile
from pathlib import Path


def _remove_if_still_owner(path, owner_pid):
    # Forked children inherit exit handlers; only the process that made the folder removes it.
    if os.getpid() == owner_pid:
        shutil.rmtree(path, ignore_errors=True)


# A throwaway data folder per test run, removed when the process that made it exits; the
# processes it starts (test workers, servers) inherit the variable and share the folder.
if "ACADEMY_DATA_DIR" not in os.environ:
    os.environ["ACADEMY_DATA_DIR"] = tempfile.mkdtemp(prefix="academy-test-")
    atexit.register(_remove_if_still_owner, os.environ["ACADEMY_DATA_DIR"], os.getpid())

from .base import *  # noqa: E402,F401,F403
from .base import DATA_DIR  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-not-secret-1f4e9a7c3b2d"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
MEDIA_ROOT = Path(DATA_DIR) / "media"
SEARCH_INDEX_DIR = Path(DATA_DIR) / "search-index"
DEMO_CONTENT_ALLOWED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file-based test database (not shared-cache memory), so threads in
# concurrency tests get SQLite's real locking: WAL, busy timeout, IMMEDIATE.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(Path(DATA_DIR) / "test.sqlite3")}  # noqa: F405
