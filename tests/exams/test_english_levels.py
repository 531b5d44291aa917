"""A discretion question's levels in English: one of the usual level words (轻微, 一般, 严重 …) is shown in
the reader's language on every exam page, any other level name as the author entered it."""
import pytest
from django.urls import reverse
from django.utils import translation

from exams import engine, itemanalysis
from exams.models import QuestionType
from exams.paper import feedback, public_question
from tests.exams.factories import make_exam, make_question

pytestmark = pytest.mark.django_db

#: Two usual level words and one an author made up (kept as entered in English too).
LEVELS = [{"order": 1, "name": "轻微", "fine_min": 0, "fine_max": 500},
          {"order": 2, "name": "一般", "fine_min": 500, "fine_max": 2000},
          {"order": 3, "name": "情节恶劣档", "fine_min": 2000, "fine_max": 10000}]


@pytest.fixture
def graded(officer_user, trainer_user):
    """A graded sitting whose one discretion question was answered 轻微 (the key is 一般)."""
    exam = make_exam([make_question(QuestionType.DISCRETION, levels=LEVELS, correct_level=2)])
    exam.managers.add(trainer_user)
    sitting = engine.start(exam, officer_user.officer)
    engine.save_answer(sitting, 1, {"level": 1, "amount": "300"}, 0)
    engine.finalize(sitting)
    sitting.refresh_from_db()
    return sitting


def _english(client, user, url):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_level_dicts_carry_the_label_in_the_readers_language(graded):
    """public_question and feedback give each level its label; the name stays as entered."""
    line = graded.answers.get()
    with translation.override("en"):
        levels = public_question(line)["levels"]
        assert [(lv["name"], lv["label"]) for lv in levels] == [
            ("轻微", "Minor"), ("一般", "Ordinary"), ("情节恶劣档", "情节恶劣档")]
        assert feedback(line)["discretion_level"] == "Ordinary"
    with translation.override("zh-hans"):
        assert [lv["label"] for lv in public_question(line)["levels"]] == ["轻微", "一般", "情节恶劣档"]
        assert feedback(line)["discretion_level"] == "一般"


def test_the_exam_paper_offers_the_levels_in_english(client, officer_user, trainer_user):
    exam = make_exam([make_question(QuestionType.DISCRETION, levels=LEVELS, correct_level=2)])
    sitting = engine.start(exam, officer_user.officer)
    body = _english(client, officer_user, reverse("exams:sitting", args=[sitting.pk]))
    assert "Minor" in body and "Ordinary" in body and "情节恶劣档" in body
    assert "轻微" not in body and "一般" not in body


def test_the_result_names_the_answer_and_the_key_in_english(client, officer_user, graded):
    body = _english(client, officer_user, reverse("exams:result", args=[graded.pk]))
    assert "Minor" in body and "Ordinary" in body
    assert "轻微" not in body and "一般" not in body


def test_the_trainers_pages_name_the_levels_in_english(client, trainer_user, graded):
    body = _english(client, trainer_user, reverse("exams:manage_sitting", args=[graded.pk]))
    assert "Minor" in body and "Ordinary" in body
    assert "轻微" not in body and "一般" not in body
    question = graded.answers.get().question
    body = _english(client, trainer_user, reverse("exams:question_detail", args=[question.pk]))
    assert "Minor" in body and "Ordinary" in body and "情节恶劣档" in body
    assert "轻微" not in body and "一般" not in body


def test_the_item_analysis_counts_the_levels_under_their_english_names(graded):
    with translation.override("en"):
        result = itemanalysis.analyse(graded.exam)
    texts = [o["text"] for o in result["questions"][0]["options"]]
    assert texts == ["Minor", "Ordinary", "情节恶劣档"]
