"""End-to-end flow through the views: start, answer (form and JSON), submit, result."""
import json

import pytest
from django.urls import reverse

from exams.models import QuestionType, Sitting
from tests.exams.factories import key_of, make_exam, make_question, started_sitting_id


@pytest.mark.django_db
def test_officer_takes_exam(client, officer_user):
    qs = [make_question(QuestionType.SINGLE), make_question(QuestionType.MULTI),
          make_question(QuestionType.TRUEFALSE, answer=True)]
    exam = make_exam(qs, points=2, pass_mark=50)
    client.force_login(officer_user)
    assert client.get(reverse("exams:exam_list")).status_code == 200
    assert client.get(reverse("exams:exam_detail", args=[exam.pk])).status_code == 200
    r = client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    assert started_sitting_id(r) == sitting.pk  # the start shows the paper at once
    page = client.get(reverse("exams:sitting", args=[sitting.pk]))
    assert page.status_code == 200
    a1, a2, a3 = sitting.answers.order_by("position")
    # plain form post for question 1
    r = client.post(reverse("exams:sitting", args=[sitting.pk]) + "?q=1",
                    {"q1-rev": "0", "q1-choice": key_of(a1)[0], "go": "2"})
    assert r.status_code == 302
    # JSON autosave for question 2 and 3
    url = reverse("exams:autosave", args=[sitting.pk])
    r = client.post(url, json.dumps({"position": 2, "revision": 0, "response": {"choices": key_of(a2)}}),
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["revision"] == 1
    r = client.post(url, json.dumps({"position": 3, "revision": 0, "response": {"choice": "F"}}),
                    content_type="application/json")
    assert r.status_code == 200
    assert client.get(reverse("exams:confirm_submit", args=[sitting.pk])).status_code == 200
    r = client.post(reverse("exams:submit", args=[sitting.pk]))
    assert r.status_code == 302
    sitting.refresh_from_db()
    assert sitting.status == "graded"
    assert sitting.score == 4 and sitting.max_score == 6 and sitting.passed
    page = client.get(reverse("exams:result", args=[sitting.pk]))
    assert page.status_code == 200
    assert "66.67%" in page.content.decode()
