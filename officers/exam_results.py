"""What the officers app reads about exam sittings: the HR list "failed the last
exam", the failed exams of the annual report, the exam history on an officer's
record.

The exams app builds on officers (exams.Sitting points at officers.Officer and
sends officers.events.exam_passed), so officers never imports it: the Sitting
model is taken from Django's app registry by its label, the way
officers.models.RequiredExam refers to "exams.Exam". This module is the only
place in officers that knows the fields of a sitting. Without the exams app
installed every answer is empty."""
from django.apps import apps
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

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
    SITTING_FINISHED (a released result). Empty without the exams app."""
    sitting = sitting_model()
    if sitting is None or not officer_ids:
        return {}
    result = {}
    rows = (sitting.objects.filter(Q(exam__kind="annual") | Q(exam_id__in=list(exam_ids)),
                                   officer_id__in=officer_ids, started_at__year=year)
            .values_list("officer_id", "exam_id", "exam__kind", "status", "passed", "released_at"))
    for officer_id, exam_id, kind, status, passed, released_at in rows:
        finished = status == "graded" and passed is not None and released_at is not None
        result.setdefault(officer_id, []).append(
            (exam_id, kind, SITTING_FINISHED if finished else SITTING_IN_PROGRESS))
    return result


def exam_model():
    """exams.Exam, or None when the exams app is not installed."""
    if not apps.is_installed("exams"):
        return None
    return apps.get_model("exams", "Exam")


def open_exams(officer, *, exam_ids=(), kinds=(), now=None):
    """[(exam id, exam kind, title)] of the published exams among ``exam_ids`` or of one of
    ``kinds`` that the officer can take now: open (opened, not closed), meant for the
    officer's unit and training tier, and with an attempt left (or a sitting still open).
    Soonest closing first; empty without the exams app."""
    exam, sitting = exam_model(), sitting_model()
    if exam is None or sitting is None or not (exam_ids or kinds):
        return []
    now = now or timezone.now()
    qs = (exam.objects.filter(Q(pk__in=list(exam_ids)) | Q(kind__in=list(kinds)), draft=False)
          .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
          .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
          .prefetch_related("eligible_units").order_by(F("closes_at").asc(nulls_last=True), "pk"))
    exams = [e for e in qs if _eligible(e, officer)]
    used, open_ids = {}, set()
    for exam_id, status in sitting.objects.filter(officer=officer, exam__in=exams).values_list("exam_id", "status"):
        used[exam_id] = used.get(exam_id, 0) + 1
        if status == "open":
            open_ids.add(exam_id)
    result = []
    for e in exams:
        allowed = 1 if e.single_attempt else e.max_attempts
        if e.pk in open_ids or not allowed or used.get(e.pk, 0) < allowed:
            result.append((e.pk, e.kind, e.title))
    return result


def _eligible(exam, officer):
    """The exam's audience (as exams.engine.is_eligible): officers of its units and their
    sub-units and, when it names training tiers, of one of those tiers."""
    unit_paths = [u.path for u in exam.eligible_units.all()]
    if unit_paths and not any(officer.unit.path.startswith(p) for p in unit_paths):
        return False
    tiers = exam.eligible_tiers or []
    return not tiers or officer.training_tier in tiers
