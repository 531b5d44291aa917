"""Settings for the test suite: fast hasher, in-memory default cache (the shared cache is the
database one, as in production), throwaway data folder."""
import os
import tempfile
from pathlib import Path

os.environ.setdefault("ACADEMY_DATA_DIR", tempfile.mkdtemp(prefix="academy-test-"))

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
