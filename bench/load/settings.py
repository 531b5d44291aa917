"""Production settings for the load benchmark on plain HTTP over loopback.

Everything is config.settings.production except what plain http://127.0.0.1
needs: cookies without the Secure flag, no HSTS, the http origin trusted for
CSRF, and static files collected into the run's own folder (BENCH_STATIC_ROOT).
"""
import os
from pathlib import Path

# Production requires the public address; here it is the loopback server under test.
os.environ.setdefault("ACADEMY_PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('BENCH_PORT', '8765')}")

from config.settings.production import *  # noqa: E402,F401,F403
from config.settings.production import ALLOWED_HOSTS, DATA_DIR  # noqa: E402

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
_port = os.environ.get("BENCH_PORT", "8765")
CSRF_TRUSTED_ORIGINS = [f"http://{h}:{_port}" for h in ALLOWED_HOSTS] + [f"http://{h}" for h in ALLOWED_HOSTS]
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", Path(DATA_DIR) / "static"))

# Optional: the search backend under test (default: whatever production uses).
if os.environ.get("BENCH_SEARCH") == "whoosh":
    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "search.backends.whoosh", "PATH": str(Path(DATA_DIR) / "search-index")},
    }
