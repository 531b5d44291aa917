"""Import 行政法规, 部门规章 and 地方性法规 into the statute library (see casebank.regulations)."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from casebank.importers import StatuteImportError
from casebank.models import Law
from casebank.regulations import import_files, import_regulations


class Command(BaseCommand):
    help = ("Import regulations from the shipped archive: every 行政法规 and 部门规章 and the city-management "
            "local regulations of every province; --province adds all of a province's local regulations; "
            "--file imports Markdown texts in the same format. Idempotent; one transaction.")

    def add_arguments(self, parser):
        parser.add_argument("--archive", help="a regulation archive (default: casebank/data/regulations.tar.xz)")
        parser.add_argument("--province", action="append", default=[],
                            help="also import every local regulation of this province (repeatable), e.g. 浙江省")
        parser.add_argument("--if-changed", action="store_true",
                            help="skip when the archive and selection are the same as at the last import")
        parser.add_argument("--file", action="append", default=[],
                            help="a Markdown text <名称>(<YYYY-MM-DD>).md to import instead of the archive")
        parser.add_argument("--level", default=Law.LOCAL_REGULATION,
                            help="with --file: 效力级别 (行政法规 / 部门规章 / 地方性法规 / 地方政府规章)")
        parser.add_argument("--region-province", dest="file_province", default="",
                            help="with --file: the province of a local regulation")
        parser.add_argument("--city", default="", help="with --file: the city of a local regulation")
        parser.add_argument("--issuing-body", default="", help="with --file: 制定机关")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            if options["file"]:
                summary = import_files(options["file"], level=options["level"],
                                       province=options["file_province"], city=options["city"],
                                       issuing_body=options["issuing_body"])
            else:
                summary = import_regulations(options.get("archive"), provinces=options["province"],
                                             if_changed=options["if_changed"])
        except StatuteImportError as exc:
            raise CommandError(f"导入失败，未写入任何数据：\n{exc}") from exc
        except DatabaseError as exc:
            raise CommandError(f"导入失败，数据库拒绝写入（{exc}），已全部回滚，未写入任何数据。") from exc
        self.stdout.write(f"{summary}（{time.monotonic() - started:.1f} 秒）")
