#!/usr/bin/env python
"""Command-line entry point for 执法学堂."""
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
# The Django project package lives in site/ (see DESIGN.md: "site" is a
# standard-library module name, so the folder is put on sys.path instead).
sys.path.insert(0, str(BASE_DIR / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
