"""Service API for other apps (qualifications, courses, dashboards).

    best_result(officer, exam[, sittings])  -> the sitting that counts (highest or last, per the exam), or None
    passed_exams(officer)       -> Exams the officer has passed
    has_passed(officer, exam)   -> bool
    results(officer)            -> released sittings, newest first
"""
from .models import Counting, Exam, Sitting, SittingStatus


def results(officer):
    return Sitting.objects.filter(officer=officer, status=SittingStatus.GRADED).select_related("exam")


def best_result(officer, exam, sittings=None):
    """The released sitting that counts for this exam: the highest score (ties: earliest), or
    the last one when the exam counts the last attempt. ``sittings``: the officer's sittings
    of the exam when the caller has them (``engine.standing``); else they are read."""
    if sittings is None:
        sittings = Sitting.objects.filter(officer=officer, exam=exam, status=SittingStatus.GRADED)
    released = [s for s in sittings if s.status == SittingStatus.GRADED]
    if not released:
        return None
    if exam.counting == Counting.LAST:
        return max(released, key=lambda s: s.attempt)
    return min(released, key=lambda s: (-(s.percent or 0), s.attempt))


def has_passed(officer, exam):
    best = best_result(officer, exam)
    return bool(best and best.passed)


def passed_exams(officer):
    return Exam.objects.filter(sittings__officer=officer, sittings__status=SittingStatus.GRADED,
                               sittings__passed=True).distinct()
