"""Import of the question bank from plain text (.txt), one question per block.

Blocks are separated by a blank line. A block:

    [单选] 适用简易程序当场作出行政处罚决定的，对公民可以处以的罚款上限是：
    A. 五十元
    B. 二百元
    C. 一千元
    D. 三千元
    答案：B
    解析：……
    分类：执法程序
    难度：易
    法条依据：中华人民共和国行政处罚法 第五十一条
    标签：简易程序

- the first line starts with the type marker ``[单选]`` ``[多选]`` ``[判断]`` ``[案例分析]`` ``[裁量]``
  ``[案卷评查]``
  (also 【】 brackets, "题" may follow the type, a question number may precede it);
  the stem follows the marker and may go on over the next lines;
- options ``A.`` … ``H.`` (also ``A、`` ``A：`` ``A)``), one a line;
- fields ``名称：值`` (full- or half-width colon): 答案, 解析, 分类 (or 类别), 难度, 法条依据 (or 法条),
  标签, 状态, 参考答案, 评分要点, 罚款区间 — their values read exactly as the spreadsheet columns
  of the same name (exams.importer); a field's value may go on over the next lines (评分要点:
  one "要点|分值" a line).

A 案卷评查 question carries the case file and the 评查标准 in three fields::

    [案卷评查] 请按评查标准评查下列案卷，逐项作出评查结论，并判定是否为合格卷。
    案卷材料：
    【立案审批表】
    案由：……
    【询问笔录】
    问：……
    答：……
    评查项目：
    否决|执法主体不合法|否
    否决|执法人员少于两人|是|询问笔录只记载一名执法人员
    卷面|文书填写不规范|2|是|1|询问笔录涂改处未捺印
    内容|证据材料不充分|10|否
    评查结论：不合格

- 案卷材料: each document starts with its name in 【】 on a line of its own; the lines after it
  are its text. A document's line may not itself start with a field name and a colon
  (答案：, 解析：, 依据：, 类别：, 状态： …): write 处罚依据： rather than 依据：; no empty line inside
  a block (an empty line ends the question);
- 评查项目: one item a line with the reference evaluation, "|" between fields: one-veto
  ``否决|项目|是或否[|评析]``, deduction ``卷面|项目|最高扣分|是或否[|扣分[|评析]]`` or ``内容|…``;
- 评查结论: 合格 or 不合格.

Every question is checked by the same rules as a spreadsheet row (exams.importer.parse_row);
problems are reported by line number, with the field, and nothing is imported in a dry run.
"""
import re

from django.utils.translation import gettext as _

from .importer import COLUMNS, LETTERS, TYPE_NAMES, FileFormatError, RowError, analyse

MARKER = re.compile(r"^\s*(?:\d+\s*[.、．)）]\s*)?[\[【]\s*(?P<type>[^\]】]{1,8}?)\s*[\]】]\s*(?P<rest>.*)$")
OPTION = re.compile(r"^\s*(?P<letter>[A-Ha-h])\s*[.、．:：)）]\s*(?P<text>.*)$")
FIELD_NAMES = {"答案": "答案", "解析": "解析", "分类": "类别", "类别": "类别", "难度": "难度", "法条依据": "法条依据",
               "法条": "法条依据", "依据": "法条依据", "标签": "标签", "状态": "状态", "参考答案": "参考答案",
               "评分要点": "评分要点", "罚款区间": "罚款区间", "案卷材料": "案卷材料", "评查项目": "评查项目",
               "评查结论": "评查结论"}
FIELD = re.compile(r"^\s*(?P<name>" + "|".join(sorted(FIELD_NAMES, key=len, reverse=True))
                   + r")\s*[:：]\s*(?P<value>.*)$")


def decode(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileFormatError(_("文本文件编码无法识别，请保存为 UTF-8。"))


def split_blocks(lines):
    """[[(line number, text)]] of the non-empty blocks of ``lines`` ([(number, text)])."""
    blocks, current = [], []
    for number, text in lines:
        if text.strip():
            current.append((number, text.rstrip()))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse_block(block):
    """(cells {column: text}, where {column: line number}, [RowError]) of one block."""
    first_no, first = block[0]
    m = MARKER.match(first)
    if not m:
        return None, None, [RowError(first_no, _("题型"), _("这一段没有题型标记，每道题应以 [单选] [多选] [判断] "
                                                            "[案例分析] [裁量] [案卷评查] 之一开头。"), "no_marker")]
    qtype = m.group("type").strip()
    if qtype not in TYPE_NAMES:
        return None, None, [RowError(first_no, _("题型"), _("题型“%(v)s”无效，应为 单选/多选/判断/案例分析/裁量/案卷评查。")
                                     % {"v": qtype}, "bad_type")]
    cells, where, errors = {"题型": qtype}, {"题型": first_no, "题干": first_no}, []
    stem = [m.group("rest").strip()]
    field, options_started = None, False
    for number, text in block[1:]:
        fm = FIELD.match(text)
        om = OPTION.match(text) if field is None else None
        if fm:
            field = FIELD_NAMES[fm.group("name")]
            if field in where and field not in ("题型", "题干"):
                errors.append(RowError(number, field, _("“%(f)s”重复出现。") % {"f": fm.group("name")}, "duplicate_field"))
            cells[field] = fm.group("value").strip()
            where[field] = number
        elif om:
            column = f"选项{om.group('letter').upper()}"
            if column in cells:
                errors.append(RowError(number, column, _("选项 %(l)s 重复出现。") % {"l": om.group("letter").upper()},
                                       "duplicate_option"))
            cells[column] = om.group("text").strip()
            where[column] = number
            options_started = True
        elif field is not None:
            cells[field] = f"{cells[field]}\n{text.strip()}" if cells[field] else text.strip()
        elif not options_started:
            stem.append(text.strip())
        else:
            errors.append(RowError(number, _("整行"), _("无法识别这一行：选项之后应是“答案：”等字段。"), "unknown_line"))
    cells["题干"] = "\n".join(s for s in stem if s)
    return cells, where, errors


def has_question(lines):
    """Whether any block of ``lines`` starts with a type marker."""
    return any(MARKER.match(block[0][1]) for block in split_blocks(lines))


def read_lines(lines):
    """A Report of the questions in ``lines`` ([(line number, text)]), before import: rows are
    blocks, errors carry the line of the field at fault. Raises FileFormatError when there is no
    question at all."""
    blocks = split_blocks(lines)
    if not has_question(lines):
        raise FileFormatError(_("文件中没有找到试题。每道题以题型标记开头，如“[单选]”，题与题之间空一行；格式见导入说明。"))
    body, located, structural, broken = [], {}, [], set()
    for block in blocks:
        cells, where, errors = parse_block(block)
        start = block[0][0]
        if errors:
            structural.extend(errors)
            broken.add(start)
        if cells is None:  # no question to check further
            continue
        located[start] = where
        body.append((start, [cells.get(c, "") for c in COLUMNS]))
    report = analyse(COLUMNS, body)
    report.good = [(row, parsed) for row, parsed in report.good if row not in broken]
    for error in report.errors:  # point at the line of the field, not only the block
        where = located.get(error.row, {})
        error.row = where.get(error.column) or where.get(_option_of(error.column), error.row)
    report.errors.extend(structural)
    report.errors.sort(key=lambda e: e.row)
    report.total = len(blocks)
    return report


def _option_of(column):
    """The option line that stands for a column about options (裁量 levels live in 选项A …)."""
    return f"选项{LETTERS[0]}" if column.startswith("选项") else column


def read_text(data):
    """A Report of an uploaded .txt file."""
    return read_lines(list(enumerate(decode(data).splitlines(), start=1)))

