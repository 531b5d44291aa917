"""Marking: 下一份 stays in the same exam; marking one question across all papers (按题阅卷)
is blind, refuses a score above the question's points with the reason and saves nothing then."""
import pytest
from django.urls import reverse

from exams import batchmarking, engine
from exams.models import Answer, QuestionType, SittingStatus
from officers import roles
from tests.exams.factories import make_exam, make_question
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(units, trainer_user):
    """An exam (not set to blind marking) with one case question worth 10, sat by three officers."""
    case = make_question(QuestionType.CASE, text="案例题：如何处理占道经营？")
    single = make_question(QuestionType.SINGLE)
    exam = make_exam([single, case], points=10, blind_marking=False)
    exam.managers.add(trainer_user)
    other_exam = make_exam([make_question(QuestionType.CASE)], points=5)
    other_exam.managers.add(trainer_user)
    names = ["张批改甲", "李批改乙", "王批改丙"]
    sittings = []
    for i, name in enumerate(names):
        officer = make_user(roles.OFFICER, unit=units["SZ-JB-01"], full_name=name).officer
        s = engine.start(exam, officer)
        engine.save_answer(s, 2, {"text": f"作答内容{i}"}, 0)
        engine.finalize(s)
        sittings.append(s)
    late = engine.start(other_exam, make_user(roles.OFFICER, unit=units["SZ-JB-01"]).officer)
    engine.save_answer(late, 1, {"text": "另一场考试的作答"}, 0)
    engine.finalize(late)
    return {"exam": exam, "case": case, "sittings": sittings, "names": names}


def url(papers):
    return reverse("exams:batch_mark", args=[papers["exam"].pk, papers["case"].pk])


def answers(papers):
    return list(Answer.objects.filter(sitting__in=papers["sittings"], position=2)
                .order_by("sitting__ended_at", "sitting_id"))


def test_batch_page_lists_every_answer_without_names(client, trainer_user, papers):
    client.force_login(trainer_user)
    body = client.get(url(papers)).content.decode()
    for i in range(3):
        assert f"作答内容{i}" in body
    for name in papers["names"]:
        assert name not in body
    assert "另一场考试的作答" not in body
    assert all(f"score-{a.pk}" in body for a in answers(papers))
    listing = client.get(reverse("exams:batch_questions", args=[papers["exam"].pk])).content.decode()
    assert "案例题：如何处理占道经营？" in listing


def test_a_score_above_the_points_saves_nothing_and_says_why(client, trainer_user, papers):
    client.force_login(trainer_user)
    a, b, c = answers(papers)
    r = client.post(url(papers), {f"score-{a.pk}": "8", f"score-{b.pk}": "12", f"score-{c.pk}": "abc"})
    body = r.content.decode()
    assert r.status_code == 400
    assert "超过本题满分" in body and "不是有效的分数" in body and "没有保存任何分数" in body
    assert not Answer.objects.filter(pk__in=[a.pk, b.pk, c.pk], marked_at__isnull=False).exists()
    assert 'value="8"' in body  # what was typed is kept


def test_valid_scores_are_saved_together_and_release_results(client, trainer_user, papers):
    client.force_login(trainer_user)
    a, b, c = answers(papers)
    r = client.post(url(papers), {f"score-{a.pk}": "8", f"score-{b.pk}": "10", f"score-{c.pk}": ""})
    assert r.status_code == 302
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert (a.score, b.score, c.marked_at) == (8, 10, None)
    assert a.marked_by == trainer_user and b.correct is True and a.correct is False
    statuses = {s.pk: s.status for s in papers["exam"].sittings.all()}
    assert statuses[a.sitting_id] == SittingStatus.GRADED and statuses[c.sitting_id] == SittingStatus.MARKING
    remaining = client.get(url(papers)).content.decode()
    assert "作答内容" in remaining and f"score-{a.pk}" not in remaining


def test_an_answer_marked_meanwhile_makes_the_whole_batch_fail(trainer_user, papers):
    a, b, _c = answers(papers)
    stale = batchmarking.answers_for(papers["exam"].sittings.all(), papers["exam"], papers["case"].pk)
    Answer.objects.filter(pk=b.pk).update(marked_at=b.sitting.ended_at, score=1)
    saved, errors = batchmarking.save_scores(stale, {a.pk: "5", b.pk: "6"}, trainer_user)
    assert saved == 0 and errors[0].code == "already_marked"
    a.refresh_from_db()
    assert a.marked_at is None and a.score is None


def test_batch_marking_is_scoped_to_managed_exams(client, units, papers):
    stranger = make_user(roles.TRAINER, unit=units["SZ"])
    client.force_login(stranger)
    assert client.get(url(papers)).status_code == 404
    a = answers(papers)[0]
    assert client.post(url(papers), {f"score-{a.pk}": "1"}).status_code == 404
    a.refresh_from_db()
    assert a.marked_at is None


def test_next_paper_stays_in_the_same_exam(client, trainer_user, papers):
    """After saving a mark, 下一份 opens the next unmarked paper of the same exam."""
    client.force_login(trainer_user)
    a, b, _c = answers(papers)
    r = client.post(reverse("exams:mark", args=[a.pk]), {"score-1": "2", "score-2": "3"})
    assert r.status_code == 302 and r.url == reverse("exams:mark", args=[b.pk])
