"""Practice (练习): sequential, by chapter, random, favourites and recitation (背题).

Practice draws from ``review.practice_pool`` (the questions whose key practice may show).
A question page carries only ``paper.public_question`` (no key); the answer is checked here,
on the server, and only then are the key and 解析 sent. Every checked answer feeds the
wrong-question book through ``engine.record_outcome`` (the same rule as exams: a question
leaves the book after two right answers in a row).
"""
import random

from django.db import IntegrityError, transaction
from django.db.models import Count

from . import engine, grading
from .models import (
    Answer, Favourite, PracticeProgress, Question, QuestionType, SittingStatus, category_label,
)
from .paper import feedback, parse_form, public_question
from .review import practice_pool, review_open_q, wrong_items

#: Scopes of the sequential modes (PracticeProgress.scope).
SEQUENTIAL = "seq"
FAVOURITES = "fav"
CHAPTER_PREFIX = "cat:"
#: The most questions a random round may have.
RANDOM_MAX = 100


class PracticeLine:
    """An answer-like object for rendering one practice question with ``paper``'s helpers."""

    def __init__(self, version, response=None):
        self.version = version
        self.position = 1
        self.points = 1
        self.revision = 0
        self.locked = False
        self.response = response
        self.option_order = [o["key"] for o in version.content.get("options", [])]
        self.score = self.correct = None
        self.marks, self.comment, self.needs_marking, self.marked_at = {}, "", False, None


def version_of(question):
    return question.current_version or question.publish_version()


def answerable(qs):
    """Questions practice can check at once (case analysis needs a trainer)."""
    return qs.exclude(qtype=QuestionType.CASE)


def chapter_scope(category):
    return f"{CHAPTER_PREFIX}{category}"


def scope_questions(officer, scope):
    """The ordered questions of a sequential scope (answerable ones of the pool)."""
    qs = answerable(practice_pool())
    if scope == FAVOURITES:
        qs = qs.filter(pk__in=Favourite.objects.filter(officer=officer).values("question_id"))
    elif scope.startswith(CHAPTER_PREFIX):
        qs = qs.filter(category=scope[len(CHAPTER_PREFIX):])
    elif scope != SEQUENTIAL:
        return Question.objects.none()
    return qs.order_by("pk")


def chapters():
    """[(category code, label, number of questions)] of the pool, for 章节练习."""
    rows = (answerable(practice_pool()).values("category").annotate(n=Count("pk")).order_by("category"))
    return [(r["category"], category_label(r["category"]), r["n"]) for r in rows if r["n"]]


def progress(officer, scope):
    return PracticeProgress.objects.filter(officer=officer, scope=scope).first()


def next_question(officer, scope):
    """(question or None, position 1…, total): the first question after where the officer stopped."""
    qs = scope_questions(officer, scope)
    total = qs.count()
    done = progress(officer, scope)
    after = done.last_question_id if done and done.last_question_id else 0
    question = qs.filter(pk__gt=after).select_related("current_version").first()
    position = qs.filter(pk__lte=after).count() + 1 if question else total
    return question, position, total


def restart(officer, scope):
    PracticeProgress.objects.filter(officer=officer, scope=scope).delete()


def _advance(officer, scope, question, correct):
    """Remember the question as the last one answered in the scope (never moving back)."""
    try:
        with transaction.atomic():
            row, _created = PracticeProgress.objects.get_or_create(officer=officer, scope=scope)
    except IntegrityError:  # a concurrent first answer created it
        row = PracticeProgress.objects.get(officer=officer, scope=scope)
    if row.last_question_id is None or question.pk > row.last_question_id:
        row.last_question = question
    row.answered += 1
    row.correct += int(bool(correct))
    row.save()


def question_page(question):
    """What the page may show of an unanswered practice question (no key, no 解析)."""
    return public_question(PracticeLine(version_of(question)))


def check(officer, question, post, *, scope=None, version=None):
    """Grade the posted answer to ``question`` (already known to be in the officer's scope),
    record it in the wrong-question book (and the scope's progress) and return the public
    question with its feedback, key and 解析. Raises grading.AnswerRefused (recording nothing)
    for an answer that cannot be stored, e.g. a 评查 item not in the standard. ``version``: the
    version asked (the wrong-question book may ask the one answered wrong); else the current."""
    version = version or version_of(question)
    raw = parse_form(post, 1, version.content["qtype"])
    response = grading.normalise_response(version.content, raw)
    score, correct = grading.grade(version.content, response, 1)
    engine.record_outcome(officer.pk, question.pk, version.pk, bool(correct), response)
    if scope:
        _advance(officer, scope, question, correct)
    line = PracticeLine(version, response)
    line.correct, line.score, line.locked = correct, score, True
    return public_question(line, with_feedback=True)


def recite_item(question):
    """A question with its key and 解析 (背题模式: nothing to answer)."""
    line = PracticeLine(version_of(question))
    item = public_question(line)
    item["feedback"] = feedback(line)
    correct = {o["key"] for o in line.version.content.get("options", []) if o["correct"]}
    for option in item["options"]:
        option["correct"] = option["key"] in correct
    item["question_id"] = question.pk
    return item


# --- random rounds (随机练习) -------------------------------------------------------------------


def random_round(n, rng=None):
    """Ids of ``n`` random answerable questions of the pool (fewer if the pool is smaller)."""
    ids = list(answerable(practice_pool()).values_list("pk", flat=True))
    n = max(1, min(int(n), RANDOM_MAX, len(ids) or 1))
    return (rng or random).sample(ids, min(n, len(ids)))


# --- favourites (收藏) -------------------------------------------------------------------------


def seen_in_released_result(officer, question):
    """Whether the question was on a paper of the officer whose review (key, 解析) is open."""
    return Answer.objects.filter(sitting__officer=officer, question=question).filter(
        review_open_q("sitting__")).exists()


def may_favourite(officer, question):
    """An officer may keep a question met in practice (the pool) or in a released result."""
    return practice_pool().filter(pk=question.pk).exists() or seen_in_released_result(officer, question)


def set_favourite(officer, question, on):
    """Add or remove a favourite (idempotent). Returns whether it is now a favourite."""
    if on:
        Favourite.objects.get_or_create(officer=officer, question=question)
        return True
    Favourite.objects.filter(officer=officer, question=question).delete()
    return False


def favourites(officer):
    """The officer's favourites, newest first, each with whether practice can ask it now."""
    pool = set(answerable(practice_pool()).filter(
        pk__in=Favourite.objects.filter(officer=officer).values("question_id")).values_list("pk", flat=True))
    rows = Favourite.objects.filter(officer=officer).select_related("question")
    return [{"favourite": f, "question": f.question, "practisable": f.question_id in pool} for f in rows]


def favourite_ids(officer, question_ids):
    return set(Favourite.objects.filter(officer=officer, question_id__in=question_ids)
               .values_list("question_id", flat=True))


def summary(officer):
    """Counts for the practice page."""
    done = {p.scope: p for p in PracticeProgress.objects.filter(officer=officer)}
    return {
        "pool": answerable(practice_pool()).count(),
        "favourites": Favourite.objects.filter(officer=officer).count(),
        "wrong": wrong_items(officer).count(),
        "progress": done,
    }


def was_on_paper(officer, question):
    """Whether the question was on one of the officer's finished papers."""
    return Answer.objects.filter(sitting__officer=officer, question=question).exclude(
        sitting__status=SittingStatus.OPEN).exists()
