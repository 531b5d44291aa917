"""The exam's review policy (never / after release / after close) decides everywhere
feedback appears: the result page's review, practice feedback during a sitting, the
wrong-question book and its practice (重做), the dashboard count."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams import engine
from exams.models import Exam, QuestionType, Sitting, WrongItem
from tests.exams.factories import SECRET_EXPLANATION, key_of, make_exam, make_question

pytestmark = pytest.mark.django_db

#: What shows the key or the explanation of a question.
KEY_MARKERS = (SECRET_EXPLANATION, "正确答案", "解析：")


def sit_and_fail(client, exam):
    """Start, answer the single-choice question wrongly, submit; the sitting."""
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get(exam=exam)
    line = sitting.answers.get(position=1)
    wrong = next(k for k in line.option_order if k not in key_of(line))
    client.post(reverse("exams:sitting", args=[sitting.pk]) + "?q=1", {"q1-rev": "0", "q1-choice": wrong})
    client.post(reverse("exams:submit", args=[sitting.pk]))
    sitting.refresh_from_db()
    return sitting


def feedback_pages(client, sitting, question):
    """Every page an officer can reach that could show feedback for this question."""
    pages = {
        "result": client.get(reverse("exams:result", args=[sitting.pk])),
        "wrong book": client.get(reverse("exams:wrong_book")),
        "wrong practice": client.get(reverse("exams:wrong_practice")),
    }
    item = WrongItem.objects.get(question=question)
    version = question.current_version
    pages["wrong practice answer"] = client.post(reverse("exams:wrong_practice"), {
        "item": item.pk, "version": version.pk, "q1-choice": [o["key"] for o in version.content["options"]
                                                              if o["correct"]][0]})
    pages["dashboard"] = client.get("/")
    return {name: r.content.decode() for name, r in pages.items()}


def shows_key(body):
    return any(marker in body for marker in KEY_MARKERS)


def test_review_never_shows_no_key_anywhere_right_after_submission(client, officer_user):
    question = make_question(QuestionType.SINGLE)
    exam = make_exam([question], review="never", max_attempts=3)
    client.force_login(officer_user)
    sitting = sit_and_fail(client, exam)
    assert sitting.status == "graded" and sitting.passed is False
    assert WrongItem.objects.filter(question=question, sitting=sitting).exists()  # recorded, not shown
    pages = feedback_pages(client, sitting, question)
    for name, body in pages.items():
        assert not shows_key(body), f"the key shows on {name}"
        assert question.text not in body, f"the question shows on {name}"
    assert "另有 1 道错题" in pages["wrong book"]
    assert "错题本（0）" in pages["dashboard"]
    # practising a hidden entry neither grades it nor moves it
    item = WrongItem.objects.get(question=question)
    assert item.streak == 0 and item.resolved_at is None


def test_review_after_release_shows_key_everywhere_once_released(client, officer_user):
    question = make_question(QuestionType.SINGLE)
    exam = make_exam([question], review="after_submit")
    client.force_login(officer_user)
    sitting = sit_and_fail(client, exam)
    pages = feedback_pages(client, sitting, question)
    for name in ("result", "wrong book", "wrong practice answer"):
        assert shows_key(pages[name]), f"no key on {name}"
    assert question.text in pages["wrong book"]
    assert "错题本（1）" in pages["dashboard"]
    assert WrongItem.objects.get(question=question).streak == 1  # the practice answer counted


def test_review_after_release_waits_for_marking(client, officer_user, trainer_user):
    """A paper with a case question is released after marking: until then, no key anywhere."""
    question = make_question(QuestionType.SINGLE)
    exam = make_exam([question, make_question(QuestionType.CASE)], review="after_submit")
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    engine.save_answer(sitting, 2, {"text": "分析"}, 0)
    client.post(reverse("exams:submit", args=[sitting.pk]))
    sitting.refresh_from_db()
    assert sitting.status == "marking"
    pages = feedback_pages(client, sitting, question)
    assert not any(shows_key(b) for b in pages.values())
    engine.mark_answer(sitting.answers.get(position=2), {"1": {"score": "2"}, "2": {"score": "3"}}, "", trainer_user)
    body = client.get(reverse("exams:wrong_book")).content.decode()
    assert question.text in body and shows_key(body)


def test_review_after_close_shows_key_only_once_the_exam_has_closed(client, officer_user):
    question = make_question(QuestionType.SINGLE)
    exam = make_exam([question], review="after_close", closes_at=timezone.now() + timedelta(days=1))
    client.force_login(officer_user)
    sitting = sit_and_fail(client, exam)
    pages = feedback_pages(client, sitting, question)
    for name, body in pages.items():
        assert not shows_key(body), f"the key shows on {name} before the exam closed"
    assert "另有 1 道错题" in pages["wrong book"]
    Exam.objects.filter(pk=exam.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    pages = feedback_pages(client, sitting, question)
    for name in ("result", "wrong book", "wrong practice answer"):
        assert shows_key(pages[name]), f"no key on {name} after the exam closed"


def test_a_later_wrong_answer_under_never_hides_the_entry_again(client, officer_user):
    """The entry follows its latest wrong answer: a question first missed in an open-review
    exam, then missed again in a review=never exam, is hidden again."""
    question = make_question(QuestionType.SINGLE)
    open_exam = make_exam([question], review="after_submit")
    closed_exam = make_exam([question], review="never")
    client.force_login(officer_user)
    sit_and_fail(client, open_exam)
    assert question.text in client.get(reverse("exams:wrong_book")).content.decode()
    sitting = sit_and_fail(client, closed_exam)
    assert WrongItem.objects.get(question=question).sitting == sitting
    body = client.get(reverse("exams:wrong_book")).content.decode()
    assert question.text not in body and not shows_key(body)


def test_practice_feedback_during_a_sitting_follows_the_policy(client, officer_user):
    """核对答案 is offered, and shows the key, only where the policy shows answers."""
    exam = make_exam([make_question(QuestionType.SINGLE)], kind="practice", review="never")
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    url = reverse("exams:sitting", args=[sitting.pk])
    body = client.get(url, {"q": 1}).content.decode()
    assert 'value="check"' not in body
    line = sitting.answers.get(position=1)
    client.post(url + "?q=1", {"q1-rev": "0", "q1-choice": key_of(line)[0], "action": "check"})
    line.refresh_from_db()
    assert not line.locked  # the check was refused
    assert not shows_key(client.get(url, {"q": 1}).content.decode())


def test_instant_feedback_needs_an_open_review_policy():
    from django.core.exceptions import ValidationError

    exam = Exam(title="练习", feedback="each", review="never")
    with pytest.raises(ValidationError) as exc:
        exam.full_clean()
    assert "feedback" in exc.value.message_dict
    Exam(title="练习", feedback="each", review="after_submit").full_clean()
