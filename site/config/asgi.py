"""ASGI entry point (site/ and the repository root on sys.path, as in config/wsgi.py)."""
import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent.parent
for _path in (str(SITE_DIR.parent), str(SITE_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
