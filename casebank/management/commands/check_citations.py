"""Check the statute citations of a text: one JSON object per citation and line."""
import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from casebank.citations import find_citations


class Command(BaseCommand):
    help = ("Print one JSON object per citation found in FILE (or standard input): "
            '{"text": ..., "law": full name or null, "article": integer or null, '
            '"status": "ok" | "repealed" | "unknown_law" | "unknown_article"}. '
            "With --date, a law not in force on that date is reported as not_in_force. "
            "A name that could mean several laws is unknown_law (see --verbose).")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="text file (UTF-8); standard input when omitted")
        parser.add_argument("--date", help="date the text speaks for, YYYY-MM-DD")
        parser.add_argument("--verbose", action="store_true",
                            help="add successor, message, candidates (the laws an ambiguous name could mean) "
                                 "and note (a local regulation of another region than the bureau's) fields")

    def handle(self, *args, **options):
        path = options.get("file")
        date = options.get("date")
        if date:
            try:
                date = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date 应为 YYYY-MM-DD：{date}") from exc
        try:
            if path and path != "-":
                with open(path, encoding="utf-8-sig") as fh:
                    text = fh.read()
            else:
                text = sys.stdin.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from exc
        for c in find_citations(text, date, fetch_articles=False):
            obj = c.as_json()
            if options["verbose"]:
                obj["successor"] = c.successor.full_name if c.successor else None
                obj["message"] = c.message
                obj["candidates"] = [law.full_name for law in c.candidates]
                obj["note"] = c.note
            self.stdout.write(json.dumps(obj, ensure_ascii=False))
