"""The question-bank import formats by file type: spreadsheets (exams.importer), plain text
(exams.importer_text) and Word (exams.importer_docx), all giving the same Report by line."""
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import importer, importer_docx, importer_text

#: Accepted file types, as the upload form lists them.
SUFFIXES = (".xlsx", ".csv", ".txt", ".docx")
#: What the report's row numbers count, by file type.
LINE_LABELS = {".docx": gettext_lazy("段落号")}


def run_import(data, filename, *, dry_run=False, all_or_nothing=False, user=None):
    """Read and check the file, then (unless dry_run, or all_or_nothing with errors) import
    its good questions. Raises importer.FileFormatError for an unreadable or empty file."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".txt":
        report = importer_text.read_text(data)
    elif suffix == ".docx":
        report = importer_docx.read_docx(data)
    elif suffix in (".xlsx", ".csv"):
        return importer.run_import(data, filename, dry_run=dry_run, all_or_nothing=all_or_nothing, user=user)
    else:
        raise importer.FileFormatError(_("只支持 .xlsx、.csv、.txt 和 .docx 文件。"))
    return importer.import_report(report, dry_run=dry_run, all_or_nothing=all_or_nothing, user=user)


def line_label(filename):
    return LINE_LABELS.get(Path(filename).suffix.lower()) or _("行号")
