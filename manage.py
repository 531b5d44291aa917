#!/usr/bin/env python
"""Command-line entry point for 执法学堂."""
import os
import re
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
# The Django project package lives in site/ (see DESIGN.md: "site" is a
# standard-library module name, so the folder is put on sys.path instead).
sys.path.insert(0, str(BASE_DIR / "site"))

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def refuse_public_runserver(argv):
    """With DEBUG on (config.settings.dev), `runserver` listens on loopback only: its
    technical error pages list every URL pattern and settings. `make run` is the way to
    serve the site (gunicorn, DEBUG off)."""
    if len(argv) < 2 or argv[1] != "runserver":
        return
    addrport = next((a for a in argv[2:] if not a.startswith("-")), "")
    if not addrport or addrport.isdigit():
        return  # Django's default address, 127.0.0.1
    match = re.fullmatch(r"(\[[^\]]+\]|[^:]+|[0-9a-fA-F:]+)(?::\d+)?", addrport)
    host = match.group(1) if match else addrport
    if host in LOOPBACK:
        return
    from django.conf import settings

    if settings.DEBUG:
        sys.exit(f"manage.py runserver {addrport}: refused, DEBUG is on ({os.environ['DJANGO_SETTINGS_MODULE']}) "
                 "and would show every visitor the URL patterns and settings. Serve on 127.0.0.1, or use `make run`.")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    refuse_public_runserver(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
