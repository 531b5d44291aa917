"""Integrity rules of the engine: the server counts what the paper reports and submits by
force when a limit is passed; events of a stale page or a submitted sitting change nothing;
a replayed buffered answer is a no-op; answers are taken until deadline + grace."""
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from exams import engine, integrity
from exams.models import EndReason, EventKind, ForcedReason, QuestionType, SittingEvent, SittingStatus
from tests.exams.factories import key_of, make_exam, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_commit_now(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())


@pytest.fixture
def officer(officer_user):
    return officer_user.officer


def sitting_for(officer, **exam_kw):
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.SINGLE)], **exam_kw)
    sitting = engine.start(exam, officer)
    integrity.new_page(sitting)
    return sitting


def report(sitting, seq, kind, seconds=None, token=None):
    return integrity.record(sitting, token=sitting.page_token if token is None else token, seq=seq, kind=kind,
                            seconds=seconds)


def test_leaving_more_often_than_the_limit_submits_by_force_and_keeps_saved_answers(officer):
    """With a limit of 2, the third leave submits; the saved answer is graded, the reason stored."""
    sitting = sitting_for(officer, leave_limit=2)
    a1 = sitting.answers.get(position=1)
    assert engine.save_answer(sitting, 1, {"choice": key_of(a1)[0]}, 0)[0] == engine.SAVED
    seq = 0
    for _ in range(2):
        seq += 1
        assert report(sitting, seq, EventKind.LEAVE).forced == ""
        seq += 1
        outcome = report(sitting, seq, EventKind.RETURN, 3)
        assert outcome.status == integrity.RECORDED and not outcome.forced
    assert "再离开一次将强制交卷" in outcome.warning
    assert sitting.status == SittingStatus.OPEN
    outcome = report(sitting, seq + 1, EventKind.LEAVE)
    assert outcome.forced == ForcedReason.LEAVES
    sitting.refresh_from_db()
    assert sitting.status != SittingStatus.OPEN
    assert sitting.ended_by == EndReason.FORCED and sitting.forced_reason == ForcedReason.LEAVES
    assert sitting.leave_count == 3 and sitting.away_seconds == 6
    assert "3 次" in integrity.forced_message(sitting) and "上限 2 次" in integrity.forced_message(sitting)
    assert sitting.answers.get(position=1).correct is True  # the saved answer counted
    assert sitting.events.filter(kind=EventKind.FORCED, reason=ForcedReason.LEAVES).count() == 1
    assert sitting.events.filter(kind=EventKind.LEAVE).count() == 3


def test_time_away_past_the_limit_submits_by_force(officer):
    """Seconds away add up; passing the limit on a return submits."""
    sitting = sitting_for(officer, away_limit_seconds=60)
    report(sitting, 1, EventKind.LEAVE)
    assert not report(sitting, 2, EventKind.RETURN, 40).forced
    report(sitting, 3, EventKind.LEAVE)
    outcome = report(sitting, 4, EventKind.RETURN, 21)
    assert outcome.forced == ForcedReason.AWAY
    sitting.refresh_from_db()
    assert sitting.away_seconds == 61 and sitting.ended_by == EndReason.FORCED


def test_no_limits_record_events_but_never_force(officer):
    """Without limits (practice) the counts are kept and nothing is submitted."""
    sitting = sitting_for(officer)
    for seq in range(1, 21, 2):
        report(sitting, seq, EventKind.LEAVE)
        report(sitting, seq + 1, EventKind.RETURN, 500)
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.OPEN and sitting.leave_count == 10


def test_event_from_a_stale_page_is_refused_and_changes_nothing(officer):
    """A token of an earlier page (or none) is refused; counts, events and status unchanged."""
    sitting = sitting_for(officer, leave_limit=0)
    old = sitting.page_token
    integrity.new_page(sitting)  # the paper was opened again
    for token in (old, "", "forged"):
        outcome = report(sitting, 1, EventKind.LEAVE, token=token)
        assert outcome.status == integrity.STALE_PAGE and not outcome.ok and "过期" in outcome.message
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.OPEN and sitting.leave_count == 0 and sitting.event_seq == 0
    assert not sitting.events.exists()


def test_event_after_submission_is_refused_and_changes_nothing(officer):
    """Once submitted, even a would-be forcing event from the paper is refused."""
    sitting = sitting_for(officer, leave_limit=0)
    token = sitting.page_token
    engine.finalize(sitting)
    sitting.refresh_from_db()
    outcome = integrity.record(sitting, token=token, seq=1, kind=EventKind.LEAVE)
    assert outcome.status == integrity.CLOSED and "已交卷" in outcome.message
    sitting.refresh_from_db()
    assert sitting.ended_by == EndReason.SUBMIT and sitting.forced_reason == "" and sitting.leave_count == 0
    assert not sitting.events.exists()


def test_a_replayed_event_counts_once(officer):
    """The same sequence number twice (a resend after a lost reply) is a no-op."""
    sitting = sitting_for(officer, leave_limit=5)
    assert report(sitting, 1, EventKind.LEAVE).status == integrity.RECORDED
    again = report(sitting, 1, EventKind.LEAVE)
    assert again.status == integrity.DUPLICATE and again.ok
    sitting.refresh_from_db()
    assert sitting.leave_count == 1 and sitting.events.count() == 1


@pytest.mark.parametrize("payload", [
    {"seq": "x", "kind": EventKind.LEAVE}, {"seq": 0, "kind": EventKind.LEAVE}, {"seq": 1, "kind": "forced"},
    {"seq": 1, "kind": "nonsense"}, {"seq": 1, "kind": EventKind.RETURN, "seconds": -5},
    {"seq": 1, "kind": EventKind.RETURN, "seconds": 10 ** 9},
])
def test_bad_events_are_refused(officer, payload):
    """A client cannot report the server's own FORCED event or absurd values."""
    sitting = sitting_for(officer, leave_limit=0)
    outcome = report(sitting, payload["seq"], payload["kind"], payload.get("seconds"))
    assert outcome.status == integrity.BAD_EVENT
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.OPEN and not sitting.events.exists()


@override_settings(EXAM_IDLE_COUNTDOWN_SECONDS=60)
def test_idle_timeout_submits_only_after_a_warning_and_the_full_countdown(officer):
    """The server submits for idleness only when it saw the warning, no resume and no saved
    answer since, and the countdown lasted its time."""
    sitting = sitting_for(officer, idle_minutes=5)
    assert not report(sitting, 1, EventKind.IDLE_TIMEOUT, 60).forced  # no warning seen
    report(sitting, 2, EventKind.IDLE_WARNING, 300)
    assert not report(sitting, 3, EventKind.IDLE_TIMEOUT, 10).forced  # countdown too short
    report(sitting, 4, EventKind.IDLE_RESUME)
    assert not report(sitting, 5, EventKind.IDLE_TIMEOUT, 60).forced  # resumed
    report(sitting, 6, EventKind.IDLE_WARNING, 300)
    engine.save_answer(sitting, 1, {"choice": "1"}, 0)
    assert not report(sitting, 7, EventKind.IDLE_TIMEOUT, 60).forced  # answered since the warning
    report(sitting, 8, EventKind.IDLE_WARNING, 300)
    outcome = report(sitting, 9, EventKind.IDLE_TIMEOUT, 59)
    assert outcome.forced == ForcedReason.IDLE and "5 分钟无任何操作" in outcome.message
    sitting.refresh_from_db()
    assert sitting.forced_reason == ForcedReason.IDLE and sitting.answers.get(position=1).response == {"choice": "1"}


def test_idle_events_without_an_idle_limit_never_submit(officer):
    sitting = sitting_for(officer)
    report(sitting, 1, EventKind.IDLE_WARNING, 300)
    assert not report(sitting, 2, EventKind.IDLE_TIMEOUT, 600).forced


def test_integrity_report_counts_events_per_sitting(officer, other_officer_user):
    sitting = sitting_for(officer, leave_limit=9)
    report(sitting, 1, EventKind.LEAVE)
    report(sitting, 2, EventKind.RETURN, 4)
    report(sitting, 3, EventKind.IDLE_WARNING, 60)
    row = integrity.report(type(sitting).objects.filter(pk=sitting.pk)).get()
    assert (row.n_leaves, row.n_idle, row.n_events) == (1, 1, 3)


# --- answers through a bad signal ------------------------------------------------------------


def test_replayed_buffered_answer_is_a_no_op_and_a_stale_one_still_refused(officer):
    """The paper resends what it kept: the same answer on the old revision is acknowledged
    without a change; a different answer on an old revision is refused."""
    sitting = sitting_for(officer)
    assert engine.save_answer(sitting, 1, {"choice": "2"}, 0)[0] == engine.SAVED
    status, answer = engine.save_answer(sitting, 1, {"choice": "2"}, 0)  # replay, ack was lost
    assert status == engine.SAVED and answer.revision == 1
    status, answer = engine.save_answer(sitting, 1, {"choice": "3"}, 0)  # stale
    assert status == engine.STALE and answer.revision == 1
    assert sitting.answers.get(position=1).response == {"choice": "2"}


def test_an_answer_on_top_of_its_own_unacknowledged_send_is_stored(officer):
    """Sent X without hearing back, then changed to Y offline: Y names X as its prior and is
    stored on top of it; a prior that is not what the server holds stays stale."""
    sitting = sitting_for(officer)
    engine.save_answer(sitting, 1, {"choice": "2"}, 0)  # X arrived, its reply was lost
    status, answer = engine.save_answer(sitting, 1, {"choice": "3"}, 0, prior={"choice": "2"})
    assert status == engine.SAVED and answer.revision == 2
    status, _a = engine.save_answer(sitting, 1, {"choice": "4"}, 1, prior={"choice": "1"})
    assert status == engine.STALE
    assert sitting.answers.get(position=1).response == {"choice": "3"}


@override_settings(EXAM_GRACE_SECONDS=30)
def test_answers_are_taken_until_deadline_plus_grace_only(officer):
    sitting = sitting_for(officer, time_limit_minutes=10)
    deadline = sitting.deadline
    status, _a = engine.save_answer(sitting, 1, {"choice": "2"}, 0, now=deadline + timedelta(seconds=29))
    assert status == engine.SAVED
    status, _a = engine.save_answer(sitting, 2, {"choice": "2"}, 0, now=deadline + timedelta(seconds=31))
    assert status == engine.LATE
    sitting.refresh_from_db()
    assert sitting.status != SittingStatus.OPEN and sitting.ended_by == EndReason.TIMEOUT
    assert sitting.answers.get(position=1).response == {"choice": "2"}
    assert sitting.answers.get(position=2).response is None


def test_events_after_deadline_plus_grace_finish_the_sitting_not_force_it(officer, settings):
    settings.EXAM_GRACE_SECONDS = 30
    sitting = sitting_for(officer, time_limit_minutes=10, leave_limit=0)
    outcome = integrity.record(sitting, token=sitting.page_token, seq=1, kind=EventKind.LEAVE,
                               now=sitting.deadline + timedelta(minutes=5))
    assert outcome.status == integrity.CLOSED
    sitting.refresh_from_db()
    assert sitting.ended_by == EndReason.TIMEOUT and not SittingEvent.objects.filter(sitting=sitting).exists()


def test_question_order_is_shuffled_per_sitting_and_frozen(officer, other_officer_user):
    """random_order gives sittings different orders; a sitting's paper does not change on resume."""
    questions = [make_question(QuestionType.SINGLE) for _ in range(8)]
    exam = make_exam(questions, random_order=True)
    first = engine.start(exam, officer)
    order = list(first.answers.order_by("position").values_list("question_id", flat=True))
    assert list(engine.start(exam, officer).answers.order_by("position").values_list("question_id", flat=True)) \
        == order
    other = engine.start(exam, other_officer_user.officer)
    other_order = list(other.answers.order_by("position").values_list("question_id", flat=True))
    assert sorted(order) == sorted(other_order) and order != other_order  # 1 in 40,320 to be equal


def test_reopening_the_paper_after_leaving_without_a_return_counts_the_time_away(officer):
    """Left and closed the tab: on reopening, the server counts the time since the leave
    once (a second reopening adds nothing) and submits when that passes the limit."""
    sitting = sitting_for(officer, away_limit_seconds=600)
    report(sitting, 1, EventKind.LEAVE)
    SittingEvent.objects.filter(sitting=sitting).update(at=timezone.now() - timedelta(seconds=300))
    assert integrity.reopened(sitting) == ""
    assert integrity.reopened(sitting) == ""
    sitting.refresh_from_db()
    assert 299 <= sitting.away_seconds <= 302 and sitting.status == SittingStatus.OPEN
    assert sitting.events.filter(kind=EventKind.RETURN).count() == 1
    integrity.new_page(sitting)
    seq = sitting.event_seq + 1
    report(sitting, seq, EventKind.LEAVE)
    SittingEvent.objects.filter(sitting=sitting, seq=seq).update(at=timezone.now() - timedelta(seconds=400))
    assert integrity.reopened(sitting) == ForcedReason.AWAY
    sitting.refresh_from_db()
    assert sitting.ended_by == EndReason.FORCED and sitting.away_seconds >= 700
