"""Item analysis flags questions that look broken, with the reason: facility below 0.2 or above
0.9, discrimination below 0.2 (negative: the key may be wrong), a distractor nobody picks; not
with fewer than FLAG_MIN_RESPONSES answers."""
import pytest
from django.urls import reverse

from exams import engine, itemanalysis
from exams.models import QuestionType
from tests.exams.factories import make_exam, make_question
from tests.factories import make_user


def row(n=20, p=0.6, d=0.4, counts=(("A", True, 10), ("B", False, 5), ("C", False, 5))):
    return {"n": n, "facility": p, "discrimination": d,
            "options": [{"label": label, "text": f"选项{label}", "correct": ok, "count": c} for label, ok, c in counts]}


@pytest.mark.parametrize("figures, codes, words", [
    (row(), [], []),
    (row(p=0.15), ["too_hard"], ["P=0.15", "低于 0.2"]),
    (row(p=0.2), [], []),
    (row(p=0.95, d=0.3), ["too_easy"], ["P=0.95", "高于 0.9"]),
    (row(p=0.9), [], []),
    (row(d=0.1), ["low_discrimination"], ["D=0.1", "低于 0.2"]),
    (row(d=-0.5), ["low_discrimination"], ["D=-0.5", "为负", "答案可能设错"]),
    (row(d=None), [], []),
    (row(counts=(("A", True, 15), ("B", False, 5), ("C", False, 0))), ["dead_distractor"], ["C. 选项C", "无人选择"]),
    (row(counts=(("", True, 20), ("", False, 0))), ["dead_distractor"], ["“选项”"]),
    (row(p=0.05, d=-0.2, counts=(("A", True, 1), ("B", False, 0))),
     ["too_hard", "low_discrimination", "dead_distractor"], []),
    (row(n=itemanalysis.FLAG_MIN_RESPONSES - 1, p=0.0, d=-1.0), [], []),
])
def test_flags_table(figures, codes, words):
    found = itemanalysis.flags(figures)
    assert [code for code, _r in found] == codes
    text = " ".join(reason for _c, reason in found)
    for word in words:
        assert word in text


@pytest.mark.django_db
def test_analysis_page_shows_the_flags_with_reasons(client, units, trainer_user, monkeypatch):
    """Six officers all answer 乙 to a question: P = 1.0 and three distractors nobody picks."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
    easy = make_question(QuestionType.SINGLE, options=["甲", "乙", "丙", "丁"], correct=[1])
    split = make_question(QuestionType.TRUEFALSE, answer=True)
    exam = make_exam([easy, split])
    exam.managers.add(trainer_user)
    for i in range(6):
        sitting = engine.start(exam, make_user("officer", unit=units["SZ-JB-01"]).officer)
        engine.save_answer(sitting, 1, {"choice": "2"}, 0)
        engine.save_answer(sitting, 2, {"choice": "T" if i % 2 else "F"}, 0)
        engine.finalize(sitting)
    result = itemanalysis.analyse(exam)
    by_q = {r["question_id"]: [c for c, _r in r["flags"]] for r in result["questions"]}
    assert by_q[easy.pk] == ["too_easy", "low_discrimination", "dead_distractor", "dead_distractor", "dead_distractor"]
    assert by_q[split.pk] == []
    client.force_login(trainer_user)
    body = client.get(reverse("exams:analysis", args=[exam.pk])).content.decode()
    assert "疑似有问题" in body and "P=1.0，高于 0.9" in body and "干扰项“A. 甲”无人选择" in body
    csv_body = b"".join(client.get(reverse("exams:analysis_export", args=[exam.pk, "csv"])).streaming_content
                        ).decode("utf-8-sig")
    assert "问题提示" in csv_body and "无人选择" in csv_body
