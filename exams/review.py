"""When an officer may see correct answers and explanations (解析): the exam's review
policy (``Exam.review``), applied wherever feedback appears — the sitting's review on
the result page, practice feedback during a sitting, the wrong-question book and its
practice (重做). Nothing else decides it.

- ``never``: never, not even in the wrong-question book;
- ``after_submit``: once the result is released (after marking, if any);
- ``after_close``: once the result is released and the exam has closed.

Practice (练习, exams.practice) shows the key of every question in the practice pool
(``practice_pool``) once the officer has answered it: the active questions, less those on the
fixed paper of a published exam (other than practice) that has not closed yet.
"""
from django.db.models import Q
from django.utils import timezone

from .models import ExamKind, ExamQuestion, Question, QuestionStatus, ReviewPolicy, SittingStatus, WrongItem


def review_open(sitting, now=None):
    """Whether the officer may now see the key and 解析 of this sitting's questions."""
    if sitting is None or sitting.status != SittingStatus.GRADED:
        return False
    exam = sitting.exam
    if exam.review == ReviewPolicy.AFTER_SUBMIT:
        return True
    if exam.review == ReviewPolicy.AFTER_CLOSE:
        return bool(exam.closes_at and (now or timezone.now()) >= exam.closes_at)
    return False


def instant_feedback(exam):
    """Practice feedback right after each question (核对答案), during the sitting: only for
    practice whose policy shows answers as soon as results exist."""
    return exam.is_practice and exam.review == ReviewPolicy.AFTER_SUBMIT


def review_open_q(prefix="", now=None):
    """``review_open`` as a filter over a sitting relation (``prefix`` like "sitting__")."""
    now = now or timezone.now()
    return Q(**{f"{prefix}status": SittingStatus.GRADED}) & (
        Q(**{f"{prefix}exam__review": ReviewPolicy.AFTER_SUBMIT})
        | Q(**{f"{prefix}exam__review": ReviewPolicy.AFTER_CLOSE, f"{prefix}exam__closes_at__lte": now}))


def practice_pool(now=None):
    """Questions officers may practise and see the key of: active ones, except those on the
    fixed paper of a published, not yet closed exam that is not itself practice (so practice
    never hands out the key of a paper that is still being sat)."""
    now = now or timezone.now()
    running = (ExamQuestion.objects.filter(exam__draft=False)
               .exclude(exam__kind=ExamKind.PRACTICE)
               .filter(Q(exam__closes_at__isnull=True) | Q(exam__closes_at__gt=now)))
    return (Question.objects.filter(status=QuestionStatus.ACTIVE)
            .exclude(pk__in=running.values("question_id")))


def wrong_items(officer, now=None):
    """The officer's open wrong-question book entries that may be shown: those whose latest
    wrong answer comes from a sitting whose review is open, and those wrong in practice
    (no sitting) while the question is in the practice pool. The others wait (or, under
    ``never``, stay hidden)."""
    return (WrongItem.objects.filter(officer=officer, resolved_at__isnull=True)
            .filter(review_open_q("sitting__", now)
                    | Q(sitting__isnull=True, question__in=practice_pool(now).values("pk"))))


def hidden_wrong_count(officer, now=None):
    """Open entries not shown yet because their exam's review policy does not allow it."""
    return (WrongItem.objects.filter(officer=officer, resolved_at__isnull=True)
            .exclude(pk__in=wrong_items(officer, now).values("pk")).count())
