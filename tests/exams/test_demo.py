"""The demo loader: questions, exams and sittings; a second run creates nothing."""
import io

import pytest

from exams import demo
from exams.models import Exam, Question, Sitting
from officers import demo as officers_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_and_is_idempotent(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
    monkeypatch.setattr(demo, "SITTING_OFFICERS", 10)
    officers_demo.load(io.StringIO(), "Demo-Password-2026")
    out = io.StringIO()
    demo.load(out, "Demo-Password-2026")
    n_questions, n_exams, n_sittings = Question.objects.count(), Exam.objects.count(), Sitting.objects.count()
    assert n_questions >= 200
    assert {"qualification", "annual", "practice"} <= set(Exam.objects.values_list("kind", flat=True))
    qual = Exam.objects.get(kind="qualification")
    assert qual.mode == "rules" and qual.draw_rules.count() >= 3
    assert Sitting.objects.filter(exam=qual, status="graded").count() >= 4
    assert Sitting.objects.filter(exam=qual, status="marking").exists()  # something for the marking queue
    assert not Sitting.objects.filter(officer__user__username="officer").exists()  # the demo login starts fresh
    demo.load(out, "Demo-Password-2026")
    assert (Question.objects.count(), Exam.objects.count(), Sitting.objects.count()) == (
        n_questions, n_exams, n_sittings)


def test_chinese_article_numbers():
    assert [demo.chinese_number(n) for n in (3, 10, 12, 20, 33, 101, 110, 572, 1185, 1000, 1258)] == [
        "三", "十", "十二", "二十", "三十三", "一百零一", "一百一十", "五百七十二", "一千一百八十五", "一千",
        "一千二百五十八"]
