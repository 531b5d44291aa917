"""The one way this project writes a spreadsheet (XLSX or CSV).

Every export — the question bank and its template, item analysis, HR lists, the
annual report — goes through this module, so every spreadsheet gets the same
guarantees:

- **No formulas from data.** Text that a spreadsheet program could take for a
  formula (first character ``= + - @``, their full-width forms ``＝ ＋ － ＠``, a
  leading tab, CR or LF, or any of these after leading whitespace) is never
  written as a formula: in XLSX it is a string cell marked "quote prefix" (what
  Excel itself does for text typed as ``'=…``), with the text unchanged; in CSV,
  which has no cell types, it gets a leading ``'`` (the OWASP rule). Importers
  undo that prefix with :func:`restore`.
- **Numbers are numbers.** ``int``, ``float`` and ``Decimal`` are numeric cells
  (a ``Decimal('40.0')`` keeps one decimal place through its number format);
  dates are date cells. Pass values, not their ``str()``.
- **Readable sheets.** The header row is bold and frozen, and each column is as
  wide as its content (CJK characters count double), within bounds.

Interface::

    sheet = Sheet(_("名册"), ["工号", Column("学时", number_format="0.0")], rows)
    return spreadsheet_response("xlsx", "名册.xlsx", sheet)      # or "csv"

``xlsx_bytes(*sheets)`` and ``csv_text(sheet)`` give the file contents without a
response. Built on openpyxl (already a dependency, and used nowhere else for
writing); CSV is written by the standard library, UTF-8 with a BOM so that
spreadsheet programs read Chinese.
"""
import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")

#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@＝＋－＠")
#: Control characters that also start a formula trick (a cell beginning with a tab, CR or LF).
CONTROL_STARTS = frozenset("\t\r\n")
#: Leading whitespace skipped before looking for a formula character.
LEADING_SPACE = " \t\r\n\u3000\xa0"
#: Characters XML 1.0 cannot carry; removed from XLSX text.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

MIN_WIDTH, MAX_WIDTH = 6, 60
#: Rows looked at to size the columns.
WIDTH_SAMPLE = 500
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass
class Column:
    """A column heading, with an optional fixed width (characters) and number format."""

    title: str
    width: float | None = None
    number_format: str | None = None


@dataclass
class Sheet:
    """One worksheet: a title, column headings (strings or Columns) and rows of values."""

    title: str
    columns: Sequence
    rows: Iterable[Sequence] = field(default_factory=list)

    def column_specs(self):
        return [c if isinstance(c, Column) else Column(str(c)) for c in self.columns]


# --- cell values --------------------------------------------------------------------------


def is_formula_like(text):
    """Whether a spreadsheet program could read this text as a formula."""
    if not isinstance(text, str) or not text:
        return False
    if text[0] in CONTROL_STARTS:
        return True
    return text.lstrip(LEADING_SPACE)[:1] in FORMULA_STARTS


def neutralise(text):
    """Text safe to put in a CSV cell: a leading ``'`` when it could be read as a formula."""
    return "'" + text if is_formula_like(text) else text


def restore(text):
    """Undo :func:`neutralise` on a cell read back from a CSV file."""
    if isinstance(text, str) and text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


def _is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _decimal_format(value):
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0:
        return "0." + "0" * min(-exponent, 6)
    return "0"


def _naive(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _text(value):
    return "" if value is None else str(value)


def csv_value(value):
    """A value as CSV text: numbers and dates plain, text neutralised."""
    if value is None:
        return ""
    if _is_number(value):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _naive(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(_text(value))


def display_width(value):
    """Width of a value in spreadsheet columns (wide CJK characters count two)."""
    if _is_number(value):
        text = str(value)
    elif isinstance(value, datetime.datetime):
        text = "0000-00-00 00:00"
    elif isinstance(value, datetime.date):
        text = "0000-00-00"
    else:
        text = _text(value)
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.split("\n")), default=0)


def column_widths(specs, sample):
    widths = []
    for i, spec in enumerate(specs):
        if spec.width:
            widths.append(spec.width)
            continue
        longest = max([display_width(spec.title)] + [display_width(row[i]) for row in sample if i < len(row)])
        widths.append(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))
    return widths


# --- XLSX -----------------------------------------------------------------------------------


def _xlsx_cell(ws, value, spec):
    if value is None:
        return None
    if _is_number(value):
        cell = WriteOnlyCell(ws, value=value)
        if spec is not None and spec.number_format:
            cell.number_format = spec.number_format
        elif isinstance(value, Decimal):
            cell.number_format = _decimal_format(value)
        return cell
    if isinstance(value, (datetime.date, datetime.datetime)):
        cell = WriteOnlyCell(ws, value=_naive(value))
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime.datetime) else DATE_FORMAT
        return cell
    text = _ILLEGAL_XML.sub("", _text(value))
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def _sheet_title(title, used):
    name = re.sub(r"[\[\]:*?/\\]", "_", str(title) or "Sheet")[:31]
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def write_xlsx(output, *sheets):
    """Write the sheets as one XLSX workbook to a binary file object."""
    wb = Workbook(write_only=True)
    used = set()
    bold = Font(bold=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=_sheet_title(sheet.title, used))
        specs = sheet.column_specs()
        rows = iter(sheet.rows)
        sample = [list(r) for r in islice(rows, WIDTH_SAMPLE)]
        for i, width in enumerate(column_widths(specs, sample), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        header = []
        for spec in specs:
            cell = _xlsx_cell(ws, spec.title, None)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for source in (sample, rows):
            for row in source:
                ws.append([_xlsx_cell(ws, v, specs[i] if i < len(specs) else None) for i, v in enumerate(row)])
    wb.save(output)


def xlsx_bytes(*sheets):
    buf = io.BytesIO()
    write_xlsx(buf, *sheets)
    return buf.getvalue()


# --- CSV ------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def csv_lines(sheet):
    """The sheet as CSV text, line by line, starting with a BOM."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_text(spec.title) for spec in sheet.column_specs()])
    for row in sheet.rows:
        yield writer.writerow([csv_value(v) for v in row])


def csv_text(sheet):
    return "".join(csv_lines(sheet))


# --- responses ------------------------------------------------------------------------------


def _disposition(filename):
    return content_disposition_header(True, filename)


def xlsx_response(filename, *sheets):
    response = HttpResponse(xlsx_bytes(*sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def csv_response(filename, sheet):
    """A streamed CSV of one sheet (rows are read lazily, so large lists keep memory flat)."""
    response = StreamingHttpResponse((line.encode("utf-8") for line in csv_lines(sheet)),
                                     content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response


def spreadsheet_response(fmt, filename, *sheets):
    """An XLSX of every sheet, or a CSV of the first one."""
    if fmt == "xlsx":
        return xlsx_response(filename, *sheets)
    if fmt == "csv":
        return csv_response(filename, sheets[0])
    raise ValueError(f"unknown spreadsheet format: {fmt}")
