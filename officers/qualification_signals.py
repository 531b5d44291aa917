"""Receivers of officers.events that keep qualifications and certificates up
to date: an exam passed or failed, a course completed, hours added. Connected by
officers.apps.OfficersConfig.ready()."""
import logging

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from . import certificates, qualifications
from .events import course_completed, exam_passed, exam_result_released, hours_added
from .models import ACH_COURSE, ACH_EXAM, Achievement

logger = logging.getLogger("academy.qualifications")


def _achievement(officer, *, kind, ref_id, ref_kind, title, score, at, source_key):
    if Achievement.objects.filter(officer=officer, source_key=source_key).exists():
        return
    try:
        with transaction.atomic():
            Achievement.objects.create(officer=officer, kind=kind, ref_id=ref_id, ref_kind=ref_kind or "",
                                       title=(title or "")[:255], score=score, achieved_at=at or timezone.now(),
                                       source_key=source_key)
    except IntegrityError:
        pass


def _reevaluate(officer):
    qualifications.evaluate_all(officer)


@receiver(exam_passed, dispatch_uid="qualifications.exam_passed")
def on_exam_passed(sender, officer=None, sitting=None, exam=None, score=None, **kwargs):
    try:
        at = getattr(sitting, "ended_at", None) or timezone.now()
        _achievement(officer, kind=ACH_EXAM, ref_id=exam.pk, ref_kind=getattr(exam, "kind", ""),
                     title=getattr(exam, "title", str(exam)), score=score, at=at, source_key=f"sitting:{sitting.pk}")
        certificates.issue_for_exam(officer, sitting, exam, score)
        _reevaluate(officer)
    except Exception:
        logger.exception("qualification update after exam_passed failed (officer %s)", getattr(officer, "pk", None))


@receiver(exam_result_released, dispatch_uid="qualifications.exam_result_released")
def on_exam_result_released(sender, officer=None, sitting=None, exam=None, passed=False, **kwargs):
    """A failed result changes the annual exam status (未通过) at once, not at the next
    nightly run; a pass is handled by on_exam_passed."""
    if passed:
        return
    try:
        _reevaluate(officer)
    except Exception:
        logger.exception("qualification update after exam_result_released failed (officer %s)",
                         getattr(officer, "pk", None))


@receiver(course_completed, dispatch_uid="qualifications.course_completed")
def on_course_completed(sender, officer=None, course=None, completed_at=None, **kwargs):
    try:
        _achievement(officer, kind=ACH_COURSE, ref_id=course.pk, ref_kind=str(getattr(course, "tier", "") or ""),
                     title=getattr(course, "title", str(course)), score=None, at=completed_at,
                     source_key=f"course:{course.pk}")
        certificates.issue_for_course(officer, course, completed_at)
        _reevaluate(officer)
    except Exception:
        logger.exception("qualification update after course_completed failed (officer %s)",
                         getattr(officer, "pk", None))


@receiver(hours_added, dispatch_uid="qualifications.hours_added")
def on_hours_added(sender, officer=None, entry=None, **kwargs):
    try:
        _reevaluate(officer)
    except Exception:
        logger.exception("qualification update after hours_added failed (officer %s)", getattr(officer, "pk", None))
