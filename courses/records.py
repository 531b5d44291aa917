"""Records of learning (data models): enrolments and lesson progress, course
assignments, on-site sessions with their sign-ups and attendance.

They point at the course and lesson pages (courses.pages) by label. The rules
(courses.progress, courses.learning) import this module; the pages sit above them
and import the rules, so the rules reach the page models through Django's app
registry (``course_page_model``, ``lesson_page_model``), never by importing the
pages module.
"""
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Position


def course_page_model():
    """courses.CoursePage (defined in courses.pages, above this module)."""
    return apps.get_model("courses", "CoursePage")


def lesson_page_model():
    """courses.LessonPage (defined in courses.pages, above this module)."""
    return apps.get_model("courses", "LessonPage")


# --- Progress ----------------------------------------------------------------------


class CourseEnrollment(models.Model):
    """An officer's learning of a course: started when they first open it,
    completed once when every lesson (and the final exam, if any) is done."""

    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="course_enrollments",
                                verbose_name=_("人员"))
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="enrollments",
                               verbose_name=_("课程"))
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    exam_passed_at = models.DateTimeField(_("结业考试通过时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("课程学习记录")
        verbose_name_plural = _("课程学习记录")
        constraints = [models.UniqueConstraint(fields=["officer", "course"], name="courses_enrollment_unique")]

    def __str__(self):
        return f"{self.officer_id}:{self.course_id}"

    @property
    def is_complete(self):
        return self.completed_at is not None


class LessonProgress(models.Model):
    """When an officer first opened a lesson and when they completed it, and the study
    time credited to it (courses.studytime)."""

    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="lesson_progress",
                                verbose_name=_("人员"))
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="progress",
                               verbose_name=_("课时"))
    #: The lesson's course at the time (lets progress be counted per course in one query).
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="lesson_progress",
                               verbose_name=_("课程"))
    opened_at = models.DateTimeField(_("首次打开"), default=timezone.now)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    #: Study time credited by the heartbeats (courses.studytime), in seconds.
    active_seconds = models.PositiveIntegerField(_("有效学习时长（秒）"), default=0)
    #: Where the video resumes, and the furthest point watched (seconds into the video).
    video_position = models.FloatField(_("视频续播位置（秒）"), default=0)
    video_furthest = models.FloatField(_("视频最远观看位置（秒）"), default=0)
    last_heartbeat_at = models.DateTimeField(_("最近学习时间"), null=True, blank=True)
    #: End of the last interval credited to this lesson; the officer's credit clock is the latest of these.
    credited_until = models.DateTimeField(_("计时截至"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("课时学习进度")
        verbose_name_plural = _("课时学习进度")
        constraints = [models.UniqueConstraint(fields=["officer", "lesson"], name="courses_lesson_progress_unique")]
        indexes = [models.Index(fields=["officer", "course"])]

    def __str__(self):
        return f"{self.officer_id}:{self.lesson_id}"


# --- Assignments -------------------------------------------------------------------


class Assignment(models.Model):
    """A course assigned to the officers of a unit (optionally with its
    sub-units), optionally only those in one position, with a due date."""

    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="assignments",
                               verbose_name=_("课程"))
    unit = models.ForeignKey("officers.Unit", on_delete=models.CASCADE, related_name="course_assignments",
                             verbose_name=_("单位"))
    include_subunits = models.BooleanField(_("含下级单位"), default=True)
    position = models.CharField(_("岗位"), max_length=32, choices=Position.choices, blank=True,
                                help_text=_("留空表示该单位的全部人员。"))
    tier_only = models.BooleanField(_("仅限该课程层级的人员"), default=False,
                                    help_text=_("勾选后只指派给培训层级与课程层级相同的人员（人员的培训层级由人事登记）。"))
    due_date = models.DateField(_("完成期限"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("指派人"))
    created_at = models.DateTimeField(_("指派时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("课程指派")
        verbose_name_plural = _("课程指派")
        ordering = ["due_date", "id"]

    def __str__(self):
        return f"{self.course} → {self.unit}"

    def target_q(self, prefix=""):
        """Q over officers targeted by this assignment (prefix for related lookups)."""
        q = self.unit.members_q(self.include_subunits, prefix)
        if self.position:
            q &= models.Q(**{f"{prefix}position": self.position})
        if self.tier_only:
            q &= models.Q(**{f"{prefix}training_tier": self.course.tier})
        return q


# --- On-site teaching --------------------------------------------------------------


class OnsiteSession(models.Model):
    """现场教学: an in-person session at a real location."""

    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="onsite_sessions",
                               verbose_name=_("课程"))
    title = models.CharField(_("主题"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                related_name="onsite_sessions", verbose_name=_("教官"),
                                limit_choices_to={"groups__name": "trainer"})
    capacity = models.PositiveIntegerField(_("名额"), default=30)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=4)
    description = models.TextField(_("内容安排"), blank=True)

    class Meta:
        verbose_name = _("现场教学")
        verbose_name_plural = _("现场教学")
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.title}（{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}）"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": ValidationError(_("结束时间须晚于开始时间。"), code="ends_before_start")})

    @property
    def is_past(self):
        return self.ends_at <= timezone.now()


class SessionSignup(models.Model):
    session = models.ForeignKey(OnsiteSession, on_delete=models.CASCADE, related_name="signups",
                                verbose_name=_("现场教学"))
    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="session_signups",
                                verbose_name=_("人员"))
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("现场教学报名")
        verbose_name_plural = _("现场教学报名")
        constraints = [models.UniqueConstraint(fields=["session", "officer"], name="courses_signup_unique")]


class Attendance(models.Model):
    """An officer was present at a session (recorded by the trainer); credits the session's hours once."""

    session = models.ForeignKey(OnsiteSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("现场教学"))
    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="session_attendances",
                                verbose_name=_("人员"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("现场教学出勤")
        verbose_name_plural = _("现场教学出勤")
        constraints = [models.UniqueConstraint(fields=["session", "officer"], name="courses_attendance_unique")]
