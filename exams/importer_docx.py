"""Import of the question bank from Word (.docx): the document's paragraphs are read as the
lines of the plain-text format (exams.importer_text), so a question is a block of paragraphs
separated by an empty paragraph, and problems are reported by paragraph number. Tables,
headers and footers are not read; option letters must be typed (Word's automatic list
numbering is not part of the paragraph text)."""
import io

import docx
from django.utils.translation import gettext as _

from .importer import FileFormatError
from .importer_text import has_question, read_lines


def paragraphs(data):
    """[(paragraph number, text)] of a .docx file; a line break inside a paragraph gives two
    lines with the same number."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — any unreadable document (not a zip, not Word, damaged)
        raise FileFormatError(_("无法读取 Word 文件：%(e)s。请在 Word 中另存为 .docx 后重试。")
                              % {"e": exc.__class__.__name__}) from None
    lines = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        for text in (paragraph.text or "").replace("\r", "\n").split("\n"):
            lines.append((number, text))
    return lines


def read_docx(data):
    """A Report of an uploaded .docx file. A document without any question (empty, or no
    type marker anywhere) raises FileFormatError: nothing is imported."""
    lines = paragraphs(data)
    if not has_question(lines):
        raise FileFormatError(_("Word 文件中没有找到试题。每道题以题型标记开头，如“[单选]”，题与题之间空一段；"
                                "格式见导入说明。"))
    return read_lines(lines)
