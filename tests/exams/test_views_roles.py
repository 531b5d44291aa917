"""Who sees what: officers only their own sittings; trainers the sittings of exams they
manage within their scope; others are refused."""
import pytest
from django.urls import reverse

from exams import engine
from exams.models import QuestionType, Sitting
from officers import roles
from tests.exams.factories import make_exam, make_question
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(units, officer_user, other_officer_user, trainer_user):
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.CASE)], blind_marking=False)
    exam.managers.add(trainer_user)
    other_exam = make_exam([make_question(QuestionType.SINGLE)])
    mine = engine.start(exam, officer_user.officer)
    theirs = engine.start(exam, other_officer_user.officer)
    engine.save_answer(mine, 2, {"text": "分析"}, 0)
    engine.finalize(mine)
    return {"exam": exam, "other_exam": other_exam, "mine": mine, "theirs": theirs}


def test_officer_cannot_open_another_officers_sitting(client, officer_user, setup):
    client.force_login(officer_user)
    theirs = setup["theirs"]
    for name in ("sitting", "result", "confirm_submit"):
        assert client.get(reverse(f"exams:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("exams:submit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("exams:autosave", args=[theirs.pk]), "{}",
                       content_type="application/json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_officer_is_refused_trainer_pages(client, officer_user, setup):
    client.force_login(officer_user)
    for url in (reverse("exams:bank"), reverse("exams:marking"), reverse("exams:manage"),
                reverse("exams:bank_import"), reverse("exams:analysis", args=[setup["exam"].pk]),
                reverse("exams:bank_export", args=["csv"])):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, setup):
    r = client.get(reverse("exams:exam_list"))
    assert r.status_code == 302 and "login" in r.url


def test_trainer_sees_managed_exams_only(client, trainer_user, setup):
    client.force_login(trainer_user)
    assert client.get(reverse("exams:exam_sittings", args=[setup["exam"].pk])).status_code == 200
    assert client.get(reverse("exams:exam_sittings", args=[setup["other_exam"].pk])).status_code == 404
    assert client.get(reverse("exams:analysis", args=[setup["other_exam"].pk])).status_code == 404
    assert client.get(reverse("exams:manage_sitting", args=[setup["mine"].pk])).status_code == 200
    body = client.get(reverse("exams:manage")).content.decode()
    assert setup["exam"].title in body and setup["other_exam"].title not in body


def test_trainer_of_another_district_does_not_see_officers_outside_scope(client, units, setup):
    jn_trainer = make_user(roles.TRAINER, unit=units["SZ-JN"])
    setup["exam"].managers.add(jn_trainer)
    client.force_login(jn_trainer)
    # officer_a (江北) is outside 江南's subtree
    assert client.get(reverse("exams:manage_sitting", args=[setup["mine"].pk])).status_code == 404
    body = client.get(reverse("exams:marking")).content.decode()
    assert reverse("exams:mark", args=[setup["mine"].answers.get(position=2).pk]) not in body


def test_trainer_marks_from_queue_and_result_is_released(client, trainer_user, officer_user, setup):
    client.force_login(trainer_user)
    answer = setup["mine"].answers.get(position=2)
    body = client.get(reverse("exams:marking")).content.decode()
    assert reverse("exams:mark", args=[answer.pk]) in body
    r = client.post(reverse("exams:mark", args=[answer.pk]), {"score-1": "5", "score-2": "0"})
    assert r.status_code == 400 and "无效" in r.content.decode()
    r = client.post(reverse("exams:mark", args=[answer.pk]), {"score-1": "2", "score-2": "3", "comment": "好"})
    assert r.status_code == 302
    sitting = Sitting.objects.get(pk=setup["mine"].pk)
    assert sitting.status == "graded"
    client.force_login(officer_user)
    assert "分类得分" in client.get(reverse("exams:result", args=[sitting.pk])).content.decode()


def test_blind_marking_hides_names(client, trainer_user, officer_user, setup):
    """Blind marking lists the answer to mark, without the candidate's name or number; the
    same pages name the candidate when blind marking is off."""
    exam = setup["exam"]
    officer = officer_user.officer
    answer = setup["mine"].answers.get(position=2)
    client.force_login(trainer_user)

    def pages():
        queue = client.get(reverse("exams:marking"))
        mark = client.get(reverse("exams:mark", args=[answer.pk]))
        assert queue.status_code == 200 and mark.status_code == 200
        return queue.content.decode(), mark.content.decode()

    queue, mark = pages()
    assert officer.full_name in queue + mark  # not blind: the name is shown
    exam.blind_marking = True
    exam.save()
    queue, mark = pages()
    assert reverse("exams:mark", args=[answer.pk]) in queue and exam.title in queue
    assert "分析" in mark  # the answer being marked is shown
    for text in (officer.full_name, officer.employee_number):
        assert text not in queue and text not in mark


def test_hr_is_refused_bank_and_marking(client, hr_user, setup):
    client.force_login(hr_user)
    assert client.get(reverse("exams:bank")).status_code == 403
    assert client.get(reverse("exams:marking")).status_code == 403


def test_dashboard_panel_and_nav(client, officer_user, trainer_user, setup):
    client.force_login(officer_user)
    body = client.get(reverse("portal:home")).content.decode()
    assert "我的考试" in body and setup["exam"].title in body
    assert "此功能尚未开通" not in body.split("我的考试")[1].split("</section>")[0]
    assert reverse("exams:wrong_book") in body and reverse("exams:bank") not in body
    client.force_login(trainer_user)
    body = client.get(reverse("portal:home")).content.decode()
    for url in (reverse("exams:bank"), reverse("exams:marking"), reverse("exams:manage")):
        assert url in body
    for name in ("exams:bank", "exams:manage", "exams:marking", "exams:bank_import"):
        assert client.get(reverse(name)).status_code == 200, name
    q = setup["exam"].exam_questions.first().question
    assert client.get(reverse("exams:question_detail", args=[q.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_exams_question:edit", args=[q.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_exams_exam:edit", args=[setup["exam"].pk])).status_code == 200


def test_wrong_book_pages(client, officer_user, trainer_user, setup):
    client.force_login(officer_user)
    body = client.get(reverse("exams:wrong_book")).content.decode()
    # the case answer awaits marking, so the result (and with it the key) is not released yet
    assert "答错 1 次" not in body and "另有 1 道错题" in body
    case_answer = setup["mine"].answers.get(position=2)
    engine.mark_answer(case_answer, {"1": {"score": "1"}, "2": {"score": "1"}}, "", trainer_user)
    body = client.get(reverse("exams:wrong_book")).content.decode()
    assert "错题本" in body and "答错 1 次" in body  # the blank single-choice answer
    r = client.get(reverse("exams:wrong_practice"))
    assert r.status_code == 200
    item = officer_user.officer.wrong_items.get()
    version = item.question.current_version
    key = [o["key"] for o in version.content["options"] if o["correct"]][0]
    for _ in range(2):
        r = client.post(reverse("exams:wrong_practice"), {"item": item.pk, "version": version.pk, "q1-choice": key})
        assert "回答正确" in r.content.decode()
    item.refresh_from_db()
    assert item.resolved_at is not None


def test_admin_form_refuses_a_single_choice_without_one_right_option(client, trainer_user, setup):
    """Creating a question in the Wagtail admin checks the key for the type."""
    client.force_login(trainer_user)
    data = {
        "qtype": "single", "category": "traffic", "difficulty": "2", "status": "active", "text": "管理后台新建的题",
        "explanation": "", "reference_answer": "", "truefalse_answer": "", "discretion_levels": "[]",
        "discretion_correct_level": "", "discretion_amount_min": "", "discretion_amount_max": "",
        "article_refs": "[]", "tags": "",
        "options-TOTAL_FORMS": "2", "options-INITIAL_FORMS": "0", "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-text": "甲", "options-0-ORDER": "1", "options-1-text": "乙", "options-1-ORDER": "2",
    }
    for prefix in ("rubric_points", "article_links", "case_links", "casefile_documents", "review_items"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    from exams.models import Question
    url = reverse("wagtailsnippets_exams_question:add")
    r = client.post(url, data)
    assert r.status_code == 200 and "单选题必须恰有一个正确选项" in r.content.decode()
    assert not Question.objects.filter(text="管理后台新建的题").exists()
    data["options-1-is_correct"] = "on"
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    q = Question.objects.get(text="管理后台新建的题")
    assert q.current_version is not None and q.created_by == trainer_user
    assert [o["correct"] for o in q.current_version.content["options"]] == [False, True]
