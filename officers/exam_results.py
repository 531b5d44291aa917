"""What the officers app reads about exam sittings: the HR list "failed the last
exam", the failed exams of the annual report, the exam history on an officer's
record.

The exams app builds on officers (exams.Sitting points at officers.Officer and
sends officers.events.exam_passed), so officers never imports it: the Sitting
model is taken from Django's app registry by its label, the way
officers.models.RequiredExam refers to "exams.Exam". This module is the only
place in officers that knows the fields of a sitting. Without the exams app
installed every answer is empty."""
import datetime

from django.apps import apps
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail import hooks

#: Exam kinds whose result counts for "failed the last exam".
ASSESSED_EXAM_KINDS = ("qualification", "annual", "final")

#: States of a sitting, as the annual exam status reads them: started but not
#: submitted, or submitted and awaiting marking / release (in progress); and
#: with a released result (finished).
SITTING_IN_PROGRESS = "in_progress"
SITTING_FINISHED = "finished"


def sitting_model():
    """exams.Sitting, or None when the exams app is not installed."""
    if not apps.is_installed("exams"):
        return None
    return apps.get_model("exams", "Sitting")


def failed_last_exam_subquery():
    """A subquery of the officer's last released assessed exam result (passed
    True/False) for a queryset with an ``officer_id``, or None without the exams app."""
    sitting = sitting_model()
    if sitting is None:
        return None
    last = (sitting.objects.filter(officer=OuterRef("officer_id"), passed__isnull=False,
                                   released_at__isnull=False, exam__kind__in=ASSESSED_EXAM_KINDS)
            .order_by("-ended_at", "-id").values("passed")[:1])
    return Subquery(last)


def ever_failed_officers():
    """Ids of officers with at least one released failed assessed sitting (narrows
    the last-result subquery to the few who could match); None without the exams app."""
    sitting = sitting_model()
    if sitting is None:
        return None
    return sitting.objects.filter(passed=False, released_at__isnull=False,
                                  exam__kind__in=ASSESSED_EXAM_KINDS).values("officer_id")


def failed_exam_counts(officer_ids, year):
    """{officer id: released failed sittings taken in the year} (dated like passes: by the
    sitting's end); empty without the exams app. Database errors are not hidden."""
    sitting = sitting_model()
    if sitting is None:
        return {}
    return dict(sitting.objects.filter(officer_id__in=officer_ids, passed=False, released_at__isnull=False,
                                       ended_at__year=year)
                .values("officer_id").annotate(n=Count("pk")).order_by().values_list("officer_id", "n"))


def failed_sittings(officer_ids, since, *, exam_ids=(), kinds=()):
    """{officer id: [(exam id, exam kind, local date)]} of the released failed sittings
    ended on or after the date ``since`` at one of ``exam_ids`` or an exam of one of
    ``kinds`` (the renewal exams the lifecycle counts); empty without the exams app."""
    sitting = sitting_model()
    if sitting is None or not officer_ids:
        return {}
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    rows = (sitting.objects.filter(officer_id__in=officer_ids, passed=False, released_at__isnull=False,
                                   ended_at__gte=start)
            .filter(Q(exam_id__in=list(exam_ids)) | Q(exam__kind__in=list(kinds)))
            .values_list("officer_id", "exam_id", "exam__kind", "ended_at"))
    result = {}
    for officer_id, exam_id, kind, ended in rows:
        result.setdefault(officer_id, []).append((exam_id, kind, timezone.localtime(ended).date()))
    return result


def exam_history(officer, limit=50):
    """The officer's finished sittings (newest first, with their exam), or None without the exams app."""
    sitting = sitting_model()
    if sitting is None:
        return None
    return list(sitting.objects.filter(officer=officer).exclude(ended_at__isnull=True)
                .select_related("exam").order_by("-ended_at", "-id")[:limit])


def annual_sittings(officer_ids, year, exam_ids=()):
    """{officer id: [(exam id, exam kind, state)]} of the sittings started in the year at an
    annual-kind exam or one of ``exam_ids``; state is SITTING_IN_PROGRESS or
    SITTING_FINISHED (a released result), as the exams app decides (its
    ``academy_annual_sittings`` hook). Empty without the exams app."""
    if not officer_ids:
        return {}
    for provider in hooks.get_hooks("academy_annual_sittings"):
        return provider(officer_ids, year, exam_ids=exam_ids, in_progress=SITTING_IN_PROGRESS,
                        finished=SITTING_FINISHED)
    return {}


def open_exams(officer, *, exam_ids=(), kinds=(), now=None):
    """[(exam id, exam kind, title)] of the exams among ``exam_ids`` or of one of ``kinds`` that
    the officer can take now, soonest closing first, as the exams app decides (its
    ``academy_open_exams`` hook: open, meant for the officer, an attempt left); empty without
    the exams app."""
    for provider in hooks.get_hooks("academy_open_exams"):
        return provider(officer, exam_ids=exam_ids, kinds=kinds, now=now)
    return []

