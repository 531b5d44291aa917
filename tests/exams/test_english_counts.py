"""Counts in the exam's English messages take their plural form (one time, two times)."""
import pytest
from django.urls import reverse
from django.utils import translation

from exams import integrity
from exams.models import Exam, ForcedReason, QuestionType, Sitting
from tests.exams.factories import make_exam, make_question


def _exam_and_sitting(leaves):
    exam = Exam(title="x", leave_limit=1, away_limit_seconds=None)
    sitting = Sitting(exam=exam, leave_count=leaves, away_seconds=12, forced_reason=ForcedReason.LEAVES)
    return exam, sitting


def test_leaving_counts_are_singular_and_plural_in_english():
    with translation.override("en"):
        exam, once = _exam_and_sitting(1)
        text = integrity.warning(exam, once)
        assert "left the exam page 1 time, 12 s in total" in text and "more than 1 time" in text, text
        _exam, twice = _exam_and_sitting(2)
        assert "Left the exam page 2 times, more than the limit of 1" in integrity.forced_message(twice)
    with translation.override("zh-hans"):
        assert "您已离开考试页面 1 次，累计 12 秒。" in integrity.warning(exam, once)


@pytest.mark.django_db
def test_the_confirm_page_counts_one_answered_question_in_english(client, officer_user):
    exam = make_exam([make_question(QuestionType.TRUEFALSE, answer=True)], time_limit_minutes=30)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    line = sitting.answers.get()
    line.response = {"choice": "T"}
    line.save()
    url = reverse("exams:confirm_submit", args=[sitting.pk])
    client.cookies["django_language"] = "en"
    body = client.get(url).content.decode()
    assert "The only question is answered." in body and "All 1 questions" not in body, body[-2000:]
