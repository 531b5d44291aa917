"""Question import from plain text and Word: the same checks and dry-run report as the
spreadsheet, by line (paragraph for Word); a Word file without questions is refused and
nothing is imported; the sample files import cleanly."""
import io
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exams import importer, importer_formats
from exams.models import Question

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "exams" / "static" / "exams"

TEXT = """[单选] 好题一：简易程序罚款上限？
A. 五十元
B. 二百元
答案：B
解析：第五十一条
分类：执法程序
难度：易

【多选题】坏题一：答案字母
A. 甲
B. 乙
答案：AE
分类：交通管理

[判断] 好题二：首违可以不罚。
答案：正确
分类：法律基础

[填空] 坏题二：题型

没有题型标记的一段

[单选] 坏题三：类别
A. a
B. b
乱写的一行
答案：A
分类：火星
"""
# line numbers: 1 good; 9–13 bad answer on line 12; 15 good; 19 bad type; 21 no marker;
# 23–28 an unreadable line 26 and a bad category on line 28


def lines_of(report):
    return [(e.row, e.column, e.code) for e in report.errors]


def test_text_dry_run_reports_problems_by_line_and_imports_nothing():
    report = importer_formats.run_import(TEXT.encode("utf-8"), "bank.txt", dry_run=True)
    assert report.total == 6
    assert [row for row, _p in report.good] == [1, 15]
    assert lines_of(report) == [(12, "答案", "bad_answer"), (19, "题型", "bad_type"), (21, "题型", "no_marker"),
                                (26, "整行", "unknown_line"), (28, "类别", "bad_category")]
    assert not report.imported and Question.objects.count() == 0


def test_text_import_reads_every_field_and_skips_duplicates():
    report = importer_formats.run_import(TEXT.encode("utf-8"), "bank.txt")
    assert report.created == 2
    q = Question.objects.get(text="好题一：简易程序罚款上限？")
    assert (q.qtype, q.category, q.difficulty, q.explanation) == ("single", "procedure", 1, "第五十一条")
    assert [(o.text, o.is_correct) for o in q.options.all()] == [("五十元", False), ("二百元", True)]
    again = importer_formats.run_import(TEXT.encode("utf-8"), "bank.txt", dry_run=True)
    assert [row for row, _t, _w in again.duplicates] == [1, 15]


def test_the_sample_files_import_cleanly():
    for name in ("question-import-sample.txt", "question-import-sample.docx"):
        Question.objects.all().delete()
        report = importer_formats.run_import((STATIC / name).read_bytes(), name)
        assert not report.errors and report.created == 6, name
    case = Question.objects.get(qtype="case")
    assert [p.score for p in case.rubric_points.all()] == [2, 3, 2]
    casefile = Question.objects.get(qtype="casefile")
    assert casefile.casefile_conclusion == "fail" and casefile.review_items.count() == 4


def make_docx(paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_reports_by_paragraph():
    data = make_docx(["[单选] 好题：占道经营", "A. 甲", "B. 乙", "答案：B", "分类：交通管理", "",
                      "[单选] 坏题：没有正确答案", "A. 甲", "B. 乙", "答案：", "分类：交通管理"])
    report = importer_formats.run_import(data, "bank.docx", dry_run=True)
    assert [row for row, _p in report.good] == [1]
    assert [(e.row, e.column) for e in report.errors] == [(10, "答案")]


@pytest.mark.parametrize("paragraphs", [[], ["", "  "], ["2026 年度题库", "第一部分 单选题"]])
def test_docx_without_questions_is_refused(paragraphs):
    with pytest.raises(importer.FileFormatError) as exc:
        importer_formats.run_import(make_docx(paragraphs), "empty.docx")
    assert "没有找到试题" in str(exc.value)
    assert Question.objects.count() == 0


def test_upload_of_a_docx_without_questions_says_why(client, trainer_user):
    client.force_login(trainer_user)
    upload = SimpleUploadedFile("empty.docx", make_docx(["只有标题"]))
    r = client.post(reverse("exams:bank_import"), {"file": upload, "action": "preview"})
    assert r.status_code == 400 and "没有找到试题" in r.content.decode()
    broken = SimpleUploadedFile("broken.docx", b"not a word file")
    r = client.post(reverse("exams:bank_import"), {"file": broken, "action": "preview"})
    assert r.status_code == 400 and "无法读取 Word 文件" in r.content.decode()
    assert Question.objects.count() == 0


def test_upload_preview_then_import_of_text(client, trainer_user):
    client.force_login(trainer_user)
    r = client.post(reverse("exams:bank_import"),
                    {"file": SimpleUploadedFile("bank.txt", TEXT.encode("utf-8")), "action": "preview"})
    body = r.content.decode()
    assert r.status_code == 200 and Question.objects.count() == 0
    assert "<td>12</td><td>答案</td>" in body
    token = r.context["token"]
    client.post(reverse("exams:bank_import"), {"token": token, "action": "import", "mode": "good"})
    assert Question.objects.count() == 2
