"""Practice (练习): the key reaches the page only after the answer is checked on the server;
the pool leaves out questions of a running exam; sequential practice resumes; random rounds;
背题模式; wrong answers feed the wrong-question book; favourites are the officer's own."""
import pytest
from django.urls import reverse
from django.utils import timezone

from exams import engine, practice
from exams.models import Favourite, QuestionType, WrongItem
from exams.review import practice_pool, wrong_items
from tests.exams.factories import SECRET_EXPLANATION, make_exam, make_question

pytestmark = pytest.mark.django_db


def right_key(question):
    return next(o["key"] for o in question.current_version.content["options"] if o["correct"])


def wrong_key(question):
    return next(o["key"] for o in question.current_version.content["options"] if not o["correct"])


@pytest.fixture
def bank(units):
    return [make_question(QuestionType.SINGLE, category="traffic", options=["甲项", "乙项", "丙项", "丁项"], correct=[2])
            for _i in range(3)] + [make_question(QuestionType.TRUEFALSE, category="planning", answer=True)]


def test_question_page_has_no_key_and_the_answer_is_checked_on_the_server(client, officer_user, bank):
    """GET shows the question without 解析 or 正确答案; the POSTed answer gets the key."""
    client.force_login(officer_user)
    page = client.get(reverse("exams:practice_seq"))
    body = page.content.decode()
    first = bank[0]
    assert page.status_code == 200 and first.text in body
    assert SECRET_EXPLANATION not in body and "正确答案" not in body and "feedback" not in body
    answered = client.post(reverse("exams:practice_seq"), {"question": first.pk, "q1-choice": wrong_key(first)})
    body = answered.content.decode()
    assert SECRET_EXPLANATION in body and "回答错误" in body and "丙项" in body
    item = WrongItem.objects.get(officer=officer_user.officer, question=first)
    assert item.sitting_id is None
    assert list(wrong_items(officer_user.officer)) == [item]  # shown in the book, as exams' wrong answers are


def test_two_right_answers_in_practice_take_a_question_out_of_the_book(client, officer_user, bank):
    client.force_login(officer_user)
    q = bank[0]
    url = reverse("exams:practice_chapter", args=["traffic"])
    client.post(url, {"question": q.pk, "q1-choice": wrong_key(q)})
    client.post(url, {"question": q.pk, "q1-choice": right_key(q)})
    assert WrongItem.objects.get(question=q).resolved_at is None
    client.post(url, {"question": q.pk, "q1-choice": right_key(q)})
    assert WrongItem.objects.get(question=q).resolved_at is not None


def test_sequential_practice_resumes_after_the_last_answered_question(client, officer_user, bank):
    client.force_login(officer_user)
    url = reverse("exams:practice_chapter", args=["traffic"])
    first = client.get(url)
    assert first.context["question"] == bank[0] and first.context["position"] == 1 and first.context["total"] == 3
    client.post(url, {"question": bank[0].pk, "q1-choice": right_key(bank[0])})
    again = client.get(url)
    assert again.context["question"] == bank[1] and again.context["position"] == 2
    # the planning question is not in the traffic chapter
    refused = client.post(url, {"question": bank[3].pk, "q1-choice": "T"})
    assert refused.status_code == 302
    assert not WrongItem.objects.filter(question=bank[3]).exists()


def test_questions_of_a_running_exam_stay_out_of_practice(client, officer_user, bank):
    """A fixed paper of a published exam that has not closed keeps its questions (and keys) out."""
    client.force_login(officer_user)
    secret = make_question(QuestionType.SINGLE, category="traffic", text="正在考试的题目")
    make_exam([secret], kind="annual", closes_at=timezone.now() + timezone.timedelta(days=3))
    assert secret not in practice_pool()
    r = client.post(reverse("exams:practice_seq"), {"question": secret.pk, "q1-choice": right_key(secret)})
    assert r.status_code == 302 and SECRET_EXPLANATION not in r.content.decode()
    recite = client.get(reverse("exams:practice_recite") + "?cat=traffic").content.decode()
    assert "正在考试的题目" not in recite
    draft = make_question(QuestionType.SINGLE, category="traffic", text="草稿题目", status="draft")
    assert draft not in practice_pool()


def test_random_round_asks_n_questions_then_sums_up(client, officer_user, bank):
    client.force_login(officer_user)
    url = reverse("exams:practice_random")
    client.get(url + "?n=2")
    asked = []
    for _i in range(2):
        page = client.get(url)
        q = page.context["question"]
        assert SECRET_EXPLANATION not in page.content.decode()
        asked.append(q.pk)
        key = right_key(q) if q.qtype == QuestionType.SINGLE else "T"
        client.post(url, {"question": q.pk, "q1-choice": key})
    done = client.get(url)
    assert len(set(asked)) == 2 and done.context["finished"] and done.context["right"] == 2


def test_recite_mode_shows_key_and_explanation(client, officer_user, bank):
    client.force_login(officer_user)
    body = client.get(reverse("exams:practice_recite") + "?cat=traffic").content.decode()
    assert SECRET_EXPLANATION in body and "正确答案" in body and "q1-choice" not in body


def test_favourites_are_the_officers_own_and_can_be_practised(client, officer_user, other_officer_user, bank):
    client.force_login(officer_user)
    q = bank[1]
    client.post(reverse("exams:practice_favourite", args=[q.pk]), {"on": "1"})
    assert Favourite.objects.filter(officer=officer_user.officer, question=q).exists()
    listing = client.get(reverse("exams:practice_favourites")).content.decode()
    assert q.text in listing
    fav = client.get(reverse("exams:practice_fav"))
    assert fav.context["question"] == q and fav.context["total"] == 1
    # another officer sees none of it and cannot remove it
    client.force_login(other_officer_user)
    assert q.text not in client.get(reverse("exams:practice_favourites")).content.decode()
    client.post(reverse("exams:practice_favourite", args=[q.pk]), {"on": "0"})
    assert Favourite.objects.filter(officer=officer_user.officer, question=q).exists()
    assert client.get(reverse("exams:practice_fav")).context["total"] == 0


def test_favourite_from_a_released_result_only_when_its_review_is_open(client, officer_user, units):
    """A question of a running exam can be kept once the officer's result shows its key, not before."""
    client.force_login(officer_user)
    q = make_question(QuestionType.SINGLE)
    exam = make_exam([q], kind="annual", closes_at=timezone.now() + timezone.timedelta(days=3))
    url = reverse("exams:practice_favourite", args=[q.pk])
    assert client.post(url, {"on": "1"}).status_code == 404
    sitting = engine.start(exam, officer_user.officer)
    engine.finalize(sitting)
    result = client.get(reverse("exams:result", args=[sitting.pk])).content.decode()
    assert url in result
    r = client.post(url, {"on": "1", "next": "https://evil.example/"})
    assert r.status_code == 302 and r.url == reverse("exams:practice_favourites")
    assert practice.favourite_ids(officer_user.officer, [q.pk]) == {q.pk}


def test_practice_pages_need_the_officer_role(client, trainer_user, bank):
    client.force_login(trainer_user)
    assert client.get(reverse("exams:practice")).status_code == 403
    client.logout()
    r = client.get(reverse("exams:practice"))
    assert r.status_code == 302 and "login" in r.url


def test_practice_page_lists_modes_chapters_and_progress(client, officer_user, bank):
    client.force_login(officer_user)
    client.post(reverse("exams:practice_seq"), {"question": bank[0].pk, "q1-choice": wrong_key(bank[0])})
    body = client.get(reverse("exams:practice")).content.decode()
    for text in ("顺序练习", "随机练习", "错题重练", "我的收藏", "背题模式", "我的纠错", "交通管理", "城市规划实施管理"):
        assert text in body, text
    assert "已答 1 题，答对 0 题" in body
    assert reverse("exams:practice_chapter", args=["traffic"]) in body
