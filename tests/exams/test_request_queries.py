"""The hot requests of an exam cost a fixed, small number of queries, whatever the length of
the paper: the answer save (every officer, every few seconds), the start (every officer at
09:00) and the submit (every officer at the end). Pinned here so that a change that adds a
query to them has to say so."""
import json

import pytest
from django.db import connection
from django.db.models import Model
from django.db.models.sql.compiler import SQLInsertCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.rows import Insert
from exams.models import Answer, QuestionType, Sitting, WrongItem
from tests.exams.factories import key_of, make_exam, make_question, started_sitting_id

pytestmark = pytest.mark.django_db


def statements(ctx):
    """The SQL statements run, less the savepoints the test's own transaction adds."""
    return [q["sql"] for q in ctx.captured_queries
            if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


def paper(n):
    kinds = [QuestionType.SINGLE, QuestionType.MULTI, QuestionType.TRUEFALSE]
    return [make_question(kind, answer=True) if kind == QuestionType.TRUEFALSE else make_question(kind)
            for kind in (kinds * n)[:n]]


def start(client, exam):
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(reverse("exams:start", args=[exam.pk]))
    assert started_sitting_id(r) == Sitting.objects.get().pk  # the paper, in the same response
    return statements(ctx)


def save(client, sitting, position, revision, response):
    url = reverse("exams:autosave", args=[sitting.pk])
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(url, json.dumps({"position": position, "revision": revision, "response": response}),
                        content_type="application/json")
    return r, statements(ctx)


@pytest.mark.parametrize("n", [3, 30])
def test_an_answer_save_costs_five_statements(client, officer_user, n):
    """The session, the user with profile and roles (one SELECT), the answer line with its
    sitting's state and its version (one SELECT), then the two guarded UPDATEs: the same for
    any paper length."""
    exam = make_exam(paper(n), time_limit_minutes=30)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    first = sitting.answers.get(position=1)
    save(client, sitting, 1, 0, {"choice": first.option_order[0], "choices": [first.option_order[0]]})
    line = sitting.answers.get(position=n)
    r, sql = save(client, sitting, n, 0, {"choice": line.option_order[0], "choices": [line.option_order[0]]})
    assert r.status_code == 200 and r.json()["revision"] == 1
    selects = [s for s in sql if s.upper().startswith("SELECT")]
    updates = [s for s in sql if s.upper().startswith("UPDATE")]
    assert len(selects) == 3, selects
    assert len(updates) == 2 and "exams_sitting" in updates[0] and "exams_answer" in updates[1], updates
    assert len(sql) == 5, sql
    assert Answer.objects.get(pk=line.pk).revision == 1


def test_a_stale_save_is_still_refused_on_the_lean_path(client, officer_user):
    """The one-query read keeps the revision rule: a save naming an old revision changes nothing."""
    exam = make_exam(paper(2), time_limit_minutes=30)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    line = sitting.answers.get(position=2)
    a, b = line.option_order[0], line.option_order[1]
    assert save(client, sitting, 2, 0, {"choice": a, "choices": [a]})[0].status_code == 200
    r, _sql = save(client, sitting, 2, 0, {"choice": b, "choices": [b]})
    assert r.status_code == 409 and r.json()["error"] == "stale" and r.json()["revision"] == 1
    line.refresh_from_db()
    assert line.revision == 1 and (line.response.get("choice") == a or line.response.get("choices") == [a])


def test_a_save_into_someone_elses_sitting_is_not_found(client, officer_user, other_officer_user):
    exam = make_exam(paper(2), time_limit_minutes=30)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    client.force_login(other_officer_user)
    r, _sql = save(client, sitting, 1, 0, {"choice": "1"})
    assert r.status_code == 404
    assert sitting.answers.get(position=1).revision == 0


@pytest.mark.parametrize("n", [3, 30])
def test_a_start_costs_the_same_for_any_paper_length(client, officer_user, n):
    """The paper is frozen in two INSERTs (the sitting with its total, then every line at
    once); the lines come with their versions' contents in one query. Nothing runs once per question."""
    exam = make_exam(paper(n), time_limit_minutes=30, random_order=True, answer_order="random")
    client.force_login(officer_user)
    client.get(reverse("exams:exam_detail", args=[exam.pk]))  # the session's first write happens here
    sql = start(client, exam)
    inserts = [s for s in sql if s.upper().startswith("INSERT")]
    assert len(inserts) == 2 and "exams_sitting" in inserts[0] and "exams_answer" in inserts[1], inserts
    assert not [s for s in sql if s.upper().startswith("UPDATE")]
    assert len(sql) == START_STATEMENTS, sql
    sitting = Sitting.objects.get()
    assert sitting.answers.count() == n and sitting.max_score == n


def test_a_start_writes_in_a_transaction_that_holds_only_its_inserts(client, officer_user, monkeypatch):
    """On SQLite the write lock is taken at BEGIN and every officer starts in the same minute:
    the paper is drawn, its option orders shuffled and the values of both INSERTs adapted
    before the transaction opens (no ORM compiling, no ``Model.save`` inside it), and the
    transaction holds the two INSERTs and nothing else. The sitting and its lines are stored as the ORM would."""
    exam = make_exam(paper(30), time_limit_minutes=30, random_order=True, answer_order="random")
    client.force_login(officer_user)
    client.get(reverse("exams:exam_detail", args=[exam.pk]))
    base = len(connection.atomic_blocks)  # the test's own transaction
    compiled_at, saved_at = [], []
    adapted_at = []
    real_as_sql = SQLInsertCompiler.as_sql
    real_rows = Insert.rows
    real_save = Model.save_base

    def as_sql(self, *args, **kwargs):
        compiled_at.append(len(connection.atomic_blocks))
        return real_as_sql(self, *args, **kwargs)

    def rows(self, *args, **kwargs):
        adapted_at.append((self.model.__name__, len(connection.atomic_blocks)))
        return real_rows(self, *args, **kwargs)

    def save_base(self, *args, **kwargs):
        saved_at.append((type(self).__name__, len(connection.atomic_blocks)))
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(SQLInsertCompiler, "as_sql", as_sql)
    monkeypatch.setattr(Insert, "rows", rows)
    monkeypatch.setattr(Model, "save_base", save_base)
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(reverse("exams:start", args=[exam.pk]))
    assert started_sitting_id(r) == Sitting.objects.get().pk
    assert not [level for level in compiled_at if level > base], compiled_at
    assert sorted(adapted_at) == [("Answer", base), ("Sitting", base)], adapted_at
    assert not [s for s in saved_at if s[0] in ("Sitting", "Answer")], saved_at
    sql = [q["sql"] for q in ctx.captured_queries]
    opened = next(i for i, s in enumerate(sql) if s.upper().startswith("SAVEPOINT"))
    closed = next(i for i, s in enumerate(sql) if s.upper().startswith("RELEASE SAVEPOINT"))
    inside = sql[opened + 1:closed]
    assert len(inside) == 2 and "exams_sitting" in inside[0] and "exams_answer" in inside[1], inside
    sitting = Sitting.objects.get()
    assert started_sitting_id(r) == sitting.pk
    assert (sitting.officer_id, sitting.attempt, sitting.status, sitting.max_score) == (
        officer_user.officer.pk, 1, "open", 30)
    lines = list(sitting.answers.order_by("position"))
    assert [a.position for a in lines] == list(range(1, 31))
    assert all(sorted(a.option_order) == sorted(o["key"] for o in a.version.content["options"]) for a in lines)
    assert all(a.revision == 0 and a.response is None and not a.locked for a in lines)


#: session, user with profile and roles, the exam, its eligible units' paths, the officer's
#: standing on the exam (extra time and sittings: the open one and the attempts used), the exam
#: gates (annual-hours rule), the paper's lines with their versions' contents, then the two INSERTs.
START_STATEMENTS = 9


def test_a_form_post_of_the_whole_paper_reads_the_answer_lines_once(client, officer_user):
    """The plain form (no JavaScript) saves every touched answer from the lines the page
    already read: one SELECT of the answer table, however many answers are saved."""
    exam = make_exam(paper(4), time_limit_minutes=30)
    client.force_login(officer_user)
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get()
    post = {"go": "1"}
    for line in sitting.answers.all():
        post.update({f"q{line.position}-rev": "0", f"q{line.position}-choice": line.option_order[0],
                     f"q{line.position}-choices": line.option_order[0]})
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(reverse("exams:sitting", args=[sitting.pk]) + "?all=1", post)
    assert r.status_code == 302
    reads = [s for s in statements(ctx) if s.upper().startswith("SELECT") and 'FROM "exams_answer"' in s]
    assert len(reads) == 1, reads
    assert sorted(sitting.answers.values_list("revision", flat=True)) == [1, 1, 1, 1]


def submit(client, sitting, on_commit):
    """The submit's statements, and those of what runs once it has committed (the officers
    app's receivers of the released result)."""
    with CaptureQueriesContext(connection) as ctx:
        with on_commit(execute=False) as callbacks:
            r = client.post(reverse("exams:submit", args=[sitting.pk]), HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and r.json()["ok"] and r.json()["status"] == "graded"
    with CaptureQueriesContext(connection) as after:
        for callback in callbacks:
            callback()
    return statements(ctx), statements(after)


def second_attempt(client, officer, n, on_commit):
    """Submit a blank paper of ``n`` questions (all enter the wrong-question book), then a
    second attempt with every other answer right; the statements of that second submit."""
    exam = make_exam(paper(n), time_limit_minutes=30, pass_mark=100)
    client.post(reverse("exams:start", args=[exam.pk]))
    submit(client, Sitting.objects.get(exam=exam), on_commit)
    assert WrongItem.objects.filter(officer=officer, question__in=exam.exam_questions.values("question"),
                                    resolved_at=None).count() == n
    client.post(reverse("exams:start", args=[exam.pk]))
    sitting = Sitting.objects.get(exam=exam, status="open")
    right = set(range(1, n + 1, 2))
    for line in sitting.answers.select_related("version"):
        keys = key_of(line) if line.position in right else [k for k in line.option_order if k not in key_of(line)][:1]
        assert save(client, sitting, line.position, 0, {"choice": keys[0], "choices": keys})[0].status_code == 200
    sql = submit(client, sitting, on_commit)
    book = {w.question_id: w for w in WrongItem.objects.filter(officer=officer)}
    for line in sitting.answers.all():
        item = book[line.question_id]
        if line.position in right:  # right once: the streak advances, still in the book
            assert (item.streak, item.times_wrong, item.resolved_at) == (1, 1, None), line.position
            assert item.sitting_id != sitting.pk
        else:  # wrong again: counted, from this sitting
            assert (item.streak, item.times_wrong, item.sitting_id) == (0, 2, sitting.pk), line.position
    return sql


def test_a_submit_costs_the_same_for_any_paper_length(client, officer_user, django_capture_on_commit_callbacks):
    """Grading writes one UPDATE per distinct outcome and the wrong-question book a fixed few
    statements, also on a second attempt where every question is already in the book (the
    right answers advance their streak, the wrong ones are counted again): nothing runs once
    per question, in the submit or in what the released result sets off."""
    client.force_login(officer_user)
    short = second_attempt(client, officer_user.officer, 3, django_capture_on_commit_callbacks)
    long = second_attempt(client, officer_user.officer, 30, django_capture_on_commit_callbacks)
    assert len(short[0]) == len(long[0]) == SUBMIT_STATEMENTS, "\n".join(s[:150] for s in long[0])
    assert len(short[1]) == len(long[1]), (short[1], long[1])


#: session, user with profile and roles, the sitting with its exam; in the transaction: the
#: guarded UPDATE that closes the sitting, its lines with their versions, one UPDATE per
#: outcome (right, wrong), the book's entries for these questions, the UPDATE of the right and
#: the one of the wrong entries (the new ones: none here), the totals (and whether any answer
#: awaits marking), the guarded UPDATE that releases the result.
SUBMIT_STATEMENTS = 12


@pytest.mark.parametrize("counting", ["highest", "last"])
def test_the_exam_page_reads_the_officers_sittings_once(client, officer_user, counting):
    """The open sitting, the attempts used and the result that counts come from one read of the
    officer's sittings of the exam (every officer opens this page as the exam opens)."""
    questions = paper(2)
    exam = make_exam(questions, time_limit_minutes=30, max_attempts=3, counting=counting)
    client.force_login(officer_user)
    for right in (True, False):  # a first attempt all right, a second all wrong
        client.post(reverse("exams:start", args=[exam.pk]))
        sitting = Sitting.objects.get(status="open")
        for line in sitting.answers.select_related("version"):
            keys = [o["key"] for o in line.version.content["options"] if o["correct"] == right]
            save(client, sitting, line.position, 0, {"choice": keys[0], "choices": keys})
        client.post(reverse("exams:submit", args=[sitting.pk]))
    first, second = Sitting.objects.order_by("attempt")
    assert (first.percent, second.percent) == (100, 0)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("exams:exam_detail", args=[exam.pk]))
    assert r.status_code == 200
    reads = [s for s in statements(ctx) if s.upper().startswith("SELECT") and '"exams_sitting"' in s]
    assert len(reads) == 1, reads
    assert r.context["used"] == 2 and r.context["open_sitting"] is None and r.context["refusal"] is None
    assert r.context["best"] == (first if counting == "highest" else second)
