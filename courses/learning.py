"""What an officer has to learn, and how far they are: the data of 我的学习
and of a course page, built with a fixed number of queries however many
courses and lessons there are."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Officer, hours_total

from .records import (
    Assignment, CourseEnrollment, LessonProgress, OnsiteSession, SessionSignup, course_page_model, lesson_page_model,
)
from .progress import final_exams_for, prerequisites_by_course, yearly_hours_requirement

STATUS_LOCKED = "locked"
STATUS_NOT_STARTED = "not_started"
STATUS_IN_PROGRESS = "in_progress"
STATUS_EXAM = "exam_pending"
STATUS_COMPLETED = "completed"
STATUS_LABELS = {
    STATUS_LOCKED: _("未解锁"),
    STATUS_NOT_STARTED: _("未开始"),
    STATUS_IN_PROGRESS: _("学习中"),
    STATUS_EXAM: _("待结业考试"),
    STATUS_COMPLETED: _("已完成"),
}


def assignments_for(officer):
    """Assignments that target this officer: their unit (or an ancestor with
    sub-units included) and, when set, their position and the course's tier
    (``Assignment.target_q`` is the same rule seen from the assignment)."""
    return (Assignment.objects.filter(officer.unit.reached_by_q())
            .filter(Q(position="") | Q(position=officer.position))
            .filter(Q(tier_only=False) | Q(course__tier=officer.training_tier)))


def assignments_due(start, end):
    """[(officer id, assignment id, course title, due date, course url)] of the assigned courses
    due between ``start`` and ``end`` (inclusive) that the targeted active officer has not
    completed: one query per assignment due (officers' notices ask through a hook)."""
    out = []
    due = (Assignment.objects.filter(due_date__gte=start, due_date__lte=end, course__live=True)
           .select_related("course", "unit").order_by("due_date", "pk"))
    for assignment in due:
        done = CourseEnrollment.objects.filter(course_id=assignment.course_id, completed_at__isnull=False)
        officer_ids = (Officer.objects.filter(is_active=True).filter(assignment.target_q())
                       .exclude(pk__in=done.values("officer_id")).values_list("pk", flat=True))
        url = assignment.course.url or ""
        out.extend((pk, assignment.pk, assignment.course.title, assignment.due_date, url) for pk in officer_ids)
    return out


def lessons_by_course(courses):
    """{course_id: [live LessonPage, …]} for these courses, in one query."""
    by_path = {c.path: c.pk for c in courses}
    result = {c.pk: [] for c in courses}
    if not by_path:
        return result
    step = course_page_model().steplen
    lessons = (lesson_page_model().objects.live().defer("body")
               .annotate(parent_path=Substr("path", 1, F("depth") * step - step))
               .filter(parent_path__in=list(by_path)).order_by("path"))
    for lesson in lessons:
        result[by_path[lesson.parent_path]].append(lesson)
    return result


@dataclass
class CourseProgress:
    course: object  # a CoursePage
    lessons: list = field(default_factory=list)
    done_ids: set = field(default_factory=set)
    opened_ids: set = field(default_factory=set)
    missing_prerequisites: list = field(default_factory=list)
    enrollment: dict | None = None
    final_exam: object = None
    due_date: datetime.date | None = None
    assigned: bool = False

    @property
    def n_lessons(self):
        return len(self.lessons)

    @property
    def n_done(self):
        return sum(1 for lesson in self.lessons if lesson.pk in self.done_ids)

    @property
    def percent(self):
        if self.status == STATUS_COMPLETED:
            return 100
        return round(100 * self.n_done / self.n_lessons) if self.lessons else 0

    @property
    def completed_at(self):
        return (self.enrollment or {}).get("completed_at")

    @property
    def status(self):
        if self.completed_at:
            return STATUS_COMPLETED
        if self.missing_prerequisites:
            return STATUS_LOCKED
        if self.lessons and self.n_done == self.n_lessons:
            return STATUS_EXAM if self.final_exam is not None else STATUS_IN_PROGRESS
        if self.enrollment is None and not self.opened_ids:
            return STATUS_NOT_STARTED
        return STATUS_IN_PROGRESS

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def overdue(self):
        return bool(self.due_date and self.status != STATUS_COMPLETED and self.due_date < timezone.localdate())

    @property
    def next_lesson(self):
        for lesson in self.lessons:
            if lesson.pk not in self.done_ids:
                return lesson
        return None

    def lesson_rows(self):
        return [{"lesson": lesson, "done": lesson.pk in self.done_ids, "opened": lesson.pk in self.opened_ids}
                for lesson in self.lessons]


def build_progress(officer, courses, *, due_dates=None, completed_ids=None):
    """CourseProgress for each course (a list in the given order), with a fixed number of queries."""
    courses = list(courses)
    ids = [c.pk for c in courses]
    lessons = lessons_by_course(courses)
    prereqs = prerequisites_by_course(ids)
    exams = final_exams_for(ids)
    enrollments, done, opened = {}, set(), set()
    if officer is not None and ids:
        enrollments = {e["course_id"]: e for e in CourseEnrollment.objects.filter(officer=officer).values(
            "course_id", "completed_at", "exam_passed_at", "started_at")}
        for lesson_id, completed_at in LessonProgress.objects.filter(officer=officer, course_id__in=ids) \
                .values_list("lesson_id", "completed_at"):
            opened.add(lesson_id)
            if completed_at:
                done.add(lesson_id)
    if completed_ids is None:
        completed_ids = {cid for cid, e in enrollments.items() if e["completed_at"]}
    due_dates = due_dates or {}
    return [CourseProgress(
        course=c, lessons=lessons[c.pk], done_ids=done, opened_ids=opened,
        missing_prerequisites=[p for p in prereqs.get(c.pk, []) if p.pk not in completed_ids] if officer else [],
        enrollment=enrollments.get(c.pk), final_exam=exams.get(c.pk), due_date=due_dates.get(c.pk),
        assigned=c.pk in due_dates,
    ) for c in courses]


def my_learning(officer, *, upcoming_limit=5):
    """Everything 我的学习 shows for an officer."""
    today = timezone.localdate()
    due_dates = {}
    for course_id, due in assignments_for(officer).values_list("course_id", "due_date"):
        if course_id not in due_dates or due < due_dates[course_id]:
            due_dates[course_id] = due
    started = CourseEnrollment.objects.filter(officer=officer).values_list("course_id", flat=True)
    courses = course_page_model().objects.live().filter(Q(pk__in=list(due_dates)) | Q(pk__in=started))
    items = build_progress(officer, courses, due_dates=due_dates)
    far = datetime.date.max
    items.sort(key=lambda i: (i.status == STATUS_COMPLETED, not i.assigned, i.due_date or far,
                              i.course.tier_rank, i.course.path))
    assigned = [i for i in items if i.assigned]
    others = [i for i in items if not i.assigned]
    next_item = next((i for i in assigned + others if i.status in (STATUS_IN_PROGRESS, STATUS_NOT_STARTED,
                                                                      STATUS_EXAM)), None)
    year = today.year
    now = timezone.now()
    mine = SessionSignup.objects.filter(officer=officer)
    sessions = list(
        OnsiteSession.objects.filter(ends_at__gte=now)
        .filter(Q(course_id__in=list(due_dates)) | Q(pk__in=mine.values("session_id")))
        .annotate(n_signups=Count("signups"), signed_up=Exists(mine.filter(session=OuterRef("pk"))))
        .select_related("course").order_by("starts_at")[:upcoming_limit]
    )
    return {
        "officer": officer,
        "assigned": assigned,
        "others": others,
        "next_item": next_item,
        "n_overdue": sum(1 for i in assigned if i.overdue),
        "n_completed": sum(1 for i in assigned if i.status == STATUS_COMPLETED),
        "year": year,
        "hours_this_year": hours_total(officer, year),
        "hours_required": yearly_hours_requirement(officer),
        "sessions": sessions,
        "today": today,
    }
