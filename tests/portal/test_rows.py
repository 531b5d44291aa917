"""portal.rows: hand-written statements whose rows become the same model instances, with the
same values, as the ORM's."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exams import engine
from exams.models import Answer, QuestionType, Sitting
from portal.rows import Columns, Insert, Statement
from tests.exams.factories import make_exam, make_question

pytestmark = pytest.mark.django_db

SITTING = Columns(Sitting)
ANSWER = Columns(Answer, ["id", "response", "saved_at", "locked", "score", "correct", "sitting_id"])
READ = Statement(lambda q: f"""
    SELECT {SITTING.select(q, "s")}, {ANSWER.select(q, "a")}
    FROM {SITTING.table(q)} {q("s")} LEFT JOIN {ANSWER.table(q)} {q("a")}
      ON {q("a")}.{ANSWER.column(q, "sitting_id")} = {q("s")}.{q("id")} AND {q("a")}.{ANSWER.column(q, "position")} = %s
    WHERE {q("s")}.{q("id")} = %s""")


@pytest.fixture
def sitting(officer_user):
    exam = make_exam([make_question(QuestionType.SINGLE), make_question(QuestionType.MULTI)], time_limit_minutes=30)
    sitting = engine.start(exam, officer_user.officer)
    line = sitting.answers.get(position=1)
    Answer.objects.filter(pk=line.pk).update(response={"choice": "甲", "note": "中文"}, saved_at=timezone.now(),
                                             locked=True, score=Decimal("1.50"), correct=True)
    Sitting.objects.filter(pk=sitting.pk).update(percent=Decimal("87.50"), passed=False)
    return sitting


def test_a_row_becomes_the_instance_the_orm_loads(sitting):
    """Dates (aware, Asia/Shanghai stored as UTC), decimals, booleans and JSON come out as the
    ORM gives them, and the instance is an ordinary saved one."""
    row = READ.rows([1, sitting.pk])[0]
    built, answer = SITTING.build(row), ANSWER.build(row, SITTING.width)
    orm, orm_answer = Sitting.objects.get(pk=sitting.pk), Answer.objects.get(sitting=sitting, position=1)
    for field in Sitting._meta.concrete_fields:
        assert getattr(built, field.attname) == getattr(orm, field.attname), field.name
        assert type(getattr(built, field.attname)) is type(getattr(orm, field.attname)), field.name
    for name in ANSWER.attnames:
        assert getattr(answer, name) == getattr(orm_answer, name), name
    assert answer.response == {"choice": "甲", "note": "中文"} and answer.locked is True
    assert answer.saved_at.tzinfo is not None and built.deadline - built.started_at == timedelta(minutes=30)
    assert not built._state.adding and answer.get_deferred_fields() == {
        f.attname for f in Answer._meta.concrete_fields} - set(ANSWER.attnames)


def test_the_empty_side_of_a_left_join_is_none(sitting):
    row = READ.rows([99, sitting.pk])[0]
    assert SITTING.build(row).pk == sitting.pk
    assert ANSWER.build(row, SITTING.width) is None


def test_values_are_sent_as_the_orm_sends_them(sitting):
    """``prep``: a JSON answer and an aware time written by hand read back equal."""
    now = timezone.now()
    store = Statement(lambda q: f"""UPDATE {ANSWER.table(q)} SET {ANSWER.column(q, "response")} = %s,
        {ANSWER.column(q, "saved_at")} = %s WHERE {ANSWER.column(q, "sitting_id")} = %s""")
    assert store.run([ANSWER.prep("response", {"choices": ["乙", "丙"]}), ANSWER.prep("saved_at", now),
                      sitting.pk]) == 2
    assert {(a.response["choices"][0], a.saved_at) for a in sitting.answers.all()} == {("乙", now)}


def test_a_statement_is_one_query_and_a_column_must_exist():
    with CaptureQueriesContext(connection) as ctx:
        READ.rows([1, 0])
    assert len(ctx.captured_queries) == 1
    with pytest.raises(ValueError):
        Columns(Sitting, ["no_such_column"])


def test_an_insert_stores_what_the_orm_stores_in_every_batch(sitting, monkeypatch):
    """``Insert``: a sitting and its lines written by hand read back field for field as copies
    saved through the ORM, dates, decimals, JSON and booleans included, the parent id set
    in every row, also when the lines need several statements (batches of 7 here)."""
    lines = list(sitting.answers.order_by("position"))
    copies = [Answer(**{f.attname: getattr(line, f.attname) for f in Answer._meta.concrete_fields
                        if not f.primary_key and f.attname != "position"}, position=i)
              for i, line in enumerate(lines * 8, start=1)]  # 16 lines
    head = Sitting(**{f.attname: getattr(sitting, f.attname) for f in Sitting._meta.concrete_fields
                      if not f.primary_key and f.attname not in ("attempt", "status")},
                   attempt=sitting.attempt + 1, status="graded")  # one open sitting per exam and officer
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 7)
    sitting_insert, line_insert = Insert(Sitting), Insert(Answer)
    sitting_row, line_rows = sitting_insert.rows([head])[0], line_insert.rows(copies)
    with CaptureQueriesContext(connection) as ctx, connection.cursor() as cursor:
        new_pk = sitting_insert.one(cursor, sitting_row)
        line_insert.many(cursor, line_rows, sitting_id=new_pk)
    assert len(ctx.captured_queries) == 1 + 3  # 16 lines in batches of 7
    stored = Sitting.objects.get(pk=new_pk)
    assert (stored.attempt, stored.status) == (sitting.attempt + 1, "graded")
    for field in Sitting._meta.concrete_fields:
        if field.attname not in ("id", "attempt", "status"):
            assert getattr(stored, field.attname) == getattr(sitting, field.attname), field.name
    got = list(Answer.objects.filter(sitting_id=new_pk).order_by("position"))
    assert [a.position for a in got] == list(range(1, 17))
    for copy, line in zip(got, lines * 8):
        for field in Answer._meta.concrete_fields:
            if field.attname not in ("id", "sitting_id", "position"):
                assert getattr(copy, field.attname) == getattr(line, field.attname), field.name
    assert got[0].response == {"choice": "甲", "note": "中文"} and got[0].locked is True


def test_values_every_row_shares_are_written_into_the_statement_once(sitting):
    """``Insert.many``: NULLs, booleans and integers that every row of a batch holds (the parent id,
    the columns of a new line left at their defaults) are written into the statement; only the
    values that differ from row to row are sent as parameters. A value that differs in one row
    only, or that is not such a simple value, stays a parameter in every row."""
    lines = list(sitting.answers.order_by("position"))
    copies = [Answer(**{f.attname: getattr(line, f.attname) for f in Answer._meta.concrete_fields
                        if not f.primary_key and f.attname not in ("position", "revision", "locked")},
                     position=i, revision=0, locked=False)
              for i, line in enumerate(lines * 3, start=1)]  # 6 lines
    copies[4].revision = 7  # one row differs: the column stays a parameter
    head = Sitting(**{f.attname: getattr(sitting, f.attname) for f in Sitting._meta.concrete_fields
                      if not f.primary_key and f.attname not in ("attempt", "status")},
                   attempt=sitting.attempt + 1, status="graded")
    sitting_insert, line_insert = Insert(Sitting), Insert(Answer)
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, list(params)))
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        new_pk = sitting_insert.one(cursor, sitting_insert.rows([head])[0])
        with connection.execute_wrapper(record):
            line_insert.many(cursor, line_insert.rows(copies), sitting_id=new_pk)
    [(sql, params)] = sent
    names = [f.attname for f in line_insert.fields]
    first_row = sql[sql.index("VALUES") + len("VALUES"):].split("),")[0].strip(" (")
    written = dict(zip(names, (v.strip() for v in first_row.split(","))))
    assert written["sitting_id"] == str(new_pk) and written["locked"] == "FALSE"
    assert written["marked_by_id"] == "NULL" and written["marked_at"] == "NULL"
    # position, revision (one row holds 7), points, the JSON columns and the texts differ or are not simple
    assert written["position"] == written["revision"] == written["points"] == written["option_order"] == "%s"
    varying = sum(1 for v in written.values() if v == "%s")
    assert {k for k, v in written.items() if v != "%s"} == {
        "sitting_id", "locked", "needs_marking", "marked_by_id", "marked_at"}
    assert len(params) == varying * 6
    got = list(Answer.objects.filter(sitting_id=new_pk).order_by("position"))
    assert [a.revision for a in got] == [0, 0, 0, 0, 7, 0] and not any(a.locked for a in got)
    for copy, line in zip(got, lines * 3):
        for field in Answer._meta.concrete_fields:
            if field.attname not in ("id", "sitting_id", "position", "revision", "locked"):
                assert getattr(copy, field.attname) == getattr(line, field.attname), field.name


def test_a_single_columns_converter_converts_as_the_orm_does(sitting):
    """``Columns.converter`` gives, for one column, the value the ORM loads: JSON decoded,
    decimals and aware datetimes as the model holds them."""
    line = sitting.answers.get(position=1)
    raw = Statement(lambda q: f"""
        SELECT {ANSWER.column(q, "response")}, {ANSWER.column(q, "score")}, {ANSWER.column(q, "saved_at")}
        FROM {ANSWER.table(q)} WHERE {q("id")} = %s""").rows([line.pk])[0]
    full = Columns(Answer)
    assert full.converter("response")(raw[0]) == line.response == {"choice": "甲", "note": "中文"}
    assert full.converter("score")(raw[1]) == line.score == Decimal("1.50")
    assert full.converter("saved_at")(raw[2]) == line.saved_at and full.converter("saved_at")(raw[2]).tzinfo
    assert full.converter("response")(None) is None
