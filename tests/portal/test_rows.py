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
from portal.rows import Columns, Statement
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
