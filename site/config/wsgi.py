"""WSGI entry point: ``gunicorn config.wsgi`` (README "Production"; `make run`).

Like manage.py, it puts both site/ (the project package ``config``) and the repository
root (the apps: officers, casebank, …) on sys.path, so the server starts whatever its
working directory or --chdir/--pythonpath: ``cd site && gunicorn config.wsgi`` and
``gunicorn --config site/config/gunicorn.py config.wsgi`` from the root both work.
"""
import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent.parent
for _path in (str(SITE_DIR.parent), str(SITE_DIR)):  # site/ ends up first, as in manage.py
    if _path not in sys.path:
        sys.path.insert(0, _path)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
