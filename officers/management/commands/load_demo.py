"""Load the demo content of every app, in dependency order. Idempotent: a second
run creates nothing new and finishes in seconds."""
import importlib
import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

#: Each module has load(stdout, password). Missing modules are skipped.
DEMO_STEPS = [
    "officers.demo",
    "casebank.demo",
    "courses.demo",
    "exams.demo",
    "officers.demo_records",
    "casebank.demo_casework",
    "officers.demo_notices",
    "casebank.demo_references",
    "search.demo",
]


class Command(BaseCommand):
    help = "Load the demo bureau, people, statutes, cases, courses, exams and records (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="run only these steps (module names)")

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
            raise CommandError("Demo content is disabled in these settings (production).")
        password = os.environ.get("DEMO_PASSWORD") or settings.DEMO_PASSWORD_DEFAULT
        for name in DEMO_STEPS:
            if options["only"] and name not in options["only"]:
                continue
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            started = time.monotonic()
            self.stdout.write(f"{name} …")
            module.load(self.stdout, password)
            self.stdout.write(f"  done in {time.monotonic() - started:.1f}s")
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
