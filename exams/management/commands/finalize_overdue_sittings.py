"""Finalise sittings past their deadline plus grace (idempotent; safe to run from cron)."""
from django.core.management.base import BaseCommand

from exams.engine import finalize_overdue


class Command(BaseCommand):
    help = "Finalise and grade every open sitting whose deadline (plus grace) has passed."

    def handle(self, *args, **options):
        n = finalize_overdue()
        self.stdout.write(f"finalised {n} overdue sitting(s)")
