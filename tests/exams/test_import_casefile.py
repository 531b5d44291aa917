"""案卷评查 questions in every import format (xlsx, text, Word): documents, the 评查标准 with the
reference evaluation and the conclusion are read; problems are reported by row or line with the
column; the export reads back in."""
import io

import docx
import pytest
from openpyxl import Workbook

from exams import importer, importer_formats
from exams.models import Question

pytestmark = pytest.mark.django_db

GOOD_TEXT = """[案卷评查] 评查题一：请评查下列案卷。
案卷材料：
【立案审批表】
案由：擅自在街道两侧堆放物料
承办人：王某、赵某
【行政处罚决定书】
决定日期：2026年3月9日
评查项目：
否决|程序违法|否
否决|执法人员少于两人|否
卷面|文书填写不规范|2|是|1|决定书未写明日期的年份
内容|证据材料未编目|3|否
评查结论：合格
分类：执法文书
难度：中"""

BAD_TEXT = """[案卷评查] 评查题二：格式错误的评查项目。
案卷材料：
询问笔录没有写名称
评查项目：
否决|程序违法
卷面|文书填写不规范|25|是|1
评查结论：优秀
分类：执法文书"""

BAD_VETO = """[案卷评查] 评查题三：一票否决的合格卷。
案卷材料：
【询问笔录】
问：……
评查项目：
否决|执法人员少于两人|是
评查结论：合格
分类：执法文书"""


def check_good(q):
    assert q.qtype == "casefile" and q.casefile_conclusion == "pass"
    docs = list(q.casefile_documents.all())
    assert [(d.title, d.text) for d in docs] == [("立案审批表", "案由：擅自在街道两侧堆放物料\n承办人：王某、赵某"),
                                                ("行政处罚决定书", "决定日期：2026年3月9日")]
    items = [(i.kind, i.text, i.max_deduction, i.finding, i.deduction, i.note) for i in q.review_items.all()]
    assert items == [("veto", "程序违法", None, False, None, ""), ("veto", "执法人员少于两人", None, False, None, ""),
                     ("form", "文书填写不规范", 2, True, 1, "决定书未写明日期的年份"),
                     ("content", "证据材料未编目", 3, False, None, "")]
    assert q.current_version.content["casefile"]["items"][2]["deduction"] == "1.00"


def test_text_import_reads_a_casefile_and_reports_bad_ones_by_line():
    data = "\n\n".join([GOOD_TEXT, BAD_TEXT, BAD_VETO]).encode("utf-8")
    report = importer_formats.run_import(data, "bank.txt", dry_run=True)
    assert not Question.objects.exists() and len(report.good) == 1
    errors = {(e.row, e.column, e.code) for e in report.errors}
    # BAD_TEXT starts on line 17: 案卷材料 on 18, 评查项目 on 20, 评查结论 on 23; BAD_VETO's 评查结论 on line 32
    assert {(18, "案卷材料", "bad_documents"), (20, "评查项目", "bad_review_item"), (23, "评查结论", "bad_conclusion"),
            (32, "评查结论", "casefile_veto_conclusion")} <= errors
    messages = " ".join(e.message for e in report.errors)
    assert "否决|程序违法" in messages and "一票否决" in messages
    report = importer_formats.run_import(data, "bank.txt")
    assert report.created == 1
    check_good(Question.objects.get())


def test_word_import_reads_a_casefile():
    document = docx.Document()
    for line in GOOD_TEXT.splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    report = importer_formats.run_import(buf.getvalue(), "bank.docx")
    assert not report.errors and report.created == 1
    check_good(Question.objects.get())


def test_xlsx_import_and_export_round_trip():
    cells = {"题型": "案卷评查", "类别": "执法文书", "难度": "中", "题干": "评查题一：请评查下列案卷。",
             "案卷材料": "【立案审批表】\n案由：擅自在街道两侧堆放物料\n承办人：王某、赵某\n【行政处罚决定书】\n决定日期：2026年3月9日",
             "评查项目": "否决|程序违法|否\n否决|执法人员少于两人|否\n卷面|文书填写不规范|2|是|1|决定书未写明日期的年份\n"
                         "内容|证据材料未编目|3|否",
             "评查结论": "合格卷"}
    bad = dict(cells, 题干="评查题二", 评查项目="内容|证据材料未编目|3|是", 评查结论="合格")
    wb = Workbook()
    ws = wb.active
    ws.append(importer.COLUMNS)
    ws.append([cells.get(c, "") for c in importer.COLUMNS])
    ws.append([bad.get(c, "") for c in importer.COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    report = importer_formats.run_import(buf.getvalue(), "bank.xlsx")
    assert [(e.row, e.column, e.code) for e in report.errors] == [(3, "评查项目", "casefile_bad_deduction")]
    assert report.created == 1
    q = Question.objects.get()
    check_good(q)
    exported = importer.question_row(q)
    row = dict(zip(importer.COLUMNS, exported))
    assert row["题型"] == "案卷评查" and row["评查结论"] == "合格"
    assert row["评查项目"].splitlines()[2] == "卷面|文书填写不规范|2|是|1|决定书未写明日期的年份"
    Question.objects.all().delete()
    again = importer.analyse(importer.COLUMNS, [(2, exported)])
    assert not again.errors and len(again.good) == 1


def test_the_template_example_imports():
    body = [(i + 2, row) for i, row in enumerate(importer.TEMPLATE_EXAMPLES)]
    report = importer.analyse(importer.COLUMNS, body)
    assert not report.errors and len(report.good) == len(importer.TEMPLATE_EXAMPLES)
    assert report.good[-1][1]["qtype"] == "casefile"


def _casefile_block(n, item):
    return (f"[案卷评查] 评查题{n}：请评查下列案卷。\n案卷材料：\n【询问笔录】\n问：……\n评查项目：\n{item}\n"
            "评查结论：不合格\n分类：执法文书")


@pytest.mark.parametrize("item,code", [
    ("内容|证据材料未编目|1e999|是|1", "bad_review_item"),  # a number no field holds: unreadable, not a crash
    ("卷面|文书填写不规范|2|是|1e999", "bad_review_item"),
    ("卷面|文书填写不规范|2|是|1.25", "casefile_bad_deduction"),  # would be stored as 1.2
    ("卷面|文书填写不规范|0.04|否", "casefile_bad_max"),  # would be stored as 0.0
])
def test_a_deduction_the_item_cannot_hold_is_reported_not_stored(item, code):
    report = importer_formats.run_import(_casefile_block(1, item).encode("utf-8"), "bank.txt")
    assert report.created == 0 and not Question.objects.exists()
    assert [(e.row, e.column, e.code) for e in report.errors] == [(5, "评查项目", code)]
