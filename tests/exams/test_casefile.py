"""案卷评查 (case-file review) questions: the standard and reference are validated, answers are
normalised (an item outside the standard is refused) and graded item by item against the
reference; sittings, practice and item analysis handle them."""
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from exams import demo, engine, grading, itemanalysis
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
    ("a finding given as a list", {"items": {"1": {"finding": ["yes"]}}}, "bad_finding", "执法主体不合法"),
    ("a deduction given as a mapping", {"items": {"7": {"finding": "yes", "deduction": {"v": 1}}}}, "bad_deduction", ""),
    ("a deduction of NaN", {"items": {"7": {"finding": "yes", "deduction": "NaN"}}}, "bad_deduction", "0 到 2"),
    ("a conclusion given as a list", {"conclusion": ["fail"]}, "bad_conclusion", ""),
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


# --- in a sitting ----------------------------------------------------------------------------------


def _autosave(client, sitting, position, revision, response):
    return client.post(reverse("exams:autosave", args=[sitting.pk]),
                       json.dumps({"position": position, "revision": revision, "response": response}),
                       content_type="application/json")


def test_sitting_saves_refuses_and_grades_a_casefile(client, officer_user, casefile):
    exam = make_exam([casefile], points=10, review="after_submit")
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    page = client.get(reverse("exams:sitting", args=[sitting.pk]), {"q": 1}).content.decode()
    assert "询问笔录" in page and "执法人员少于两人" in page and 'name="q1-f-7"' in page and 'name="q1-d-7"' in page
    assert 'name="q1-d-1"' not in page  # a one-veto item has no deduction
    for secret in (VETO_NOTE, "参考评查", "参考评分", '"finding"'):
        assert secret not in page

    good = answer(**ALL_RIGHT)
    r = _autosave(client, sitting, 1, 0, good)
    assert r.status_code == 200 and r.json()["revision"] == 1

    bad = answer(**dict(ALL_RIGHT, i9="yes"))
    r = _autosave(client, sitting, 1, 1, bad)
    assert r.status_code == 400 and r.json()["error"] == "refused" and r.json()["code"] == "unknown_item"
    assert "评查标准中没有项目“9”" in r.json()["message"]
    line = Answer.objects.get(sitting=sitting)
    assert line.revision == 1 and line.response["items"]["7"] == {"finding": True, "deduction": "1.00"}

    # The plain form (no JavaScript): an item outside the standard is refused with the reason, nothing lost.
    url = reverse("exams:sitting", args=[sitting.pk]) + "?q=1"
    r = client.post(url, {"q1-rev": "1", "q1-f-1": "yes", "q1-f-42": "yes", "q1-conclusion": "pass", "go": "1"})
    assert r.status_code == 409 and "评查标准中没有项目“42”" in r.content.decode()
    line.refresh_from_db()
    assert line.revision == 1 and line.response == grading.normalise_response(line.version.content, good)
    # and a good form post stores the marks
    r = client.post(url, {"q1-rev": "1", "q1-f-3": "yes", "q1-d-7": "2", "q1-f-7": "yes", "q1-conclusion": "fail",
                          "go": "1"})
    assert r.status_code == 302
    line.refresh_from_db()
    assert line.revision == 2 and line.response["items"] == {"3": {"finding": True, "deduction": None},
                                                             "7": {"finding": True, "deduction": "2.00"}}

    _autosave(client, sitting, 1, 2, good)
    client.post(reverse("exams:submit", args=[sitting.pk]))
    sitting.refresh_from_db()
    assert sitting.status == "graded" and sitting.score == Decimal("10.00") and sitting.passed
    review = client.get(reverse("exams:result", args=[sitting.pk])).content.decode()
    assert "评查正确" in review and VETO_NOTE in review and "参考评分 99 分" in review and "询问笔录" in review


def test_review_names_each_wrong_item(casefile):
    content = casefile.current_version.content
    response = grading.normalise_response(content, answer(**dict(ALL_RIGHT, i5="no", i7=("yes", "2"), c="pass")))
    review = casefile_review(content, response)
    outcomes = {row["key"]: row["outcome"] for row in review["rows"]}
    assert outcomes["5"] == grading.MISSED and outcomes["7"] == grading.DEDUCTION_OFF and outcomes["1"] == grading.RIGHT
    assert review["passed_vetoed"] and not review["conclusion_right"] and review["marks"] == "98"
    assert review["rows"][4]["note"] == "评析密文PX3：处罚决定早于告知书送达"


def test_the_review_of_each_item_reads_in_the_readers_language(casefile):
    content = casefile.current_version.content
    response = grading.normalise_response(content, answer(**dict(ALL_RIGHT, i5="no")))
    for language, right, missed in (("en", "Judged right", "Missed"), ("zh-hans", "评查正确", "漏查")):
        with translation.override(language):
            rows = {row["key"]: str(row["outcome_label"]) for row in casefile_review(content, response)["rows"]}
        assert rows["1"] == right and rows["5"].startswith(missed), (language, rows)


def test_public_question_carries_no_reference(casefile):
    item = public_question(PracticeLine(casefile.current_version))
    text = json.dumps(item, default=str, ensure_ascii=False)
    assert VETO_NOTE not in text and '"finding": true' not in text and "1.00" not in text
    assert [s["kind"] for s in item["casefile"]["sections"]] == ["veto", "form", "content"]


# --- practice ----------------------------------------------------------------------------------------


def test_practice_checks_a_casefile_and_refuses_an_unknown_item(client, officer_user, casefile):
    client.force_login(officer_user)
    url = reverse("exams:practice_seq")
    page = client.get(url).content.decode()
    assert "立案审批表" in page and 'name="q1-f-5"' in page
    r = client.post(url, {"question": casefile.pk, "q1-f-5": "yes", "q1-f-77": "no", "q1-conclusion": "fail"},
                    follow=True)
    assert "评查标准中没有项目“77”" in r.content.decode()
    assert not WrongItem.objects.exists()
    post = {"question": casefile.pk, "q1-conclusion": "fail", "q1-d-7": "1"}
    post.update({f"q1-f-{k}": "no" for k in "123468"})
    post.update({"q1-f-5": "yes", "q1-f-7": "yes"})
    body = client.post(url, post).content.decode()
    assert "回答正确" in body and VETO_NOTE in body and "评查正确" in body
    post["q1-f-5"] = "no"
    body = client.post(url, post).content.decode()
    assert "漏查：案卷存在该问题" in body
    assert WrongItem.objects.filter(question=casefile, resolved_at__isnull=True).exists()


def test_wrong_book_practice_refuses_an_unknown_item_and_counts_a_right_answer(client, officer_user, casefile):
    client.force_login(officer_user)
    client.post(reverse("exams:practice_seq"), {"question": casefile.pk, "q1-f-5": "no", "q1-conclusion": "pass"})
    item = WrongItem.objects.get(question=casefile, resolved_at__isnull=True)
    post = {"item": item.pk, "version": casefile.current_version.pk, "q1-conclusion": "fail", "q1-d-7": "1"}
    post.update({f"q1-f-{k}": "no" for k in "123468"})
    post.update({"q1-f-5": "yes", "q1-f-7": "yes"})
    body = client.post(reverse("exams:wrong_practice"), dict(post, **{"q1-f-77": "no"})).content.decode()
    assert "评查标准中没有项目“77”" in body
    item.refresh_from_db()
    assert item.streak == 0
    body = client.post(reverse("exams:wrong_practice"), post).content.decode()
    assert "回答正确" in body and "评查正确" in body
    item.refresh_from_db()
    assert item.streak == 1


def test_recite_mode_shows_the_reference(client, officer_user, casefile):
    client.force_login(officer_user)
    body = client.get(reverse("exams:practice_recite")).content.decode()
    assert "参考结论：" in body and VETO_NOTE in body and "行政处罚决定书" in body


# --- item analysis --------------------------------------------------------------------------------


def test_item_analysis_gives_facility_and_agreement_per_item(monkeypatch, officer_user, other_officer_user,
                                                            casefile):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
    exam = make_exam([casefile], points=10, max_attempts=0)
    for officer, marks in ((officer_user.officer, ALL_RIGHT), (other_officer_user.officer, dict(ALL_RIGHT, i5="no"))):
        sitting = engine.start(exam, officer)
        engine.save_answer(sitting, 1, answer(**marks), 0)
        engine.finalize(sitting)
    result = itemanalysis.analyse(exam)
    row = result["questions"][0]
    assert row["facility"] == pytest.approx((10 + 9) / 20, abs=0.001) and row["blank"] == 0
    agreement = {i["text"]: (i["agree"], i["n"]) for i in row["items"]}
    assert agreement["程序违法"] == (1, 2) and agreement["执法人员少于两人"] == (2, 2)
    exported = list(itemanalysis.table_rows(result))[1]
    assert "程序违法:1/2" in exported[7]


# --- demo ----------------------------------------------------------------------------------------


def test_demo_casefiles_are_valid_and_their_reference_scores_full_marks():
    items = [it for it in demo._read("questions") if it["type"] == "casefile"]
    assert len(items) == 2
    demo.load_questions(io.StringIO(), items)
    for q in Question.objects.filter(qtype="casefile"):
        Question.objects.get(pk=q.pk).full_clean()
        content = q.current_version.content
        spec = content["casefile"]
        reference = {"items": {i["key"]: {"finding": i["finding"], "deduction": i["deduction"]} for i in spec["items"]},
                     "conclusion": spec["conclusion"]}
        assert grading.grade(content, grading.normalise_response(content, reference), 10) == (Decimal("10.00"), True)
        assert len(spec["documents"]) >= 6 and {i["kind"] for i in spec["items"]} == {"veto", "form", "content"}
    assert {q.casefile_conclusion for q in Question.objects.filter(qtype="casefile")} == {"pass", "fail"}


# --- the admin form ------------------------------------------------------------------------------


def _formset(data, prefix, rows):
    data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
                 f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
        data[f"{prefix}-{i}-ORDER"] = str(i + 1)


def test_a_trainer_builds_a_casefile_in_the_admin(client, trainer_user):
    client.force_login(trainer_user)
    data = {"qtype": "casefile", "category": "documents", "difficulty": "2", "status": "active",
            "text": "后台新建的案卷评查题", "explanation": "", "reference_answer": "", "truefalse_answer": "",
            "discretion_levels": "[]", "discretion_correct_level": "", "discretion_amount_min": "",
            "discretion_amount_max": "", "discretion_benchmark": "", "image": "", "article_refs": "[]", "tags": "",
            "casefile_conclusion": "pass"}
    for prefix in ("options", "rubric_points", "article_links", "case_links"):
        _formset(data, prefix, [])
    _formset(data, "casefile_documents", [{"title": "询问笔录", "text": "问：……\n答：……", "attachment": ""}])
    _formset(data, "review_items", [
        {"kind": "veto", "text": "执法人员少于两人", "max_deduction": "", "finding": "on", "deduction": "", "note": ""},
        {"kind": "form", "text": "文书填写不规范", "max_deduction": "2", "deduction": "", "note": ""}])
    url = reverse("wagtailsnippets_exams_question:add")
    r = client.post(url, data)
    assert r.status_code == 200 and "参考评查认定了一票否决项，评查结论只能是不合格卷" in r.content.decode()
    assert not Question.objects.exists()
    data["casefile_conclusion"] = "fail"
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    q = Question.objects.get()
    spec = q.current_version.content["casefile"]
    assert [d["title"] for d in spec["documents"]] == ["询问笔录"] and spec["conclusion"] == "fail"
    assert [(i["kind"], i["finding"], i["max"]) for i in spec["items"]] == [("veto", True, None),
                                                                           ("form", False, "2.00")]
