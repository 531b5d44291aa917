"""The sitting pages as an officer sees them: nothing leaks, late answers are refused,
stale posts are refused, resume works, submit is idempotent."""
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams.models import QuestionType, Sitting
from tests.exams.factories import (
    SECRET_EXPLANATION, SECRET_REFERENCE, key_of, make_exam, make_question, started_sitting_id,
)

pytestmark = pytest.mark.django_db

#: What must never appear while a sitting is open.
LEAK_PATTERNS = [SECRET_EXPLANATION, SECRET_REFERENCE, "is_correct", '"correct"', "data-correct", "✓",
                 "正确答案", "解析", "参考答案", "得分率", "feedback", '"score"', "fine_min", "fine_max"]


def assert_no_leak(response, where):
    body = response.content.decode("utf-8", "replace")
    for pattern in LEAK_PATTERNS:
        assert pattern not in body, f"{pattern!r} leaked in {where}"
    # no hidden fields other than the CSRF token and revisions
    for name in re.findall(r'type="hidden" name="([^"]+)"', body):
        assert name == "csrfmiddlewaretoken" or re.fullmatch(r"q\d+-rev", name), name


@pytest.fixture
def paper():
    return [make_question(QuestionType.SINGLE), make_question(QuestionType.MULTI),
            make_question(QuestionType.TRUEFALSE, answer=True), make_question(QuestionType.CASE), make_question(QuestionType.DISCRETION)]


def test_no_answer_key_in_any_response_during_a_sitting(client, officer_user, paper):
    """Scan every page and JSON answer an officer gets while the sitting is open."""
    exam = make_exam(paper, time_limit_minutes=30)
    client.force_login(officer_user)
    responses = [("list", client.get(reverse("exams:exam_list"))),
                 ("detail", client.get(reverse("exams:exam_detail", args=[exam.pk])))]
    r = client.post(reverse("exams:start", args=[exam.pk]), follow=True)
    responses.append(("start", r))
    sitting = Sitting.objects.get()
    url = reverse("exams:sitting", args=[sitting.pk])
    for n in range(1, 6):
        responses.append((f"q{n}", client.get(url, {"q": n})))
    responses.append(("all", client.get(url, {"all": "1"})))
    a1 = sitting.answers.get(position=1)
    responses.append(("form post", client.post(url + "?q=1", {"q1-rev": "0", "q1-choice": key_of(a1)[0], "go": "2"},
                                               follow=True)))
    responses.append(("stale post", client.post(url + "?q=1", {"q1-rev": "0", "q1-choice": "1", "go": "1"})))
    autosave = reverse("exams:autosave", args=[sitting.pk])
    for pos, resp in ((2, {"choices": ["1"]}), (3, {"choice": "T"}), (4, {"text": "我的分析"}),
                      (5, {"level": 2, "amount": "800"})):
        responses.append((f"autosave {pos}", client.post(autosave, json.dumps(
            {"position": pos, "revision": 0, "response": resp}), content_type="application/json")))
    responses.append(("stale json", client.post(autosave, json.dumps(
        {"position": 2, "revision": 0, "response": {"choices": ["2"]}}), content_type="application/json")))
    responses.append(("confirm", client.get(reverse("exams:confirm_submit", args=[sitting.pk]))))
    responses.append(("dashboard", client.get(reverse("portal:home"))))
    responses.append(("result while open", client.get(reverse("exams:result", args=[sitting.pk]), follow=True)))
    for where, response in responses:
        assert response.status_code in (200, 409), where
        assert_no_leak(response, where)
    stale = dict(responses)["stale json"]
    assert stale.status_code == 409 and stale.json()["error"] == "stale"


def test_review_after_release_shows_key_and_explanation(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE)], review="after_submit")
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    client.post(reverse("exams:submit", args=[sitting.pk]))
    body = client.get(reverse("exams:result", args=[sitting.pk])).content.decode()
    assert SECRET_EXPLANATION in body and "正确答案" in body


def test_review_never_hides_key_after_submit(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE)], review="never")
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    client.post(reverse("exams:submit", args=[sitting.pk]))
    body = client.get(reverse("exams:result", args=[sitting.pk])).content.decode()
    assert SECRET_EXPLANATION not in body and "正确答案" not in body
    assert "分类得分" in body


@override_settings(EXAM_GRACE_SECONDS=30)
def test_late_answers_are_refused_with_a_message(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.SINGLE)], time_limit_minutes=10)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    # the clock ran out 31 seconds ago (beyond the grace)
    past = timezone.now() - timedelta(minutes=10, seconds=31)
    Sitting.objects.filter(pk=sitting.pk).update(started_at=past, deadline=past + timedelta(minutes=10))
    r = client.post(reverse("exams:autosave", args=[sitting.pk]),
                    json.dumps({"position": 1, "revision": 0, "response": {"choice": "1"}}),
                    content_type="application/json")
    assert r.status_code == 409 and r.json()["error"] == "late" and r.json()["message"]
    sitting.refresh_from_db()
    assert sitting.status == "graded" and sitting.ended_by == "timeout"
    assert sitting.answers.get(position=1).response is None
    # a forged form post is refused too
    r = client.post(reverse("exams:sitting", args=[sitting.pk]) + "?q=2", {"q2-rev": "0", "q2-choice": "1"})
    assert r.status_code in (302, 409)
    assert sitting.answers.get(position=2).response is None


@override_settings(EXAM_GRACE_SECONDS=30)
def test_answer_within_grace_is_accepted(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE)], time_limit_minutes=10)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    past = timezone.now() - timedelta(minutes=10, seconds=10)
    Sitting.objects.filter(pk=sitting.pk).update(started_at=past, deadline=past + timedelta(minutes=10))
    r = client.post(reverse("exams:autosave", args=[sitting.pk]),
                    json.dumps({"position": 1, "revision": 0, "response": {"choice": "1"}}),
                    content_type="application/json")
    assert r.status_code == 200 and r.json() == {"ok": True, "revision": 1, "saved_at": r.json()["saved_at"]}
    answer = sitting.answers.get(position=1)
    assert answer.response == {"choice": "1"} and answer.revision == 1 and answer.saved_at is not None
    sitting.refresh_from_db()
    assert sitting.status == "open"  # still open: the answer counts when the paper is submitted
    client.post(reverse("exams:submit", args=[sitting.pk]))
    answer.refresh_from_db()
    assert answer.score == (answer.points if "1" in key_of(answer) else 0)


def test_form_post_on_overdue_sitting_gives_409(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE)], time_limit_minutes=1)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    # the sitting view finalises it first when touched, then refuses the post
    r = client.post(reverse("exams:sitting", args=[sitting.pk]) + "?q=1", {"q1-rev": "0", "q1-choice": "1"})
    assert r.status_code == 302 and r.url == reverse("exams:result", args=[sitting.pk])
    sitting.refresh_from_db()
    assert sitting.status == "graded"


def test_resume_after_crash_keeps_server_clock_and_answers(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.SINGLE)], time_limit_minutes=30)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    a2 = sitting.answers.get(position=2)
    client.post(reverse("exams:sitting", args=[sitting.pk]) + "?q=2", {"q2-rev": "0", "q2-choice": key_of(a2)[0],
                                                                        "go": "2"})
    Sitting.objects.filter(pk=sitting.pk).update(started_at=timezone.now() - timedelta(minutes=20),
                                                 deadline=timezone.now() + timedelta(minutes=10))
    # a new browser: a fresh client with the same login
    client2 = type(client)()
    client2.force_login(officer_user)
    detail = client2.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    assert "继续作答" in detail
    r = client2.post(reverse("exams:start", args=[exam.pk]))
    assert started_sitting_id(r) == sitting.pk  # the same sitting, shown at once
    body = r.content.decode()
    left = int(re.search(r'data-seconds-left="(\d+)"', body).group(1))
    assert 590 <= left <= 600
    assert f'value="{key_of(a2)[0]}" checked' in body  # resumes at question 2 with the answer ticked
    assert Sitting.objects.count() == 1


def test_submit_twice_gives_one_result(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE)])
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    r1 = client.post(reverse("exams:submit", args=[sitting.pk]))
    r2 = client.post(reverse("exams:submit", args=[sitting.pk]))
    assert r1.status_code == r2.status_code == 302 and r1.url == r2.url
    sitting.refresh_from_db()
    assert sitting.status == "graded" and Sitting.objects.count() == 1


def test_practice_feedback_after_each_question(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.SINGLE)], kind="practice",
                     feedback="each")
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    url = reverse("exams:sitting", args=[sitting.pk])
    body = client.get(url, {"q": 1}).content.decode()
    assert SECRET_EXPLANATION not in body
    a1 = sitting.answers.get(position=1)
    client.post(url + "?q=1", {"q1-rev": "0", "q1-choice": key_of(a1)[0], "action": "check"})
    body = client.get(url, {"q": 1}).content.decode()
    assert SECRET_EXPLANATION in body and "回答正确" in body
    assert SECRET_EXPLANATION + " 第" not in client.get(url, {"q": 2}).content.decode()
    # a checked answer is locked
    r = client.post(reverse("exams:autosave", args=[sitting.pk]),
                    json.dumps({"position": 1, "revision": 1, "response": {"choice": "1"}}),
                    content_type="application/json")
    assert r.status_code == 409 and r.json()["error"] == "locked"


def test_bad_json_is_400(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE)])
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    r = client.post(reverse("exams:autosave", args=[sitting.pk]), "not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["error"] == "bad_request"


def test_start_refused_when_closed_shows_message(client, officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE)], closes_at=timezone.now() - timedelta(days=1))
    client.force_login(officer_user)
    r = client.post(reverse("exams:start", args=[exam.pk]), follow=True)
    assert "考试已关闭" in r.content.decode()
    assert not Sitting.objects.exists()


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_the_papers_field_names_and_revisions_are_never_localised(client, officer_user):
    """Positions and revisions name the paper's form fields and carry the revision a save is
    based on: shown in a language that groups digits ("1,234" in English), a revision of 1234
    must still read 1234, or the next save would be refused as stale."""
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.MULTI)], time_limit_minutes=30)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    sitting.answers.filter(position=2).update(revision=1234)
    body = client.get(reverse("exams:sitting", args=[sitting.pk]) + "?all=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in body or "Submit" in body  # the English page
    assert 'data-revision="1234"' in body and 'name="q2-rev" value="1234"' in body
    assert "1,234" not in body
    line = sitting.answers.get(position=2)
    r = client.post(reverse("exams:autosave", args=[sitting.pk]),
                    json.dumps({"position": 2, "revision": 1234, "response": {"choices": [line.option_order[0]]}}),
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["revision"] == 1235


def test_the_paper_shows_no_menu_and_no_tab_bar_and_runs_none_of_their_queries(client, officer_user, paper):
    """The exam paper is a page of its own (leaving it is counted; officers sit it on a
    phone): no site menu, no bottom tab bar, and none of the menu's queries (unread
    notices, the course centre), while the exam page before it keeps both."""
    exam = make_exam(paper, time_limit_minutes=30)
    client.force_login(officer_user)
    detail = client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    assert 'class="tabbar"' in detail and reverse("courses:my_learning") in detail
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    url = reverse("exams:sitting", args=[sitting.pk])
    for params in ({"q": 1}, {"all": "1"}):
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url, params).content.decode()
        assert 'class="tabbar"' not in body and reverse("courses:my_learning") not in body
        assert 'name="q1-' in body  # the paper itself is there
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "officers_notice" not in sql and "wagtailcore_page" not in sql, sql


def test_the_question_navigation_marks_the_answered_questions_on_every_view(client, officer_user, paper):
    """The one-question page reads only its own question in full, yet its navigation still
    knows which of the others are answered (every question type), as the whole paper does."""
    exam = make_exam(paper, time_limit_minutes=30)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    autosave = reverse("exams:autosave", args=[sitting.pk])
    a1 = sitting.answers.get(position=1)
    for pos, resp in ((1, {"choice": key_of(a1)[0]}), (3, {"choice": "T"}), (4, {"text": "我的分析"})):
        assert client.post(autosave, json.dumps({"position": pos, "revision": 0, "response": resp}),
                           content_type="application/json").status_code == 200
    url = reverse("exams:sitting", args=[sitting.pk])
    for params in ({"q": 2}, {"q": 5}, {"all": "1"}):
        body = client.get(url, params).content.decode()
        marked = re.findall(rf'href="{url}\?q=(\d+)" data-position="\1" class="qnav-item([^"]*)"', body)
        assert [p for p, cls in marked if "is-answered" in cls] == ["1", "3", "4"], (params, marked)
        assert "已答 3 / 5" in body
