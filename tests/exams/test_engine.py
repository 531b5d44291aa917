"""The exam engine: drawing, freezing, deadline and grace, revisions, finishing, marking,
versions and the exactly-once pass event."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from exams import engine, services
from exams.models import Option, QuestionType, Sitting, WrongItem
from officers.events import exam_passed, exam_result_released
from tests.exams.factories import key_of, make_exam, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_commit_now(monkeypatch):
    """The test runs inside a transaction that never commits: run on-commit work at once.
    (The real commit path is covered by test_concurrency, which commits.)"""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())


@pytest.fixture
def officer(officer_user):
    return officer_user.officer


@pytest.fixture
def passed_events():
    events = []

    def handler(sender, **kw):
        events.append(kw)

    exam_passed.connect(handler)
    yield events
    exam_passed.disconnect(handler)


@pytest.fixture
def released_events():
    events = []

    def handler(sender, **kw):
        events.append(kw)

    exam_result_released.connect(handler)
    yield events
    exam_result_released.disconnect(handler)


def answer_all_right(sitting):
    for a in sitting.answers.select_related("version"):
        qtype = a.version.content["qtype"]
        if qtype in (QuestionType.SINGLE, QuestionType.TRUEFALSE):
            raw = {"choice": key_of(a)[0]}
        elif qtype == QuestionType.MULTI:
            raw = {"choices": key_of(a)}
        elif qtype == QuestionType.DISCRETION:
            raw = {"level": 2, "amount": "1000"}
        else:
            raw = {"text": "答案"}
        assert engine.save_answer(sitting, a.position, raw, a.revision)[0] == engine.SAVED


def test_draw_rules_give_fresh_papers_by_rule():
    """Rules draw N of a type × category × difficulty, without repeats; papers differ per sitting."""
    for i in range(6):
        make_question(QuestionType.SINGLE, category="traffic", difficulty=1)
        make_question(QuestionType.TRUEFALSE, category="planning", difficulty=3, answer=bool(i % 2))
    make_question(QuestionType.SINGLE, category="traffic", difficulty=2)  # wrong difficulty: never drawn by rule 1
    exam = make_exam(mode="rules", rules=[
        {"count": 3, "qtype": QuestionType.SINGLE, "category": "traffic", "difficulty": 1, "points": Decimal("2")},
        {"count": 2, "qtype": QuestionType.TRUEFALSE, "category": "", "difficulty": None, "points": Decimal("1")},
    ], random_order=True)
    import random
    papers = []
    for seed in range(5):
        paper = engine.draw_paper(exam, random.Random(seed))
        assert len(paper) == 5 and len({q.pk for q, _p in paper}) == 5
        singles = [(q, p) for q, p in paper if q.qtype == QuestionType.SINGLE]
        assert len(singles) == 3 and all(q.difficulty == 1 and p == 2 for q, p in singles)
        assert sum(1 for q, _p in paper if q.qtype == QuestionType.TRUEFALSE) == 2
        papers.append(tuple(sorted(q.pk for q, _p in paper)))
    assert len(set(papers)) > 1


def test_draw_rule_short_of_questions_is_refused(officer):
    make_question(QuestionType.SINGLE, category="traffic")
    exam = make_exam(mode="rules",
                     rules=[{"count": 5, "qtype": QuestionType.SINGLE, "category": "traffic", "points": 1}])
    with pytest.raises(engine.ExamError) as exc:
        engine.start(exam, officer)
    assert exc.value.code == "draw_short"
    assert not Sitting.objects.exists()


def test_paper_is_frozen_with_versions_and_option_order(officer):
    q = make_question(QuestionType.SINGLE)
    exam = make_exam([q], answer_order="random")
    sitting = engine.start(exam, officer, seed=3)
    line = sitting.answers.get()
    assert line.version == q.current_version
    assert sorted(line.option_order) == ["1", "2", "3", "4"]
    # answering then editing the question creates a new version; the sitting keeps the old one
    engine.save_answer(sitting, 1, {"choice": key_of(line)[0]}, 0)
    old_text = line.version.content["text"]
    q.text = "改过的题干"
    q.save()
    new_version = q.publish_version()
    assert new_version.number == 2
    line.refresh_from_db()
    assert line.version.content["text"] == old_text
    engine.finalize(sitting)
    sitting.refresh_from_db()
    assert sitting.score == 1


def test_unanswered_version_is_updated_in_place():
    q = make_question(QuestionType.SINGLE)
    v1 = q.current_version
    Option.objects.filter(question=q, sort_order=0).update(text="改")
    assert q.publish_version().pk == v1.pk
    assert q.versions.count() == 1


def test_answer_order_content_sorts_by_text(officer):
    q = make_question(QuestionType.SINGLE, options=["丁", "乙", "甲", "丙"], correct=[0])
    sitting = engine.start(make_exam([q], answer_order="content"), officer)
    texts = {o["key"]: o["text"] for o in sitting.answers.get().version.content["options"]}
    assert [texts[k] for k in sitting.answers.get().option_order] == sorted(["丁", "乙", "甲", "丙"])


def test_deadline_is_start_plus_limit_capped_by_close(officer):
    now = timezone.now()
    q = make_question(QuestionType.SINGLE)
    exam = make_exam([q], time_limit_minutes=60)
    assert engine.start(exam, officer, now=now).deadline == now + timedelta(minutes=60)
    exam2 = make_exam([q], time_limit_minutes=60, closes_at=now + timedelta(minutes=10))
    assert engine.start(exam2, officer, now=now).deadline == now + timedelta(minutes=10)


@override_settings(EXAM_GRACE_SECONDS=30)
def test_grace_then_refusal_and_finalisation(officer):
    q = make_question(QuestionType.SINGLE)
    exam = make_exam([q], time_limit_minutes=10)
    start = timezone.now() - timedelta(minutes=10)
    sitting = engine.start(exam, officer, now=start)
    line = sitting.answers.get()
    within_grace = sitting.deadline + timedelta(seconds=20)
    assert engine.save_answer(sitting, 1, {"choice": key_of(line)[0]}, 0, now=within_grace)[0] == engine.SAVED
    late = sitting.deadline + timedelta(seconds=31)
    assert engine.save_answer(sitting, 1, {"choice": "1"}, 1, now=late)[0] == engine.LATE
    sitting.refresh_from_db()
    assert sitting.status == "graded" and sitting.ended_by == "timeout"
    assert sitting.score == 1  # the answer saved in grace counts, the late one did not


def test_stale_or_replayed_revision_cannot_overwrite(officer):
    q = make_question(QuestionType.SINGLE)
    sitting = engine.start(make_exam([q]), officer)
    assert engine.save_answer(sitting, 1, {"choice": "1"}, 0)[0] == engine.SAVED
    assert engine.save_answer(sitting, 1, {"choice": "2"}, 1)[0] == engine.SAVED
    status, answer = engine.save_answer(sitting, 1, {"choice": "3"}, 1)  # replay of an older page
    assert status == engine.STALE and answer.response == {"choice": "2"} and answer.revision == 2
    status, _a = engine.save_answer(sitting, 1, {"choice": "3"}, 0)
    assert status == engine.STALE


def test_resume_returns_the_open_sitting(officer):
    exam = make_exam([make_question(QuestionType.SINGLE)], time_limit_minutes=30)
    first = engine.start(exam, officer)
    again = engine.start(exam, officer)
    assert again.pk == first.pk and again.deadline == first.deadline
    assert Sitting.objects.count() == 1


def test_attempts_and_single_attempt(officer):
    exam = make_exam([make_question(QuestionType.SINGLE)], single_attempt=True)
    engine.finalize(engine.start(exam, officer))
    with pytest.raises(engine.ExamError) as exc:
        engine.start(exam, officer)
    assert exc.value.code == "no_attempts"
    exam2 = make_exam([make_question(QuestionType.SINGLE)], max_attempts=2)
    engine.finalize(engine.start(exam2, officer))
    engine.finalize(engine.start(exam2, officer))
    with pytest.raises(engine.ExamError):
        engine.start(exam2, officer)


def test_closed_draft_and_unit_eligibility(officer, units):
    q = make_question(QuestionType.SINGLE)
    with pytest.raises(engine.ExamError):
        engine.start(make_exam([q], draft=True), officer)
    with pytest.raises(engine.ExamError):
        engine.start(make_exam([q], closes_at=timezone.now() - timedelta(minutes=1)), officer)
    exam = make_exam([q])
    exam.eligible_units.add(units["SZ-JN"])
    with pytest.raises(engine.ExamError) as exc:
        engine.start(exam, officer)
    assert exc.value.code == "not_eligible"
    exam.eligible_units.set([units["SZ-JB"]])
    assert engine.start(exam, officer).pk


def test_counting_highest_or_last(officer):
    q = make_question(QuestionType.SINGLE)
    for counting, expected in (("highest", 1), ("last", 2)):
        exam = make_exam([q], counting=counting)
        s1 = engine.start(exam, officer)
        answer_all_right(s1)
        engine.finalize(s1)
        s2 = engine.start(exam, officer)
        engine.finalize(s2)
        assert services.best_result(officer, exam).attempt == expected


def test_pass_fires_once(officer, passed_events):
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.TRUEFALSE, answer=False)],
                     pass_mark=50)
    sitting = engine.start(exam, officer)
    answer_all_right(sitting)
    assert engine.finalize(sitting) is True
    assert engine.finalize(sitting) is False
    engine.try_release(sitting)
    call_command("finalize_overdue_sittings")
    assert len(passed_events) == 1
    ev = passed_events[0]
    assert ev["sitting"].pk == sitting.pk and ev["exam"] == exam and ev["officer"] == officer
    assert ev["score"] == Decimal("100.00")
    assert list(services.passed_exams(officer)) == [exam]


def test_failed_sitting_fires_nothing(officer, passed_events):
    exam = make_exam([make_question(QuestionType.SINGLE)], pass_mark=60)
    engine.finalize(engine.start(exam, officer))
    assert passed_events == [] and services.has_passed(officer, exam) is False


def test_every_released_result_is_announced_once(officer, released_events):
    """exam_result_released: once per sitting, passed or not (officers re-checks the annual
    exam status on a fail)."""
    failed_exam = make_exam([make_question(QuestionType.SINGLE)], pass_mark=60)
    failed = engine.start(failed_exam, officer)
    engine.finalize(failed)
    engine.try_release(failed)
    passed_exam = make_exam([make_question(QuestionType.SINGLE)], pass_mark=50)
    passed = engine.start(passed_exam, officer)
    answer_all_right(passed)
    engine.finalize(passed)
    call_command("finalize_overdue_sittings")
    assert [(e["sitting"].pk, e["passed"]) for e in released_events] == [(failed.pk, False), (passed.pk, True)]
    assert released_events[0]["exam"] == failed_exam and released_events[0]["officer"] == officer


def test_case_marking_releases_result_once_all_marked(officer, trainer_user, passed_events):
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.CASE),
                      make_question(QuestionType.CASE)], points=5, pass_mark=60)
    sitting = engine.start(exam, officer)
    answer_all_right(sitting)
    engine.finalize(sitting)
    sitting.refresh_from_db()
    assert sitting.status == "marking" and sitting.passed is None
    cases = list(sitting.answers.filter(needs_marking=True))
    assert len(cases) == 2
    with pytest.raises(engine.ExamError) as exc:
        engine.mark_answer(cases[0], {"1": {"score": "9"}, "2": {"score": "0"}}, "", trainer_user)
    assert exc.value.code == "bad_mark"
    engine.mark_answer(cases[0], {"1": {"score": "2", "comment": "好"}, "2": {"score": "3"}}, "", trainer_user)
    sitting.refresh_from_db()
    assert sitting.status == "marking" and passed_events == []
    engine.mark_answer(cases[1], {"1": {"score": "1"}, "2": {"score": "0"}}, "不足", trainer_user)
    sitting.refresh_from_db()
    assert sitting.status == "graded"
    assert sitting.score == Decimal("11.00") and sitting.max_score == 15 and sitting.passed
    assert len(passed_events) == 1
    with pytest.raises(engine.ExamError):
        engine.mark_answer(cases[1], {"1": {"score": "2"}, "2": {"score": "3"}}, "", trainer_user)


def test_blank_case_answer_needs_no_marking(officer):
    exam = make_exam([make_question(QuestionType.CASE)])
    sitting = engine.start(exam, officer)
    engine.finalize(sitting)
    sitting.refresh_from_db()
    assert sitting.status == "graded" and sitting.score == 0


def test_finalize_overdue_command_is_idempotent(officer, capsys):
    exam = make_exam([make_question(QuestionType.SINGLE)], time_limit_minutes=5)
    sitting = engine.start(exam, officer, now=timezone.now() - timedelta(hours=1))
    fresh = engine.start(make_exam([make_question(QuestionType.SINGLE)], time_limit_minutes=60), officer)
    call_command("finalize_overdue_sittings")
    assert "finalised 1" in capsys.readouterr().out
    call_command("finalize_overdue_sittings")
    assert "finalised 0" in capsys.readouterr().out
    sitting.refresh_from_db()
    fresh.refresh_from_db()
    assert sitting.status == "graded" and sitting.ended_by == "command"
    assert fresh.status == "open"


def test_overdue_sitting_is_finalised_when_touched(officer):
    exam = make_exam([make_question(QuestionType.SINGLE)], time_limit_minutes=5)
    old = engine.start(exam, officer, now=timezone.now() - timedelta(hours=1))
    new = engine.start(exam, officer)
    old.refresh_from_db()
    assert old.status == "graded" and old.ended_by == "timeout"
    assert new.pk != old.pk and new.attempt == 2


def test_exam_hours_credited_on_pass(officer):
    exam = make_exam([make_question(QuestionType.SINGLE)], hours=Decimal("2"), pass_mark=50)
    sitting = engine.start(exam, officer)
    answer_all_right(sitting)
    engine.finalize(sitting)
    assert officer.hours.filter(source_key=f"exam:{exam.pk}").count() == 1


def test_wrong_book_entry_and_exit(officer):
    q = make_question(QuestionType.SINGLE)
    exam = make_exam([q])
    engine.finalize(engine.start(exam, officer))  # blank: wrong
    item = WrongItem.objects.get(officer=officer, question=q)
    assert item.resolved_at is None and item.times_wrong == 1
    engine.record_outcome(officer.pk, q.pk, q.current_version_id, True, {})
    engine.record_outcome(officer.pk, q.pk, q.current_version_id, False, {})  # streak resets
    item.refresh_from_db()
    assert item.streak == 0 and item.times_wrong == 2 and item.resolved_at is None
    engine.record_outcome(officer.pk, q.pk, q.current_version_id, True, {})
    engine.record_outcome(officer.pk, q.pk, q.current_version_id, True, {})
    item.refresh_from_db()
    assert item.resolved_at is not None


def test_standing_reads_the_officers_own_sittings_by_attempt_and_extra_minutes(officer, other_officer_user):
    """One statement gives the officer's sittings of the exam, in attempt order, each with the
    exam set, and their extra minutes on it; nobody else's, and nothing of another exam."""
    from exams.models import ExtraTime

    exam = make_exam([make_question()], max_attempts=3, time_limit_minutes=20)
    other_exam = make_exam([make_question()])
    assert engine.standing(exam, officer) == engine.Standing([], 0)
    first = engine.start(exam, officer, seed=1)
    engine.finalize(first)
    second = engine.start(exam, officer, seed=2)
    engine.start(exam, other_officer_user.officer, seed=3)
    engine.start(other_exam, officer, seed=4)
    ExtraTime.objects.create(exam=exam, officer=other_officer_user.officer, minutes=15, reason="伤病证明")
    ExtraTime.objects.create(exam=other_exam, officer=officer, minutes=25, reason="伤病证明")
    mine, extra = engine.standing(exam, officer)
    assert [s.pk for s in mine] == [first.pk, second.pk]
    assert [s.attempt for s in mine] == [1, 2] and all(s.exam is exam for s in mine)
    assert [s.status for s in mine] == [Sitting.objects.get(pk=first.pk).status, "open"]
    assert mine[1].deadline == Sitting.objects.get(pk=second.pk).deadline  # converted as the ORM does
    assert extra == 0
    ExtraTime.objects.create(exam=exam, officer=officer, minutes=30, reason="伤病证明")
    assert engine.standing(exam, officer).extra_minutes == 30
    assert [s.pk for s in engine.standing(exam, officer).sittings] == [first.pk, second.pk]
    third_exam = make_exam([make_question()], time_limit_minutes=60)
    ExtraTime.objects.create(exam=third_exam, officer=officer, minutes=45, reason="伤病证明")
    sitting = engine.start(third_exam, officer, seed=5)
    assert sitting.extra_minutes == 45
    assert sitting.deadline == sitting.started_at + timedelta(minutes=105)


def test_a_fixed_paper_is_read_in_the_exams_order_with_the_values_the_orm_reads():
    """The start's one statement for a fixed paper gives what the ORM's query of the same lines
    gives: the exam's order (sort order, then id), active questions only, points as decimals,
    each current version's content as JSON, and None for a question never frozen yet."""
    import random

    from exams.models import ExamQuestion, QuestionStatus

    first, second, retired, unfrozen = (make_question(), make_question(QuestionType.MULTI),
                                        make_question(status="retired"), make_question(QuestionType.TRUEFALSE))
    from exams.models import Question

    Question.objects.filter(pk=unfrozen.pk).update(current_version=None)
    exam = make_exam()
    for sort_order, q, points in ((2, first, "1.5"), (0, second, "2"), (1, retired, "1"), (0, unfrozen, "3")):
        ExamQuestion.objects.create(exam=exam, question=q, sort_order=sort_order, points=Decimal(points))
    expected = list(exam.exam_questions.filter(question__status=QuestionStatus.ACTIVE).values_list(
        "question_id", "question__current_version_id", "points", "question__current_version__content"))
    lines = engine._fixed_lines(exam, random.Random(1))
    assert lines == expected
    assert [line[0] for line in lines] == [second.pk, unfrozen.pk, first.pk]
    assert [line[2] for line in lines] == [Decimal("2"), Decimal("3"), Decimal("1.5")]
    assert lines[1][1:] == (None, Decimal("3"), None)
    assert lines[0][3]["qtype"] == QuestionType.MULTI and isinstance(lines[0][3]["options"], list)
    exam.max_questions, exam.random_order = 2, True
    drawn = [engine._fixed_lines(exam, random.Random(seed)) for seed in range(8)]
    assert all(len(d) == 2 and all(line in expected for line in d) for d in drawn)
    assert len({tuple(line[0] for line in d) for d in drawn}) > 1  # shuffled before the cap
