"""案卷评查 (case-file review) questions: the standard and reference are validated, answers are
normalised (an item outside the standard is refused) and graded item by item against the
reference; sittings, practice and item analysis handle them."""
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exams import engine, grading, itemanalysis
from exams.models import Answer, Question, Sitting, WrongItem
from exams.paper import casefile_review, public_question
from exams.practice import PracticeLine
from tests.exams.factories import CASEFILE_ITEMS, make_casefile, make_exam

pytestmark = pytest.mark.django_db

VETO_NOTE = "评析密文PX3"


def answer(**marks):
    """A response: marks as item key → "yes"/"no" or ("yes", deduction); conclusion under "c"."""
    conclusion = marks.pop("c", None)
    items = {}
    for key, mark in marks.items():
        finding, deduction = mark if isinstance(mark, tuple) else (mark, None)
        items[key.lstrip("i")] = {"finding": finding, "deduction": deduction}
    return {"items": items, "conclusion": conclusion}


#: The reference (factories.CASEFILE_ITEMS): items 1–6 one-veto, 5 (程序违法) found; 7 卷面 found
#: with 1 point; 8 内容 not found; conclusion 不合格卷. 8 items → 80 % / 8 = 10 % each, conclusion 20 %.
ALL_RIGHT = dict(i1="no", i2="no", i3="no", i4="no", i5="yes", i6="no", i7=("yes", "1"), i8="no", c="fail")

GRADING = [
    ("everything as the reference", ALL_RIGHT, "10.00", True),
    ("nothing marked", {}, "0.00", False),
    ("only the conclusion", dict(c="fail"), "2.00", False),
    ("the veto missed, conclusion still 不合格", dict(ALL_RIGHT, i5="no"), "9.00", False),
    ("the veto missed and the file passed: decisive", dict(ALL_RIGHT, i5="no", c="pass"), "0.00", False),
    ("the veto found yet the file passed: decisive", dict(ALL_RIGHT, c="pass"), "0.00", False),
    ("a deduction off earns half the item", dict(ALL_RIGHT, i7=("yes", "2")), "9.50", False),
    ("a problem found without a deduction earns half", dict(ALL_RIGHT, i7="yes"), "9.50", False),
    ("a false alarm on a deduction item", dict(ALL_RIGHT, i8=("yes", "1")), "9.00", False),
    ("a false alarm on a veto item", dict(ALL_RIGHT, i1="yes"), "9.00", False),
    ("an item left open", {k: v for k, v in ALL_RIGHT.items() if k != "i3"}, "9.00", False),
]


@pytest.fixture
def casefile():
    return make_casefile()


@pytest.mark.parametrize("name,marks,score,correct", GRADING, ids=[g[0] for g in GRADING])
def test_grading_item_by_item(casefile, name, marks, score, correct):
    content = casefile.current_version.content
    response = grading.normalise_response(content, answer(**marks))
    assert grading.grade(content, response, Decimal("10")) == (Decimal(score), correct)


def test_a_file_without_veto_passes_on_its_items():
    """Reference 合格卷 with a 内容 deduction: the conclusion counts, no veto rule applies."""
    q = make_casefile([("veto", "程序违法", None, False, None, ""), ("content", "证据未编目", 3, True, 2, "")],
                      conclusion="pass")
    content = q.current_version.content

    def grade(marks):
        return grading.grade(content, grading.normalise_response(content, answer(**marks)), 10)

    assert grade(dict(i1="no", i2=("yes", "2"), c="pass")) == (Decimal("10.00"), True)
    assert grade(dict(i1="no", i2=("yes", "2"), c="fail")) == (Decimal("8.00"), False)
    assert grading.casefile_marks(content["casefile"]["items"]) == Decimal("98")


REFUSED = [
    ("an item not in the standard", {"items": {"99": {"finding": "yes"}}}, "unknown_item", "99"),
    ("an item named by its text", {"items": {"执法主体不合法": {"finding": "no"}}}, "unknown_item", "执法主体不合法"),
    ("a deduction above the maximum", {"items": {"7": {"finding": "yes", "deduction": "5"}}}, "bad_deduction", "0 到 2"),
    ("a negative deduction", {"items": {"8": {"finding": "yes", "deduction": "-1"}}}, "bad_deduction", "0 到 3"),
    ("a deduction that is no number", {"items": {"7": {"finding": "yes", "deduction": "两分"}}}, "bad_deduction", ""),
    ("an unreadable finding", {"items": {"1": {"finding": "maybe"}}}, "bad_finding", "执法主体不合法"),
    ("a conclusion outside 合格/不合格", {"items": {}, "conclusion": "excellent"}, "bad_conclusion", ""),
    ("items not given as a mapping", {"items": ["1", "2"]}, "bad_casefile", ""),
]


@pytest.mark.parametrize("name,raw,code,mention", REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_answers_are_refused_with_a_reason(casefile, name, raw, code, mention):
    with pytest.raises(grading.AnswerRefused) as exc:
        grading.normalise_response(casefile.current_version.content, raw)
    assert exc.value.code == code
    assert mention in exc.value.messages[0] and "未保存" in exc.value.messages[0]


def test_normalised_answer_keeps_only_what_was_marked(casefile):
    raw = {"items": {"1": {"finding": "no", "deduction": ""}, "2": {"deduction": ""},
                     "7": {"finding": "yes", "deduction": "1.5"}, "5": {"finding": "no", "deduction": "3"}},
           "conclusion": ""}
    assert grading.normalise_response(casefile.current_version.content, raw) == {
        "items": {"1": {"finding": False, "deduction": None}, "7": {"finding": True, "deduction": "1.50"},
                  "5": {"finding": False, "deduction": None}},
        "conclusion": None}


# --- the standard and the reference are validated -----------------------------------------------

VALIDATION = [
    ("no documents", dict(documents=[]), "casefile_documents_required"),
    ("no items", dict(items=[]), "casefile_items_required"),
    ("a deduction item without a maximum", dict(items=[("form", "卷面不整洁", None, False, None, "")]),
     "casefile_bad_max"),
    ("a maximum above the table's 20 points", dict(items=[("form", "卷面不整洁", 25, False, None, "")]),
     "casefile_bad_max"),
    ("a reference deduction above the item's maximum", dict(items=[("content", "未编目", 3, True, 4, "")]),
     "casefile_bad_deduction"),
    ("a found problem without a deduction", dict(items=[("content", "未编目", 3, True, None, "")]),
     "casefile_bad_deduction"),
    ("卷面 deductions above 20 together", dict(items=[("form", f"问题{i}", 8, True, 8, "") for i in range(3)]),
     "casefile_section_total"),
    ("a one-veto finding in a 合格卷", dict(conclusion="pass"), "casefile_veto_conclusion"),
    ("no reference conclusion", dict(conclusion=""), "casefile_conclusion"),
]


@pytest.mark.parametrize("name,changes,code", VALIDATION, ids=[v[0] for v in VALIDATION])
def test_the_standard_and_reference_are_checked(name, changes, code):
    kwargs = {"items": CASEFILE_ITEMS, "conclusion": "fail", "documents": None, **changes}
    documents = kwargs.pop("documents")
    q = make_casefile(kwargs.pop("items") or [("veto", "程序违法", None, False, None, "")] if "items" not in changes
                      else changes["items"], conclusion=kwargs["conclusion"],
                      documents=documents if documents is not None else None)
    if documents == []:
        q.casefile_documents.all().delete()
    if changes.get("items") == []:
        q.review_items.all().delete()
    q = Question.objects.get(pk=q.pk)
    with pytest.raises(ValidationError) as exc:
        q.full_clean()
    codes = {e.code for errors in exc.value.error_dict.values() for e in errors}
    assert code in codes


def test_a_good_casefile_question_is_valid(casefile):
    Question.objects.get(pk=casefile.pk).full_clean()
    content = casefile.current_version.content["casefile"]
    assert [d["title"] for d in content["documents"]] == ["立案审批表", "询问笔录", "行政处罚决定书"]
    assert content["items"][6] == {"key": "7", "kind": "form", "text": "文书填写不规范、涂改处未签章", "max": "2.00",
                                   "finding": True, "deduction": "1.00", "note": ""}
