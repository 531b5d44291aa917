"""Item analysis figures against a small example computed by hand.

Paper: Q1 single (2 points, right answer 乙, category traffic), Q2 true/false (1 point,
traffic), Q3 single (1 point, planning). Four officers:

            Q1      Q2     Q3      total  percent   unit
    A       乙 2    ✓ 1    ✓ 1     4      100       江北一中队
    B       乙 2    ✗ 0    ✓ 1     3       75       江北一中队
    C       甲 0    ✓ 1    ✗ 0     1       25       江南一中队
    D       乙 2    ✗ 0    — 0     2       50       江南一中队

27 % of 4 sittings rounds to 1: upper group {A}, lower group {C}.
Facility: Q1 6/8 = 0.75, Q2 2/4 = 0.5, Q3 2/4 = 0.5.
Discrimination: Q1 1 − 0 = 1.0, Q2 1 − 1 = 0.0, Q3 1 − 0 = 1.0.
Distribution: one each in bands 20–29, 50–59, 70–79, 90–100. Mean 62.5 %; pass mark 60 → 50 %.
By unit (percent): 江北 traffic 5/6 = 83.3, planning 2/2 = 100; 江南 traffic 3/6 = 50, planning 0.
"""
import pytest
from django.urls import reverse

from exams import engine, itemanalysis
from exams.models import QuestionType
from tests.exams.factories import make_exam, make_question
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(units, trainer_user, monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
    q1 = make_question(QuestionType.SINGLE, category="traffic", options=["甲", "乙", "丙", "丁"], correct=[1])
    q2 = make_question(QuestionType.TRUEFALSE, category="traffic", answer=True)
    q3 = make_question(QuestionType.SINGLE, category="planning", options=["子", "丑", "寅", "卯"], correct=[0])
    exam = make_exam([q1, q2, q3], pass_mark=60)
    exam.exam_questions.filter(question=q1).update(points=2)
    exam.managers.add(trainer_user)
    plan = {
        "A": ("SZ-JB-01", "2", "T", "1"),
        "B": ("SZ-JB-01", "2", "F", "1"),
        "C": ("SZ-JN-01", "1", "T", "2"),
        "D": ("SZ-JN-01", "2", "F", None),
    }
    for name, (unit, c1, c2, c3) in plan.items():
        officer = make_user("officer", unit=units[unit], full_name=name).officer
        sitting = engine.start(exam, officer)
        engine.save_answer(sitting, 1, {"choice": c1}, 0)
        engine.save_answer(sitting, 2, {"choice": c2}, 0)
        if c3:
            engine.save_answer(sitting, 3, {"choice": c3}, 0)
        engine.finalize(sitting)
    return exam, (q1, q2, q3)


def test_figures_match_the_hand_computed_example(example):
    exam, (q1, q2, q3) = example
    r = itemanalysis.analyse(exam)
    assert r["n"] == 4
    assert r["distribution"] == [0, 0, 1, 0, 0, 1, 0, 1, 0, 1]
    assert r["mean"] == 62.5 and r["pass_rate"] == 50.0
    by_q = {row["question_id"]: row for row in r["questions"]}
    assert (by_q[q1.pk]["facility"], by_q[q1.pk]["discrimination"]) == (0.75, 1.0)
    assert (by_q[q2.pk]["facility"], by_q[q2.pk]["discrimination"]) == (0.5, 0.0)
    assert (by_q[q3.pk]["facility"], by_q[q3.pk]["discrimination"]) == (0.5, 1.0)
    assert [(o["text"], o["count"], o["correct"]) for o in by_q[q1.pk]["options"]] == [
        ("甲", 1, False), ("乙", 3, True), ("丙", 0, False), ("丁", 0, False)]
    assert [(o["text"], o["count"]) for o in by_q[q2.pk]["options"]] == [("正确", 2), ("错误", 2)]
    assert by_q[q3.pk]["blank"] == 1
    assert [str(c) for c in r["categories"]] == ["城市规划实施管理", "交通管理"]
    cells = sorted((u["n"], u["cells"]) for u in r["units"])
    assert cells == [(2, [0.0, 50.0]), (2, [100.0, 83.3])]


def test_analysis_page_and_exports(client, trainer_user, example):
    exam, _qs = example
    client.force_login(trainer_user)
    body = client.get(reverse("exams:analysis", args=[exam.pk])).content.decode()
    assert "0.75" in body and "62.5%" in body
    csv_body = b"".join(client.get(reverse("exams:analysis_export", args=[exam.pk, "csv"])).streaming_content
                        ).decode("utf-8-sig")
    assert "难度系数(P)" in csv_body and "0.75" in csv_body
    x = client.get(reverse("exams:analysis_export", args=[exam.pk, "xlsx"]))
    from io import BytesIO

    from openpyxl import load_workbook
    wb = load_workbook(BytesIO(x.content))
    assert wb.sheetnames == ["试题分析", "分数分布", "单位分类得分率"]
    assert wb["试题分析"].max_row == 4


def test_trainer_scope_limits_the_sittings_analysed(client, units, example):
    exam, _qs = example
    from officers import roles
    jb_trainer = make_user(roles.TRAINER, unit=units["SZ-JB"])
    exam.managers.add(jb_trainer)
    client.force_login(jb_trainer)
    r = client.get(reverse("exams:analysis", args=[exam.pk]))
    assert r.context["r"]["n"] == 2
