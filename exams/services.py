"""Service API for other apps (qualifications, courses, dashboards).

    best_result(officer, exam)  -> the sitting that counts (highest or last, per the exam), or None
    passed_exams(officer)       -> Exams the officer has passed
    has_passed(officer, exam)   -> bool
    results(officer)            -> released sittings, newest first
"""
from .models import Counting, Exam, Sitting, SittingStatus


def results(officer):
    return Sitting.objects.filter(officer=officer, status=SittingStatus.GRADED).select_related("exam")


def best_result(officer, exam):
    """The released sitting that counts for this exam: the highest score (ties: earliest), or
    the last one when the exam counts the last attempt."""
    qs = Sitting.objects.filter(officer=officer, exam=exam, status=SittingStatus.GRADED)
    if exam.counting == Counting.LAST:
        return qs.order_by("-attempt").first()
    return qs.order_by("-percent", "attempt").first()


def has_passed(officer, exam):
    best = best_result(officer, exam)
    return bool(best and best.passed)


def passed_exams(officer):
    return Exam.objects.filter(sittings__officer=officer, sittings__status=SittingStatus.GRADED,
                               sittings__passed=True).distinct()
