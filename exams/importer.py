"""Import and export of the question bank as .xlsx or .csv (题库模板).

One row per question. Columns (the header row names them; order does not matter):
题型 | 类别 | 难度 | 题干 | 选项A … 选项H | 答案 | 解析 | 法条依据 | 标签 | 状态 | 参考答案 | 评分要点 | 罚款区间
| 案卷材料 | 评查项目 | 评查结论

- 题型: 单选 / 多选 / 判断 / 案例分析 / 裁量 / 案卷评查 (or single, multi, truefalse, case, discretion,
  casefile)
- 类别: a duty area or subject, by name (市政管理 …) or code (municipal …)
- 难度: 易 / 中 / 难 or 1 / 2 / 3
- 答案: single "B"; multi "ACD"; true/false 正确 / 错误 (对/错, √/×, T/F);
  discretion: the letter of the right level (levels are given in 选项A …)
- 评分要点 (case analysis): one point per line, "要点|分值"
- 罚款区间 (discretion): the right amount band in yuan, "500-2000"
- 法条依据, 标签: several separated by ；or ,
- 案卷材料 (案卷评查): the documents, each starting with its name in 【】 on a line of its own
  ("【询问笔录】"), its text on the following lines (attachments are added in the admin)
- 评查项目 (案卷评查): one item a line with the reference evaluation, fields separated by "|":
  one-veto "否决|项目|是或否[|评析]"; deduction "卷面|项目|最高扣分|是或否[|扣分[|评析]]" or "内容|…"
  (是: the file has the problem; a found 卷面 / 内容 problem needs its deduction)
- 评查结论 (案卷评查): 合格 or 不合格 (合格卷 / 不合格卷)

Bad rows are reported with row number, column and reason; duplicates (the same
text as a question in the bank or an earlier row) are reported and skipped.
"""
import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from casebank.domain import CATEGORY_CHOICES
from portal.spreadsheets import Column, Sheet, csv_text, restore, xlsx_bytes

from .models import (
    CaseFileConclusion, CaseFileDocument, Difficulty, Option, Question, QuestionStatus, QuestionType, ReviewItem,
    ReviewItemKind, RubricPoint,
)
from .validation import validate_question

LETTERS = "ABCDEFGH"
OPTION_COLUMNS = [f"选项{c}" for c in LETTERS]
COLUMNS = ["题型", "类别", "难度", "题干"] + OPTION_COLUMNS + [
    "答案", "解析", "法条依据", "标签", "状态", "参考答案", "评分要点", "罚款区间", "案卷材料", "评查项目", "评查结论"]
REQUIRED = ["题型", "类别", "题干"]

T = QuestionType
TYPE_NAMES = {"单选": T.SINGLE, "单选题": T.SINGLE, "多选": T.MULTI, "多选题": T.MULTI, "判断": T.TRUEFALSE,
              "判断题": T.TRUEFALSE, "案例分析": T.CASE, "案例分析题": T.CASE, "案例": T.CASE, "裁量": T.DISCRETION,
              "裁量题": T.DISCRETION, "案卷评查": T.CASEFILE, "案卷评查题": T.CASEFILE, "评查": T.CASEFILE}
TYPE_NAMES.update({code: code for code, _l in T.choices})
TYPE_OUT = {T.SINGLE: "单选", T.MULTI: "多选", T.TRUEFALSE: "判断", T.CASE: "案例分析", T.DISCRETION: "裁量",
            T.CASEFILE: "案卷评查"}
#: 案卷评查: item kinds and conclusions by the words the formats use.
KIND_NAMES = {"否决": ReviewItemKind.VETO, "一票否决": ReviewItemKind.VETO, "卷面": ReviewItemKind.FORM,
              "内容": ReviewItemKind.CONTENT}
KIND_OUT = {ReviewItemKind.VETO: "否决", ReviewItemKind.FORM: "卷面", ReviewItemKind.CONTENT: "内容"}
CONCLUSION_NAMES = {"合格": CaseFileConclusion.PASS, "合格卷": CaseFileConclusion.PASS,
                    "不合格": CaseFileConclusion.FAIL, "不合格卷": CaseFileConclusion.FAIL}
CONCLUSION_OUT = {CaseFileConclusion.PASS: "合格", CaseFileConclusion.FAIL: "不合格"}
DOCUMENT_TITLE = re.compile(r"^\s*【(?P<title>[^】]{1,100})】\s*(?P<rest>.*)$")
CATEGORY_NAMES = {str(label): code for code, label in CATEGORY_CHOICES}
CATEGORY_NAMES.update({code: code for code, _l in CATEGORY_CHOICES})
CATEGORY_OUT = {code: str(label) for code, label in CATEGORY_CHOICES}
DIFF_NAMES = {"易": 1, "中": 2, "难": 3, "1": 1, "2": 2, "3": 3, "简单": 1, "中等": 2, "困难": 3}
DIFF_OUT = {v: str(label) for v, label in Difficulty.choices}
STATUS_NAMES = {str(label): code for code, label in QuestionStatus.choices}
STATUS_NAMES.update({code: code for code, _l in QuestionStatus.choices})
STATUS_OUT = {code: str(label) for code, label in QuestionStatus.choices}
TRUE_WORDS = {"正确", "对", "是", "√", "T", "TRUE", "Y"}
FALSE_WORDS = {"错误", "错", "否", "×", "X", "F", "FALSE", "N"}
SPLIT = re.compile(r"[；;,，\n]+")
TAG_MAX = 100  # taggit's tag name length
#: The column a validation error (exams.validation) is reported in.
COLUMN_OF_CODE = {
    "bad_type": "题型", "text_required": "题干", "text_too_long": "题干", "too_few_options": "选项A",
    "single_correct": "答案", "multi_correct": "答案", "truefalse_answer": "答案", "rubric_required": "评分要点",
    "bad_rubric_score": "评分要点", "too_few_levels": "选项A", "bad_levels": "选项A",
    "discretion_correct_level": "答案", "discretion_band": "罚款区间",
    "casefile_documents_required": "案卷材料", "casefile_bad_document": "案卷材料",
    "casefile_items_required": "评查项目", "casefile_bad_item": "评查项目", "casefile_bad_max": "评查项目",
    "casefile_bad_deduction": "评查项目", "casefile_section_total": "评查项目", "casefile_conclusion": "评查结论",
    "casefile_veto_conclusion": "评查结论",
}


@dataclass
class RowError:
    row: int
    column: str
    message: str
    code: str


@dataclass
class Report:
    total: int = 0
    good: list = field(default_factory=list)  # (row number, parsed dict)
    errors: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)  # (row number, text)
    created: int = 0
    imported: bool = False

    @property
    def bad_rows(self):
        return sorted({e.row for e in self.errors})


# --- reading -------------------------------------------------------------------------------


class FileFormatError(ValueError):
    pass


def read_rows(data, filename):
    """(header, [(row number, [cells])]) of an uploaded file; row numbers as a spreadsheet shows them."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 — any unreadable workbook
            raise FileFormatError(_("无法读取 Excel 文件：%(e)s") % {"e": exc}) from None
        ws = wb.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise FileFormatError(_("CSV 文件编码无法识别，请保存为 UTF-8。"))
        # restore(): undo the formula guard our own CSV export puts on text like "=…"
        rows = [[restore(c).strip() for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise FileFormatError(_("只支持 .xlsx 和 .csv 文件。"))
    if not rows:
        raise FileFormatError(_("文件是空的。"))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileFormatError(_("表头缺少列：%(c)s。请使用题库模板。") % {"c": "、".join(missing)})
    body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(c for c in r)]
    return header, body


# --- parsing one row ------------------------------------------------------------------------


#: No number of the bank reaches 10^10 (a fine fits 12 digits with 2 decimals); larger ones
#: ("1e999") are refused as unreadable before they reach a model field.
DIGITS_BEFORE_POINT = 10


def _decimal(text):
    try:
        d = Decimal(text.replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() and d.adjusted() < DIGITS_BEFORE_POINT else None


def parse_row(rowno, cells):
    """(parsed dict, [RowError]) for one row given as {column: text}."""
    errors = []

    def err(column, message, code):
        errors.append(RowError(rowno, column, message, code))

    qtype = TYPE_NAMES.get(cells.get("题型", ""))
    if not qtype:
        err("题型", _("题型“%(v)s”无效，应为 单选/多选/判断/案例分析/裁量/案卷评查。") % {"v": cells.get("题型", "")},
            "bad_type")
    category = CATEGORY_NAMES.get(cells.get("类别", ""))
    if not category:
        err("类别", _("类别“%(v)s”无效。") % {"v": cells.get("类别", "")}, "bad_category")
    diff_text = cells.get("难度", "") or "中"
    difficulty = DIFF_NAMES.get(diff_text.replace(".0", ""))
    if not difficulty:
        err("难度", _("难度“%(v)s”无效，应为 易/中/难。") % {"v": diff_text}, "bad_difficulty")
    text = cells.get("题干", "")
    status = STATUS_NAMES.get(cells.get("状态", "") or QuestionStatus.ACTIVE)
    if not status:
        err("状态", _("状态“%(v)s”无效，应为 草稿/启用/停用。") % {"v": cells.get("状态", "")}, "bad_status")
    options = []
    for col in OPTION_COLUMNS:
        value = cells.get(col, "")
        if value:
            if len(options) != OPTION_COLUMNS.index(col):
                err(col, _("选项不连续：%(c)s 之前有空选项。") % {"c": col}, "option_gap")
            if len(value) > 500:
                err(col, _("选项过长（超过 500 字）。"), "option_too_long")
            options.append(value)
    answer = cells.get("答案", "").upper().replace(" ", "").replace("，", "").replace(",", "")
    parsed = {
        "qtype": qtype, "category": category, "difficulty": difficulty, "text": text, "status": status,
        "explanation": cells.get("解析", ""), "reference_answer": cells.get("参考答案", ""),
        "article_refs": [a.strip() for a in SPLIT.split(cells.get("法条依据", "")) if a.strip()],
        "tags": list(dict.fromkeys(t.strip() for t in SPLIT.split(cells.get("标签", "")) if t.strip())),
        "options": [], "truefalse": None, "rubric": [], "levels": [], "correct_level": None,
        "amount_min": None, "amount_max": None, "documents": [], "items": [], "conclusion": "",
    }
    if any(len(t) > TAG_MAX for t in parsed["tags"]):
        err("标签", _("单个标签不能超过 %(n)s 字。") % {"n": TAG_MAX}, "tag_too_long")
    # Below: reading the cells only. Whether the question can be graded (enough options, one
    # right answer, levels …) is decided by exams.validation, as for the admin form and the model.
    if qtype in (QuestionType.SINGLE, QuestionType.MULTI):
        letters = list(answer)
        if any(c not in LETTERS[: len(options)] for c in letters) or len(set(letters)) != len(letters):
            err("答案", _("答案“%(v)s”不是有效的选项字母。") % {"v": answer}, "bad_answer")
        parsed["options"] = [(o, LETTERS[i] in letters) for i, o in enumerate(options)]
    elif qtype == QuestionType.TRUEFALSE:
        if answer in TRUE_WORDS or cells.get("答案", "") in TRUE_WORDS:
            parsed["truefalse"] = True
        elif answer in FALSE_WORDS or cells.get("答案", "") in FALSE_WORDS:
            parsed["truefalse"] = False
        else:
            err("答案", _("判断题答案应为 正确 或 错误。"), "bad_truefalse")
    elif qtype == QuestionType.CASE:
        for line in re.split(r"[\n；;]+", cells.get("评分要点", "")):
            line = line.strip()
            if not line:
                continue
            point, sep, score = line.rpartition("|")
            value = _decimal(score) if sep else None
            if not sep or not point.strip() or value is None or value <= 0:
                err("评分要点", _("评分要点“%(v)s”格式应为“要点|分值”。") % {"v": line}, "bad_rubric")
                continue
            parsed["rubric"].append((point.strip(), value))
    elif qtype == QuestionType.DISCRETION:
        if answer and (len(answer) != 1 or answer not in LETTERS[: len(options)]):
            err("答案", _("裁量题答案应为正确等级的字母。"), "bad_answer")
        elif answer:
            parsed["correct_level"] = LETTERS.index(answer) + 1
        parsed["levels"] = [{"order": i + 1, "name": o} for i, o in enumerate(options)]
        band = cells.get("罚款区间", "")
        if band:
            m = re.fullmatch(r"\s*([\d.,]+)\s*[-~～至到]\s*([\d.,]+)\s*元?\s*", band)
            lo, hi = (_decimal(m.group(1)), _decimal(m.group(2))) if m else (None, None)
            if lo is None or hi is None:
                err("罚款区间", _("罚款区间“%(v)s”格式应为“下限-上限”，如 500-2000。") % {"v": band}, "bad_band")
            parsed["amount_min"], parsed["amount_max"] = lo, hi
    elif qtype == QuestionType.CASEFILE:
        parse_casefile(cells, parsed, err)
    if qtype:
        seen = {e.column for e in errors}
        for e in validate_question(build_question(parsed, with_tags=False).content()):
            column = COLUMN_OF_CODE.get(e.code, "题干")
            if column not in seen:  # one reason per cell: a cell that cannot be read says so first
                err(column, e.messages[0], e.code)
                seen.add(column)
    return parsed, errors


def parse_casefile(cells, parsed, err):
    """Read the 案卷材料, 评查项目 and 评查结论 cells of a 案卷评查 row into ``parsed``."""
    for line in cells.get("案卷材料", "").splitlines():
        m = DOCUMENT_TITLE.match(line)
        if m:
            parsed["documents"].append([m.group("title").strip(), m.group("rest").strip()])
        elif not parsed["documents"]:
            if line.strip():
                err("案卷材料", _("案卷材料应以文书名称开头，如“【询问笔录】”，其后各行为文书内容。"), "bad_documents")
                break
        else:
            text = parsed["documents"][-1][1]
            parsed["documents"][-1][1] = f"{text}\n{line.rstrip()}" if text else line.strip()
    for line in cells.get("评查项目", "").splitlines():
        if not line.strip():
            continue
        item = _review_item(line)
        if item is None:
            err("评查项目", _("评查项目“%(v)s”格式应为“否决|项目|是或否”或“卷面|项目|最高扣分|是或否|扣分”"
                          "（内容项目同卷面）。") % {"v": line.strip()[:60]}, "bad_review_item")
            continue
        parsed["items"].append(item)
    conclusion = cells.get("评查结论", "").strip()
    if conclusion:
        if conclusion not in CONCLUSION_NAMES:
            err("评查结论", _("评查结论“%(v)s”无效，应为 合格 或 不合格。") % {"v": conclusion}, "bad_conclusion")
        parsed["conclusion"] = CONCLUSION_NAMES.get(conclusion, "")


def _yes_no(word):
    word = word.strip().upper()
    return True if word in TRUE_WORDS or word == "有" else False if word in FALSE_WORDS or word == "无" else None


def _review_item(line):
    """(kind, text, max deduction, finding, deduction, note) of one 评查项目 line, or None."""
    parts = [p.strip() for p in line.split("|")]
    kind = KIND_NAMES.get(parts[0])
    if kind is None or len(parts) < 3 or not parts[1]:
        return None
    if kind == ReviewItemKind.VETO:
        finding = _yes_no(parts[2])
        if finding is None or len(parts) > 4:
            return None
        return (kind, parts[1], None, finding, None, parts[3] if len(parts) > 3 else "")
    if len(parts) < 4 or len(parts) > 6:
        return None
    top, finding = _decimal(parts[2]), _yes_no(parts[3])
    deduction = _decimal(parts[4]) if len(parts) > 4 and parts[4] else None
    if top is None or finding is None or (len(parts) > 4 and parts[4] and deduction is None):
        return None
    return (kind, parts[1], top, finding, deduction if finding else None, parts[5] if len(parts) > 5 else "")


def analyse(header, body):
    """A Report of every row: good rows, errors (row, column, reason), duplicates."""
    report = Report(total=len(body))
    existing = set(Question.objects.values_list("text_hash", flat=True))
    seen = {}
    for rowno, row in body:
        cells = {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
        parsed, errors = parse_row(rowno, cells)
        if errors:
            report.errors.extend(errors)
            continue
        digest = Question.hash_text(parsed["text"])
        if digest in existing:
            report.duplicates.append((rowno, parsed["text"][:60], _("题库中已有相同题干的试题")))
            continue
        if digest in seen:
            report.duplicates.append((rowno, parsed["text"][:60], _("与第 %(n)s 行题干相同") % {"n": seen[digest]}))
            continue
        seen[digest] = rowno
        report.good.append((rowno, parsed))
    return report


def build_question(parsed, user=None, *, with_tags=True):
    """An unsaved Question holding the row's options, rubric points and tags in memory:
    what validation reads (``content()``) and what ``create_question`` saves. (Adding tags
    creates missing tag names, so a dry run leaves them out.)"""
    q = Question(
        qtype=parsed["qtype"], category=parsed["category"] or "", difficulty=parsed["difficulty"] or 2,
        text=parsed["text"], status=parsed["status"] or QuestionStatus.ACTIVE, explanation=parsed["explanation"],
        reference_answer=parsed["reference_answer"], article_refs=parsed["article_refs"],
        truefalse_answer=parsed["truefalse"], discretion_levels=parsed["levels"],
        discretion_correct_level=parsed["correct_level"], discretion_amount_min=parsed["amount_min"],
        discretion_amount_max=parsed["amount_max"], casefile_conclusion=parsed.get("conclusion") or "",
        created_by=user if user is not None and user.pk else None,
    )
    q.options = [Option(sort_order=i, text=t, is_correct=c) for i, (t, c) in enumerate(parsed["options"])]
    q.rubric_points = [RubricPoint(sort_order=i, text=t, score=s) for i, (t, s) in enumerate(parsed["rubric"])]
    q.casefile_documents = [CaseFileDocument(sort_order=i, title=t[:100], text=body)
                            for i, (t, body) in enumerate(parsed.get("documents") or [])]
    q.review_items = [ReviewItem(sort_order=i, kind=kind, text=text[:300], max_deduction=top, finding=finding,
                                 deduction=deduction, note=note)
                      for i, (kind, text, top, finding, deduction, note) in enumerate(parsed.get("items") or [])]
    if with_tags and parsed["tags"]:
        q.tags.add(*parsed["tags"])
    return q


def create_question(parsed, user=None):
    q = build_question(parsed, user)
    q.save()  # with its options, rubric points and tags
    q.publish_version()
    return q


def run_import(data, filename, *, dry_run=False, all_or_nothing=False, user=None):
    """Read, check and (unless dry_run, or all_or_nothing with errors) import. Returns the Report."""
    header, body = read_rows(data, filename)
    return import_report(analyse(header, body), dry_run=dry_run, all_or_nothing=all_or_nothing, user=user)


def import_report(report, *, dry_run=False, all_or_nothing=False, user=None):
    """Import the good rows of an analysed Report (unless dry_run, or all_or_nothing with errors)."""
    if dry_run or (all_or_nothing and report.errors):
        return report
    with transaction.atomic():
        for _rowno, parsed in report.good:
            create_question(parsed, user)
            report.created += 1
    report.imported = True
    return report


# --- export and template --------------------------------------------------------------------


def question_row(q):
    options = list(q.options.all())
    row = {c: "" for c in COLUMNS}
    row.update({"题型": TYPE_OUT[q.qtype], "类别": CATEGORY_OUT.get(q.category, q.category),
                "难度": DIFF_OUT.get(q.difficulty, ""), "题干": q.text, "解析": q.explanation,
                "法条依据": "；".join(q.article_refs or []), "标签": "；".join(q.tag_list),
                "状态": STATUS_OUT.get(q.status, q.status), "参考答案": q.reference_answer})
    if q.qtype in (QuestionType.SINGLE, QuestionType.MULTI):
        for i, o in enumerate(options[: len(LETTERS)]):
            row[OPTION_COLUMNS[i]] = o.text
        row["答案"] = "".join(LETTERS[i] for i, o in enumerate(options[: len(LETTERS)]) if o.is_correct)
    elif q.qtype == QuestionType.TRUEFALSE:
        row["答案"] = "正确" if q.truefalse_answer else "错误"
    elif q.qtype == QuestionType.CASE:
        row["评分要点"] = "\n".join(f"{p.text}|{p.score.normalize():f}" for p in q.rubric_points.all())
    elif q.qtype == QuestionType.DISCRETION:
        levels = q.discretion_level_list()
        for i, lv in enumerate(levels[: len(LETTERS)]):
            row[OPTION_COLUMNS[i]] = lv["name"]
            if lv["order"] == q.discretion_correct_level:
                row["答案"] = LETTERS[i]
        if q.discretion_amount_min is not None and q.discretion_amount_max is not None:
            row["罚款区间"] = f"{q.discretion_amount_min.normalize():f}-{q.discretion_amount_max.normalize():f}"
    elif q.qtype == QuestionType.CASEFILE:
        row["案卷材料"] = "\n".join(f"【{d.title}】\n{d.text}".rstrip() for d in q.casefile_documents.all())
        row["评查项目"] = "\n".join(review_item_line(item) for item in q.review_items.all())
        row["评查结论"] = CONCLUSION_OUT.get(q.casefile_conclusion, "")
    return [row[c] for c in COLUMNS]


def review_item_line(item):
    """One 评查项目 line of the import format for a ReviewItem."""
    finding = "是" if item.finding else "否"
    note = item.note.replace("\n", " ").replace("|", "｜")
    if item.kind == ReviewItemKind.VETO:
        parts = [KIND_OUT[item.kind], item.text, finding, note]
    else:
        top = f"{item.max_deduction.normalize():f}" if item.max_deduction is not None else ""
        deduction = f"{item.deduction.normalize():f}" if item.finding and item.deduction is not None else ""
        parts = [KIND_OUT[item.kind], item.text, top, finding, deduction, note]
    return "|".join(parts).rstrip("|")


TEMPLATE_EXAMPLES = [
    ["单选", "执法程序", "易", "适用简易程序当场作出行政处罚决定的，对公民可以处以的罚款上限是：",
     "五十元", "二百元", "一千元", "三千元", "", "", "", "", "B",
     "《行政处罚法》第五十一条：违法事实确凿并有法定依据，对公民处以二百元以下罚款的，可以当场作出行政处罚决定。",
     "中华人民共和国行政处罚法 第五十一条", "简易程序", "启用", "", "", ""],
    ["多选", "执法程序", "中", "作出行政处罚决定之前，行政机关应当告知当事人：", "拟作出的行政处罚内容", "事实、理由及依据",
     "陈述、申辩、要求听证的权利", "执法人员的家庭住址", "", "", "", "", "ABC",
     "《行政处罚法》第四十四条。", "中华人民共和国行政处罚法 第四十四条", "告知", "启用", "", "", ""],
    ["判断", "法律基础", "易", "初次违法且危害后果轻微并及时改正的，可以不予行政处罚。", "", "", "", "", "", "", "", "",
     "正确", "《行政处罚法》第三十三条第一款。", "中华人民共和国行政处罚法 第三十三条", "不予处罚", "启用", "", "", ""],
    ["案例分析", "城市规划实施管理", "难", "某户在自家屋顶未经许可加建彩钢板房，请分析应如何处理。", "", "", "", "", "", "", "",
     "", "", "《城乡规划法》第六十四条。", "中华人民共和国城乡规划法 第六十四条", "违法建设", "启用",
     "先认定是否取得规划许可，再判断能否采取改正措施消除影响……", "认定未取得建设工程规划许可证|2\n区分可改正与无法改正并说明处理|3\n指出程序要求（告知、听证）|2", ""],
    ["裁量", "交通管理", "中", "某商户首次在人行道上摆放商品占道经营，经劝导当场改正。应如何裁量？",
     "不予处罚", "警告", "罚款", "", "", "", "", "", "A", "首违不罚。", "中华人民共和国行政处罚法 第三十三条", "占道经营",
     "启用", "", "", "0-0"],
]

CASEFILE_EXAMPLE = {
    "题型": "案卷评查", "类别": "执法文书", "难度": "中",
    "题干": "请按评查标准评查下列案卷（虚构），逐项作出评查结论，并判定是否为合格卷。",
    "案卷材料": "【立案审批表】\n案由：擅自在街道两侧堆放物料\n立案日期：2026年3月2日\n"
                "【询问笔录】\n询问时间：2026年3月2日\n执法人员：王某（执法证号略）\n问：门前人行道上的建材是谁堆放的？\n答：是我店里的。",
    "评查项目": "否决|执法主体不合法|否\n否决|执法人员少于两人|是|询问笔录只记载一名执法人员\n"
                "卷面|文书填写不规范|2|否\n内容|证据材料不充分|10|是|4|缺少现场照片",
    "评查结论": "不合格", "解析": "执法人员不得少于两人（《行政处罚法》第四十二条）。",
    "法条依据": "中华人民共和国行政处罚法 第四十二条", "标签": "案卷评查", "状态": "启用",
}
TEMPLATE_EXAMPLES = [row + [""] * (len(COLUMNS) - len(row)) for row in TEMPLATE_EXAMPLES] + [
    [CASEFILE_EXAMPLE.get(c, "") for c in COLUMNS]]


TEMPLATE_NOTES = [
    "题库模板填写说明（每行一道题，第一行为表头，列顺序可调整）",
    "题型：单选 / 多选 / 判断 / 案例分析 / 裁量 / 案卷评查",
    "类别：市政管理、环境管理、交通管理、应急管理、城市规划实施管理、法律基础、执法程序、执法文书、文明执法与沟通",
    "难度：易 / 中 / 难",
    "选项A—选项H：选择题的选项；裁量题在此填写裁量等级（如 轻微、一般、较重、严重）",
    "答案：单选填一个字母，如 B；多选填多个字母，如 ACD；判断填 正确 或 错误；裁量题填正确等级的字母",
    "评分要点（案例分析题）：每行一个要点，格式“要点|分值”",
    "罚款区间（裁量题）：正确的罚款金额范围（元），如 500-2000",
    "法条依据、标签：多个用分号分隔",
    "案卷材料（案卷评查题）：每份文书以单独一行的“【文书名称】”开头，其后各行为文书内容；附件在管理后台添加",
    "评查项目（案卷评查题）：每行一项，附参考评查：一票否决项“否决|项目|是或否|评析”；"
    "扣分项“卷面|项目|最高扣分|是或否|扣分|评析”或“内容|……”（卷面共 20 分，内容共 80 分；评析可省略）",
    "评查结论（案卷评查题）：合格 或 不合格；认定一票否决项的案卷只能是不合格",
    "状态：草稿 / 启用 / 停用（留空为启用）",
    "导入前可先“预检”：列出每个有问题的行号、列名和原因；题干相同的试题视为重复，不会重复导入。",
]


def bank_sheet(rows, *, title=None):
    """The question bank (or the template's examples) as a spreadsheet sheet."""
    return Sheet(title or _("题库"), COLUMNS, rows)


def build_xlsx(rows, *, title=None):
    return xlsx_bytes(bank_sheet(rows, title=title))


def build_csv(rows):
    return csv_text(bank_sheet(rows)).encode("utf-8")


def template_sheets():
    return [bank_sheet(TEMPLATE_EXAMPLES, title=_("题库模板")),
            Sheet(_("填写说明"), [Column(TEMPLATE_NOTES[0], width=100)], [[line] for line in TEMPLATE_NOTES[1:]])]


def template_xlsx():
    return xlsx_bytes(*template_sheets())
