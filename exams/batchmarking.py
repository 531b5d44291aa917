"""Marking by question (按题批量阅卷): every unmarked answer to one case-analysis question of an
exam, scored together. Names never appear (blind, whatever the exam's setting); the scores are
checked first and saved in one transaction, so one bad score saves nothing."""
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from . import engine, grading
from .models import Answer, QuestionType, SittingStatus


@dataclass
class ScoreError:
    answer_id: int
    message: str
    code: str


def pending(sittings, exam):
    """Unmarked case-analysis answers of ``exam`` among ``sittings`` (the trainer's scope)."""
    return (Answer.objects.filter(sitting__in=sittings, sitting__exam=exam, sitting__status=SittingStatus.MARKING,
                                  needs_marking=True, marked_at__isnull=True))


def questions(sittings, exam):
    """[{question_id, text, n}] of the exam's case-analysis questions that await marking."""
    rows = (pending(sittings, exam).values("question_id").annotate(n=Count("pk")).order_by("question_id"))
    texts = {}
    for a in pending(sittings, exam).select_related("version").order_by("question_id", "-version_id"):
        texts.setdefault(a.question_id, a.version.content["text"])
    return [{"question_id": r["question_id"], "text": texts.get(r["question_id"], ""), "n": r["n"]} for r in rows]


def answers_for(sittings, exam, question_id):
    """The unmarked answers to one question, oldest submission first."""
    return list(pending(sittings, exam).filter(question_id=question_id).select_related("version", "sitting")
                .order_by("sitting__ended_at", "sitting_id"))


def check_scores(answers, raw):
    """({answer id: Decimal}, [ScoreError]) from ``raw`` ({answer id: text}); an answer left
    empty is skipped (marked later)."""
    scores, errors = {}, []
    for answer in answers:
        text = (raw.get(answer.pk) or "").strip()
        if not text:
            continue
        value = grading.to_decimal(text)
        if value is None:
            errors.append(ScoreError(answer.pk, _("“%(v)s”不是有效的分数。") % {"v": text[:20]}, "bad_score"))
        elif value < 0:
            errors.append(ScoreError(answer.pk, _("分数不能为负。"), "negative"))
        elif value > answer.points:
            errors.append(ScoreError(answer.pk, _("%(v)s 分超过本题满分 %(p)s 分。") % {"v": value, "p": answer.points},
                                     "over_points"))
        else:
            scores[answer.pk] = grading.q2(value)
    return scores, errors


def save_scores(answers, raw, marker, now=None):
    """Validate every score, then save them together and release the sittings that have nothing
    left to mark. Returns (number saved, [ScoreError]); with errors nothing is saved."""
    now = now or timezone.now()
    scores, errors = check_scores(answers, raw)
    if errors:
        return 0, errors
    by_pk = {a.pk: a for a in answers}
    with transaction.atomic():
        for pk, score in scores.items():
            answer = by_pk[pk]
            if answer.version.content["qtype"] != QuestionType.CASE:
                raise engine.ExamError(_("只能批量评阅案例分析题。"), code="not_case")
            done = (Answer.objects.filter(pk=pk, marked_at__isnull=True, needs_marking=True,
                                          sitting__status=SittingStatus.MARKING)
                    .update(score=score, correct=score >= answer.points, marks={}, marked_by=marker, marked_at=now))
            if not done:
                transaction.set_rollback(True)
                return 0, [ScoreError(pk, _("这份答卷已被评分或已发布成绩，本次未保存任何分数，请刷新后重试。"),
                                      "already_marked")]
    for sitting in {by_pk[pk].sitting for pk in scores}:
        engine.try_release(sitting)
    return len(scores), []
