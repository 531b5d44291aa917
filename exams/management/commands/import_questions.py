"""Import questions from an .xlsx or .csv file in the 题库模板 layout, or from a .txt or Word .docx file
in the text format (exams.importer_text)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exams import importer, importer_formats


class Command(BaseCommand):
    help = "Import questions from FILE (.xlsx, .csv, .txt or .docx); bad rows and duplicates are reported."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")
        parser.add_argument("--all-or-nothing", action="store_true",
                            help="import nothing if any row has a problem (default: import the good rows)")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        try:
            report = importer_formats.run_import(path.read_bytes(), path.name, dry_run=opts["dry_run"],
                                                 all_or_nothing=opts["all_or_nothing"])
        except importer.FileFormatError as exc:
            raise CommandError(str(exc)) from None
        for e in report.errors:
            self.stdout.write(f"row {e.row}, column {e.column}: {e.message} [{e.code}]")
        for row, text, why in report.duplicates:
            self.stdout.write(f"row {row}: duplicate, skipped — {why}: {text}")
        self.stdout.write(
            f"rows: {report.total}, good: {len(report.good)}, bad: {len(report.bad_rows)}, "
            f"duplicates: {len(report.duplicates)}, imported: {report.created}"
            + (" (dry run)" if opts["dry_run"] else "")
            + (" (nothing imported: all-or-nothing)" if opts["all_or_nothing"] and report.errors else "")
        )
        if report.errors:
            raise SystemExit(1)
