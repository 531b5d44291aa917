"""Learning progress rules: opening and completing lessons, course completion
(once, with its hours credited once), prerequisites and the final exam.

Plain functions taking data and returning results; views call them.
"""
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from officers import audit
from officers import hours as hours_service
from officers import models as officer_models
from officers.events import course_completed
from officers.models import MODE_SELF_STUDY, SOURCE_COURSE

from . import studytime
from .choices import StudyMode
from .records import CourseEnrollment, LessonProgress, course_page_model

FINAL_EXAM_KIND = "final"


def course_hours_key(course):
    return f"course:{course.pk}"


# --- Final exam (exams app, optional) ---------------------------------------------


def exam_model():
    """The exams app's Exam model, or None while it does not exist."""
    try:
        return apps.get_model("exams", "Exam")
    except LookupError:
        return None


def final_exams_for(course_ids):
    """{course_id: exam} of the final exams of these courses (one query; empty without the exams app)."""
    Exam = exam_model()
    if Exam is None or not course_ids:
        return {}
    try:
        field_names = {f.name for f in Exam._meta.get_fields()}
        if "course" not in field_names:
            return {}
        qs = Exam.objects.filter(course_id__in=list(course_ids))
        if "kind" in field_names:
            qs = qs.filter(kind=FINAL_EXAM_KIND)
        if "draft" in field_names:  # a draft exam is not offered yet, so it cannot be required
            qs = qs.filter(draft=False)
        return {e.course_id: e for e in qs.order_by("pk")}
    except FieldError:
        return {}


# --- Prerequisites -------------------------------------------------------------------


def completed_course_ids(officer):
    return set(CourseEnrollment.objects.filter(officer=officer, completed_at__isnull=False)
               .values_list("course_id", flat=True))


def prerequisites_by_course(course_ids):
    """{course_id: [prerequisite CoursePage, …]} in one query."""
    through = course_page_model().prerequisites.through
    result = {cid: [] for cid in course_ids}
    rows = through.objects.filter(from_coursepage_id__in=list(course_ids)).select_related("to_coursepage")
    for row in rows:
        result.setdefault(row.from_coursepage_id, []).append(row.to_coursepage)
    for items in result.values():
        items.sort(key=lambda c: (c.tier_rank, c.path))
    return result


def missing_prerequisites(officer, course, completed_ids=None):
    """Prerequisite courses the officer has not completed yet (empty: the course may be started)."""
    if completed_ids is None:
        completed_ids = completed_course_ids(officer)
    return [p for p in prerequisites_by_course([course.pk])[course.pk] if p.pk not in completed_ids]


# --- Lessons ---------------------------------------------------------------------------


def open_lesson(officer, lesson, course, *, now=None):
    """Record that the officer opened the lesson (the first time: opened_at); starts the
    course. Every opening restarts the lesson's study-time window (last_heartbeat_at, see
    courses.studytime), so a page's first heartbeat reaches back no further. Returns the progress."""
    now = now or timezone.now()
    CourseEnrollment.objects.get_or_create(officer=officer, course=course)
    progress, created = LessonProgress.objects.get_or_create(
        officer=officer, lesson=lesson, defaults={"course": course, "opened_at": now, "last_heartbeat_at": now})
    if not created:
        LessonProgress.objects.filter(pk=progress.pk).update(last_heartbeat_at=now)
        progress.last_heartbeat_at = now
    return progress


def seconds_until_completable(progress, lesson, now=None):
    """Seconds of study still required before the lesson may be marked complete (0 = now):
    counted study time for video and reading lessons (courses.studytime), the time since
    first opening for a lesson that counts none."""
    study = studytime.study_settings(lesson)
    if progress is None:
        return study.required_seconds
    if progress.completed_at:
        return 0
    if study.counted:
        return studytime.remaining_seconds(study, progress.active_seconds)
    elapsed = ((now or timezone.now()) - progress.opened_at).total_seconds()
    return max(0, int(study.required_seconds - elapsed + 0.999))


class LessonNotCompletable(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.message, self.code = message, code


def complete_lesson(officer, lesson, course, *, request=None):
    """Mark a lesson complete (idempotent) and re-evaluate the course.

    Raises LessonNotCompletable when the lesson was never opened or was opened
    too recently. Returns (lesson_newly_completed, course_newly_completed).
    """
    missing = missing_prerequisites(officer, course)
    if missing:
        raise LessonNotCompletable(_("请先完成先修课程：%(names)s") % {
            "names": "、".join(c.title for c in missing)}, "prerequisites_missing")
    progress = LessonProgress.objects.filter(officer=officer, lesson=lesson).first()
    if progress is None:
        raise LessonNotCompletable(_("请先打开并学习本课时。"), "not_opened")
    wait = seconds_until_completable(progress, lesson)
    if wait > 0:
        study = studytime.study_settings(lesson)
        if study.counted:
            raise LessonNotCompletable(_(
                "学习时间不足：本课时要求%(kind)s满 %(required)s，已计 %(done)s，还需 %(left)s。") % {
                "kind": _("观看视频") if study.mode == StudyMode.VIDEO else _("有效阅读"),
                "required": studytime.duration_text(study.required_seconds),
                "done": studytime.duration_text(progress.active_seconds),
                "left": studytime.duration_text(wait)}, "too_early")
        raise LessonNotCompletable(
            _("学习时间不足：请在 %(n)s 秒后再标记完成。") % {"n": wait}, "too_early")
    with transaction.atomic():
        newly = bool(LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True)
                     .update(completed_at=timezone.now()))
        if newly:
            audit.record("course.lesson_completed", request=request, officer=officer, obj=lesson,
                         after={"course": course.pk})
    course_done = evaluate_course(officer, course, request=request)
    return newly, course_done


# --- Courses ---------------------------------------------------------------------------


def course_requirements_met(officer, course, enrollment):
    """True when every published lesson is complete and the final exam (if any) passed."""
    lesson_ids = set(course.get_lessons().values_list("pk", flat=True))
    if not lesson_ids:
        return False
    done = set(LessonProgress.objects.filter(officer=officer, lesson_id__in=lesson_ids, completed_at__isnull=False)
               .values_list("lesson_id", flat=True))
    if done != lesson_ids:
        return False
    if final_exams_for([course.pk]) and enrollment.exam_passed_at is None:
        return False
    return True


def evaluate_course(officer, course, *, request=None):
    """Complete the course if its requirements are met. Exactly one caller wins:
    it credits the course's hours and sends ``course_completed`` after commit.
    Returns True only for that caller."""
    enrollment, _created = CourseEnrollment.objects.get_or_create(officer=officer, course=course)
    if enrollment.completed_at or not course_requirements_met(officer, course, enrollment):
        return False
    with transaction.atomic():
        now = timezone.now()
        won = CourseEnrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(completed_at=now)
        if not won:
            return False
        if course.hours and course.hours > 0:
            hours_service.credit(
                officer, course.hours, source=SOURCE_COURSE, source_key=course_hours_key(course),
                description=_("完成课程：%(title)s") % {"title": course.title},
                actor=getattr(request, "user", None) if request is not None else None,
                category=getattr(course, "hours_category_id", None),
                mode=getattr(course, "hours_mode", "") or MODE_SELF_STUDY,
            )
        audit.record("course.completed", request=request, officer=officer, obj=course,
                     after={"hours": str(course.hours or Decimal("0"))})
        transaction.on_commit(lambda: course_completed.send(
            sender=course_page_model(), officer=officer, course=course, completed_at=now))
    return True


def on_exam_passed(sender, officer=None, exam=None, **kwargs):
    """exams: a passed final exam may complete its course."""
    course_id = getattr(exam, "course_id", None)
    if officer is None or not course_id:
        return
    if getattr(exam, "kind", FINAL_EXAM_KIND) != FINAL_EXAM_KIND:
        return
    course = course_page_model().objects.filter(pk=course_id).first()
    if course is None:
        return
    enrollment, _created = CourseEnrollment.objects.get_or_create(officer=officer, course=course)
    CourseEnrollment.objects.filter(pk=enrollment.pk, exam_passed_at__isnull=True).update(
        exam_passed_at=timezone.now())
    evaluate_course(officer, course)


# --- Hours requirement (qualifications, optional) --------------------------------------


def yearly_hours_requirement(officer):
    """The officer's yearly training-hours requirement: the highest minimum of the
    qualification types they hold a record of (or else of the base qualification);
    None while qualification types define none (officers.models.QualificationType)."""
    qt = getattr(officer_models, "QualificationType", None)
    if qt is None or not hasattr(qt, "min_hours_per_year"):
        return None
    try:
        active = qt.objects.filter(is_active=True)
        value = active.filter(records__officer=officer).aggregate(m=Max("min_hours_per_year"))["m"]
        if not value:
            value = active.filter(is_base=True).aggregate(m=Max("min_hours_per_year"))["m"]
    except (FieldError, TypeError, ValueError):
        return None
    return value or None
