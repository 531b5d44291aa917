"""Import local regulations (地方性法规/规章) from a CSV file."""
from django.core.management.base import BaseCommand, CommandError

from casebank.importers import LOCAL_CSV_COLUMNS, StatuteImportError, import_local_regulations

COLUMNS_HELP = "; ".join(f"{c}{'*' if req else ''}: {desc}" for c, req, desc in LOCAL_CSV_COLUMNS)


class Command(BaseCommand):
    help = ("Import local regulations from a UTF-8 CSV with a header row, one row per article. "
            "Columns (* required): " + COLUMNS_HELP + ". Rows of one regulation share law_name. "
            "Any bad row stops the import with its row number; nothing is written.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            summary = import_local_regulations(options["file"])
        except (StatuteImportError, OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"导入失败，未写入任何数据：\n{exc}") from exc
        self.stdout.write(str(summary))
