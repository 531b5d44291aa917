"""Builders for exams tests."""
import itertools
from decimal import Decimal

from exams.models import DrawRule, Exam, ExamQuestion, Option, PaperMode, Question, QuestionType, RubricPoint

_n = itertools.count(1)

#: Markers planted in answer keys and explanations; a leak scan looks for them.
SECRET_EXPLANATION = "解析密文XJ7"
SECRET_REFERENCE = "参考答案密文RK9"


def make_question(qtype=QuestionType.SINGLE, *, category="municipal", difficulty=2, text=None, options=None,
                  correct=None, answer=None, rubric=None, levels=None, correct_level=None, band=None, status="active"):
    n = next(_n)
    q = Question.objects.create(
        qtype=qtype, category=category, difficulty=difficulty, text=text or f"测试题干{n}：下列说法正确的是？",
        explanation=f"{SECRET_EXPLANATION} 第{n}题", status=status,
        reference_answer=SECRET_REFERENCE if qtype == QuestionType.CASE else "",
        truefalse_answer=answer if qtype == QuestionType.TRUEFALSE else None,
        discretion_levels=levels or ([{"order": 1, "name": "轻微", "fine_min": 0, "fine_max": 500},
                                      {"order": 2, "name": "一般", "fine_min": 500, "fine_max": 2000},
                                      {"order": 3, "name": "严重", "fine_min": 2000, "fine_max": 10000}]
                                     if qtype == QuestionType.DISCRETION else []),
        discretion_correct_level=(correct_level or 2) if qtype == QuestionType.DISCRETION else None,
        discretion_amount_min=Decimal(band[0]) if band else None,
        discretion_amount_max=Decimal(band[1]) if band else None,
        article_refs=["中华人民共和国行政处罚法 第三十三条"],
    )
    if qtype in (QuestionType.SINGLE, QuestionType.MULTI):
        options = options or [f"选项甲{n}", f"选项乙{n}", f"选项丙{n}", f"选项丁{n}"]
        correct = correct if correct is not None else ([1] if qtype == QuestionType.SINGLE else [0, 2])
        for i, t in enumerate(options):
            Option.objects.create(question=q, sort_order=i, text=t, is_correct=i in correct)
    if qtype == QuestionType.CASE:
        for i, (t, s) in enumerate(rubric or [("认定违法事实", 2), ("适用法律正确", 3)]):
            RubricPoint.objects.create(question=q, sort_order=i, text=t, score=Decimal(s))
    q.publish_version()
    return q


def make_exam(questions=(), *, points=1, mode=PaperMode.FIXED, rules=(), **kw):
    kw.setdefault("title", f"测试考试{next(_n)}")
    kw.setdefault("draft", False)
    kw.setdefault("random_order", False)
    kw.setdefault("answer_order", "none")
    exam = Exam.objects.create(mode=mode, **kw)
    for i, q in enumerate(questions):
        ExamQuestion.objects.create(exam=exam, question=q, sort_order=i, points=Decimal(points))
    for i, r in enumerate(rules):
        DrawRule.objects.create(exam=exam, sort_order=i, **r)
    return exam


def key_of(sitting_answer):
    """The correct option keys of an answer line (test helper, server side)."""
    return [o["key"] for o in sitting_answer.version.content.get("options", []) if o["correct"]]
