"""Make Django importable from a bench script: repo root and site/ on sys.path."""
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def setup(settings_module="bench.load.settings"):
    for p in (str(REPO / "site"), str(REPO)):
        if p not in sys.path:
            sys.path.insert(0, p)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
