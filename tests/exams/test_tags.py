"""Question tags are real tags (taggit), matched exactly: a draw rule or the bank filter
for 罚款 does not take questions tagged 罚款决定. The old text tags are converted by a
data migration."""
import csv
import io
import random

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from openpyxl import load_workbook
from taggit.models import Tag

from exams import engine, importer
from exams.models import PaperMode, Question
from tests.exams.factories import make_exam, make_question

pytestmark = pytest.mark.django_db


def tagged(*names, **kw):
    q = make_question(**kw)
    q.tags.add(*names)
    q.save()
    return q


def test_draw_rule_matches_the_tag_exactly():
    fine = [tagged("罚款") for _ in range(2)]
    decision = [tagged("罚款决定") for _ in range(3)]
    tagged("罚款", status="retired")
    exam = make_exam(mode=PaperMode.RULES, rules=[{"count": 2, "tag": "罚款"}])
    for seed in range(5):
        paper = engine.draw_paper(exam, random.Random(seed))
        assert {q.pk for q, _p in paper} == {q.pk for q in fine}
    assert set(exam.draw_rules.get().candidates()) == set(fine)
    short = make_exam(mode=PaperMode.RULES, rules=[{"count": 3, "tag": "罚款"}])
    with pytest.raises(engine.ExamError) as exc:
        engine.draw_paper(short, random.Random(1))
    assert exc.value.code == "draw_short"
    assert {q.pk for q, _p in engine.draw_paper(make_exam(mode=PaperMode.RULES, rules=[{"count": 3, "tag": "罚款决定"}]),
                                                 random.Random(2))} == {q.pk for q in decision}


def test_bank_filter_matches_the_tag_exactly(client, trainer_user):
    fine = tagged("罚款", text="只标了罚款的题")
    tagged("罚款决定", text="只标了罚款决定的题")
    client.force_login(trainer_user)
    r = client.get(reverse("exams:bank"), {"tag": "罚款"})
    assert [q.pk for q in r.context["page"]] == [fine.pk]
    assert "只标了罚款决定的题" not in r.content.decode()
    assert '<option value="罚款决定">' in r.content.decode()  # suggested in the filter
    x = client.get(reverse("exams:bank_export", args=["xlsx"]), {"tag": "罚款"})
    rows = list(load_workbook(io.BytesIO(x.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][importer.COLUMNS.index("标签")] == "罚款"


@pytest.mark.parametrize("junk", ["²", "9" * 20, "-1"])
def test_bank_ignores_a_junk_difficulty(client, trainer_user, junk):
    question = tagged("罚款", text="一道题")
    client.force_login(trainer_user)
    r = client.get(reverse("exams:bank"), {"difficulty": junk})
    assert r.status_code == 200 and [q.pk for q in r.context["page"]] == [question.pk]


def test_import_makes_real_tags():
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(importer.COLUMNS)
    w.writerow([{"题型": "判断", "类别": "交通管理", "题干": "导入的带标签题", "答案": "正确",
                 "标签": "罚款；罚款决定, 占道经营"}.get(c, "") for c in importer.COLUMNS])
    report = importer.run_import(buf.getvalue().encode(), "t.csv")
    assert report.created == 1
    assert Question.objects.get().tag_list == ["占道经营", "罚款", "罚款决定"]
    assert Question.objects.filter(tags__name="罚款").count() == 1


def test_dry_run_creates_no_tags():
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(importer.COLUMNS)
    w.writerow([{"题型": "判断", "类别": "交通管理", "题干": "预检题", "答案": "正确", "标签": "全新标签"}.get(c, "")
                for c in importer.COLUMNS])
    importer.run_import(buf.getvalue().encode(), "t.csv", dry_run=True)
    assert not Tag.objects.filter(name="全新标签").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_turns_the_old_tag_text_into_tags():
    before, after = ("exams", "0005_version_cascade"), ("exams", "0006_real_tags_wrong_book_sitting")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    OldQuestion = old_apps.get_model("exams", "Question")
    a = OldQuestion.objects.create(qtype="truefalse", text="旧题一", category="traffic", truefalse_answer=True,
                                   tags="罚款, 罚款决定，占道经营")
    b = OldQuestion.objects.create(qtype="truefalse", text="旧题二", category="traffic", truefalse_answer=True,
                                   tags="罚款 夜间施工")
    c = OldQuestion.objects.create(qtype="truefalse", text="旧题三", category="traffic", truefalse_answer=True, tags="")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Question.objects.get(pk=a.pk).tag_list == ["占道经营", "罚款", "罚款决定"]
    assert Question.objects.get(pk=b.pk).tag_list == ["夜间施工", "罚款"]
    assert Question.objects.get(pk=c.pk).tag_list == []
    assert set(Question.objects.filter(tags__name="罚款").values_list("pk", flat=True)) == {a.pk, b.pk}
