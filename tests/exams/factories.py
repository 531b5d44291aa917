"""Builders for exams tests."""
import itertools
import json
import re
from decimal import Decimal

from exams.models import (
    CaseFileDocument, DrawRule, Exam, ExamQuestion, Option, PaperMode, Question, QuestionType, ReviewItem, RubricPoint,
)

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


#: A 评查标准 with a reference evaluation: (kind, item, max deduction, finding, deduction, 评析).
#: Keys follow the order: "5" 程序违法 is found (one veto), "7" a 卷面 deduction of 1.
CASEFILE_ITEMS = [
    ("veto", "执法主体不合法", None, False, None, ""),
    ("veto", "执法人员无执法资格", None, False, None, ""),
    ("veto", "事实不清、证据不足", None, False, None, ""),
    ("veto", "适用法律错误", None, False, None, ""),
    ("veto", "程序违法", None, True, None, "评析密文PX3：处罚决定早于告知书送达"),
    ("veto", "执法人员少于两人", None, False, None, ""),
    ("form", "文书填写不规范、涂改处未签章", 2, True, 1, ""),
    ("content", "证据材料未编目、未附说明", 3, False, None, ""),
]
CASEFILE_DOCUMENTS = [
    ("立案审批表", "案由：擅自在街道两侧堆放物料\n承办人：执法队员甲、执法队员乙"),
    ("询问笔录", "问：你是否在人行道上堆放了建材？\n答：是的。"),
    ("行政处罚决定书", "决定日期：二〇二六年三月二日"),
]


def make_casefile(items=None, *, conclusion="fail", documents=None, text=None, status="active", category="environment"):
    """A 案卷评查 question with documents, a 评查标准 and its reference evaluation (published)."""
    n = next(_n)
    q = Question.objects.create(
        qtype=QuestionType.CASEFILE, category=category, difficulty=2, status=status,
        text=text or f"案卷评查{n}：请按评查标准评查下列案卷。", explanation=f"{SECRET_EXPLANATION} 第{n}题",
        casefile_conclusion=conclusion,
    )
    for i, (title, body) in enumerate(documents or CASEFILE_DOCUMENTS):
        CaseFileDocument.objects.create(question=q, sort_order=i, title=title, text=body)
    for i, (kind, item, top, finding, deduction, note) in enumerate(items or CASEFILE_ITEMS):
        ReviewItem.objects.create(question=q, sort_order=i, kind=kind, text=item,
                                  max_deduction=Decimal(top) if top is not None else None, finding=finding,
                                  deduction=Decimal(deduction) if deduction is not None else None, note=note)
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


def started_sitting_id(response):
    """The sitting a start's response shows: the start answers with the paper itself (200,
    not stored by caches) whose script puts the paper's address in the address bar and
    whose form posts there. Fails when the response is anything else."""
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    config = json.loads(re.search(r'<script id="paper-config" type="application/json">(.*?)</script>', body,
                                  re.S).group(1))
    m = re.fullmatch(r"/exams/sittings/(\d+)/\?(q=\d+|all=1)", config["pageUrl"])
    assert m, config["pageUrl"]
    assert f'id="sitting-form"' in body and f'action="/exams/sittings/{m.group(1)}/?{m.group(2)}"' in body
    return int(m.group(1))
