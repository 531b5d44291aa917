"""Concurrent submits and saves against the real database (SQLite or PostgreSQL), with
commits: twenty simultaneous submits give exactly one result and one pass event."""
import threading

import pytest
from django.db import close_old_connections, connection

from exams import engine
from exams.models import Answer, QuestionType, Sitting
from officers.events import exam_passed
from tests.exams.factories import key_of, make_exam, make_question
from tests.factories import make_user

N = 20


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """Other transactional tests may have flushed the migrations' data: recreate the role groups."""
    from django.contrib.auth.models import Group

    from officers import roles
    for name in roles.ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def run_threads(fn, n=N):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait(timeout=10)
            results.append(fn(i))
        except Exception as exc:  # noqa: BLE001 — collected and asserted on
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_submits_one_result_one_event(units):
    officer = make_user("officer", unit=units["SZ-JB-01"]).officer
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.SINGLE)], pass_mark=50)
    sitting = engine.start(exam, officer)
    for a in sitting.answers.select_related("version"):
        engine.save_answer(sitting, a.position, {"choice": key_of(a)[0]}, 0)
    events = []
    lock = threading.Lock()

    def handler(sender, **kw):
        with lock:
            events.append(kw["sitting"].pk)

    exam_passed.connect(handler)
    try:
        results, errors = run_threads(lambda i: engine.finalize(Sitting.objects.get(pk=sitting.pk)))
    finally:
        exam_passed.disconnect(handler)
    assert errors == []
    assert sorted(results) == [False] * (N - 1) + [True]
    sitting.refresh_from_db()
    assert sitting.status == "graded" and sitting.score == 2 and sitting.passed
    assert events == [sitting.pk]
    assert officer.wrong_items.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_saves_of_one_revision_one_wins(units):
    officer = make_user("officer", unit=units["SZ-JB-01"]).officer
    q = make_question(QuestionType.SINGLE)
    sitting = engine.start(make_exam([q]), officer)
    keys = ["1", "2", "3", "4"]
    results, errors = run_threads(
        lambda i: engine.save_answer(Sitting.objects.get(pk=sitting.pk), 1, {"choice": keys[i % 4]}, 0)[0])
    assert errors == []
    assert results.count(engine.SAVED) >= 1
    answer = Answer.objects.get(sitting=sitting)
    # every SAVED write after the first would have needed revision 0: only distinct-content no-ops may also pass
    assert answer.revision == 1
    assert results.count(engine.STALE) + results.count(engine.SAVED) == N


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_starts_make_one_sitting(units):
    officer = make_user("officer", unit=units["SZ-JB-01"]).officer
    exam = make_exam([make_question(QuestionType.SINGLE)])
    results, errors = run_threads(lambda i: engine.start(exam, officer).pk, n=8)
    assert errors == []
    assert len(set(results)) == 1
    assert Sitting.objects.filter(exam=exam).count() == 1
