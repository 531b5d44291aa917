"""Spreadsheet import: every bad row reported with row, column and reason; good rows or
none; duplicates reported, not doubled; the template and the command."""
import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from exams import importer
from exams.models import Question
from tests.exams.factories import make_question

pytestmark = pytest.mark.django_db

HEADER = importer.COLUMNS


def row(**cells):
    return [cells.get(c, "") for c in HEADER]


def sheet_csv(rows):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


GOOD = [
    row(题型="单选", 类别="执法程序", 难度="易", 题干="好题一：简易程序罚款上限？", 选项A="五十元", 选项B="二百元", 答案="B", 解析="第五十一条"),
    row(题型="多选", 类别="交通管理", 难度="中", 题干="好题二", 选项A="甲", 选项B="乙", 选项C="丙", 答案="AC"),
    row(题型="判断", 类别="法律基础", 题干="好题三", 答案="错误"),
    row(题型="案例分析", 类别="城市规划实施管理", 难度="难", 题干="好题四", 评分要点="认定事实|2\n适用法律|3"),
    row(题型="裁量", 类别="环境管理", 题干="好题五", 选项A="轻微", 选项B="一般", 答案="B", 罚款区间="500-2000"),
]
BAD = [
    row(题型="填空", 类别="执法程序", 题干="坏题：题型"),                                   # row 7
    row(题型="单选", 类别="火星", 题干="坏题：类别", 选项A="a", 选项B="b", 答案="A"),       # row 8
    row(题型="单选", 类别="执法程序", 题干="坏题：答案", 选项A="a", 选项B="b", 答案="E"),   # row 9
    row(题型="单选", 类别="执法程序", 题干="", 选项A="a", 选项B="b", 答案="A"),             # row 10
    row(题型="案例分析", 类别="执法程序", 题干="坏题：要点", 评分要点="没有分值"),            # row 11
    row(题型="判断", 类别="执法程序", 难度="很难", 题干="坏题：难度", 答案="也许"),           # row 12
]
DUP = [row(题型="判断", 类别="法律基础", 题干="好 题三", 答案="正确")]  # row 13: same text as row 4 (spaces ignored)


def test_preview_reports_every_bad_row_with_column_and_reason():
    header, body = importer.read_rows(sheet_csv(GOOD + BAD + DUP), "bank.csv")
    report = importer.analyse(header, body)
    assert report.total == 12 and len(report.good) == 5
    got = {(e.row, e.column, e.code) for e in report.errors}
    assert got == {
        (7, "题型", "bad_type"), (8, "类别", "bad_category"), (9, "答案", "bad_answer"),
        (10, "题干", "text_required"), (11, "评分要点", "bad_rubric"), (12, "难度", "bad_difficulty"),
        (12, "答案", "bad_truefalse"),
    }
    assert report.bad_rows == [7, 8, 9, 10, 11, 12]
    assert [d[0] for d in report.duplicates] == [13]
    assert Question.objects.count() == 0


def test_good_rows_only_imports_and_grades_correctly():
    report = importer.run_import(sheet_csv(GOOD + BAD), "bank.csv")
    assert report.created == 5 and Question.objects.count() == 5
    disc = Question.objects.get(text="好题五")
    content = disc.current_version.content
    assert content["discretion"]["correct_level"] == 2 and content["discretion"]["amount_min"] == "500.00"
    multi = Question.objects.get(text="好题二")
    assert [o.is_correct for o in multi.options.all()] == [True, False, True]
    assert Question.objects.get(text="好题三").truefalse_answer is False
    assert Question.objects.get(text="好题四").rubric_points.count() == 2


def test_all_or_nothing_imports_nothing_when_a_row_is_bad():
    report = importer.run_import(sheet_csv(GOOD + BAD), "bank.csv", all_or_nothing=True)
    assert not report.imported and Question.objects.count() == 0
    report = importer.run_import(sheet_csv(GOOD), "bank.csv", all_or_nothing=True)
    assert report.imported and Question.objects.count() == 5


def test_duplicates_of_the_bank_are_reported_not_doubled():
    make_question(text="好题一：简易程序罚款上限？")
    report = importer.run_import(sheet_csv(GOOD), "bank.csv")
    assert report.created == 4 and [d[0] for d in report.duplicates] == [2]
    assert Question.objects.filter(text="好题一：简易程序罚款上限？").count() == 1


def test_xlsx_export_round_trip_and_template(client, trainer_user):
    importer.run_import(sheet_csv(GOOD), "bank.csv")
    client.force_login(trainer_user)
    r = client.get(reverse("exams:bank_export", args=["xlsx"]))
    assert r.status_code == 200
    Question.objects.all().delete()
    report = importer.run_import(r.content, "bank.xlsx")
    assert report.created == 5 and not report.errors
    # exporting again then importing finds only duplicates
    r = client.get(reverse("exams:bank_export", args=["csv"]))
    report = importer.run_import(b"".join(r.streaming_content), "bank.csv", dry_run=True)
    assert len(report.duplicates) == 5 and not report.good
    t = client.get(reverse("exams:bank_template", args=["xlsx"]))
    assert t.status_code == 200 and t["Content-Disposition"].endswith('.xlsx"')
    report = importer.run_import(t.content, "template.xlsx", dry_run=True)
    assert not report.errors and len(report.good) == len(importer.TEMPLATE_EXAMPLES)


def test_upload_preview_then_import_in_the_browser(client, trainer_user):
    from django.core.files.uploadedfile import SimpleUploadedFile
    client.force_login(trainer_user)
    upload = SimpleUploadedFile("bank.csv", sheet_csv(GOOD + BAD), content_type="text/csv")
    r = client.post(reverse("exams:bank_import"), {"file": upload, "action": "preview"})
    body = r.content.decode()
    assert r.status_code == 200
    assert body.count('class="import-error"') == 7 and "行号" in body
    assert Question.objects.count() == 0
    token = r.context["token"]
    r = client.post(reverse("exams:bank_import"), {"token": token, "action": "import", "mode": "all"})
    assert Question.objects.count() == 0 and "未导入任何试题" in r.content.decode()
    upload = SimpleUploadedFile("bank.csv", sheet_csv(GOOD + BAD), content_type="text/csv")
    token = client.post(reverse("exams:bank_import"), {"file": upload, "action": "preview"}).context["token"]
    r = client.post(reverse("exams:bank_import"), {"token": token, "action": "import", "mode": "good"})
    assert Question.objects.count() == 5 and "已导入 5 道试题" in r.content.decode()
    bad = SimpleUploadedFile("bank.txt", b"x", content_type="text/plain")
    assert client.post(reverse("exams:bank_import"), {"file": bad}).status_code == 400


def test_import_command(tmp_path, capsys):
    path = tmp_path / "bank.csv"
    path.write_bytes(sheet_csv(GOOD + BAD))
    with pytest.raises(SystemExit):
        call_command("import_questions", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "row 7, column 题型" in out and "(dry run)" in out
    assert Question.objects.count() == 0
    with pytest.raises(SystemExit):
        call_command("import_questions", str(path), "--all-or-nothing")
    assert Question.objects.count() == 0
    path.write_bytes(sheet_csv(GOOD))
    call_command("import_questions", str(path))
    assert Question.objects.count() == 5
    call_command("import_questions", str(path))
    assert Question.objects.count() == 5 and "duplicates: 5" in capsys.readouterr().out


def test_missing_header_column_is_a_clear_error():
    with pytest.raises(importer.FileFormatError) as exc:
        importer.read_rows("题型,题干\n单选,x\n".encode(), "bank.csv")
    assert "类别" in str(exc.value)
