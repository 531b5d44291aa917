"""Rebuild the index of the places that cite each article (法条联想). Idempotent."""
from django.core.management.base import BaseCommand

from casebank.references import rebuild_all


class Command(BaseCommand):
    help = "Rebuild which cases, power-list items, benchmarks, lessons and questions cite each article."

    def handle(self, *args, **options):
        counts = rebuild_all(stdout=self.stdout)
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Article references rebuilt: {total} rows ("
                                             + ", ".join(f"{k} {n}" for k, n in counts.items()) + ")."))
