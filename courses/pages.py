"""The course pages (Wagtail pages): CourseIndexPage (课程中心) → CoursePage (课程)
→ LessonPage (课时). They render through get_context() and templates found by
convention; their context comes from the learning rules (courses.learning,
courses.progress), which this module imports and which never import it.
"""
from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, Workflow, WorkflowPage
from wagtail.search import index

from casebank.cited import CitedContent
from casebank.panels import citation_check_panel
from officers.models import HoursCategory
from officers.scoping import own_profile
from portal.models import ListedPagePermissions

from . import citations, progress, studytime
from .blocks import LessonStreamBlock
from .choices import (
    DUTY_AREA_LABELS, HOURS_MODE_CHOICES, LEGAL_REVIEW_WORKFLOW, MODE_SELF_STUDY, TIER_ENTRY, TIER_RANK, Area,
    StudyMode, Subject, Tier, current_year,
)
from .admin_forms import CoursePageForm
from .learning import assignments_for, build_progress
from .records import LessonProgress, OnsiteSession


class CourseIndexPage(Page):
    """课程中心: the catalogue of published courses."""

    intro = models.TextField(_("简介"), blank=True)

    max_count = 1
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["courses.CoursePage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("课程中心")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        """Published courses, filterable by tier, duty area and subject, with the officer's progress."""
        context = super().get_context(request, *args, **kwargs)
        chosen = {key: request.GET.get(key) or "" for key in ("tier", "area", "subject", "hours_category")}
        page_obj = Paginator(self.get_courses(**chosen).select_related("cover_image"), 30).get_page(
            request.GET.get("page"))
        context.update(chosen)
        context.update({
            "items": build_progress(own_profile(request.user), page_obj.object_list), "page_obj": page_obj,
            "tiers": Tier.choices, "areas": Area.choices, "subjects": Subject.choices,
            "hours_categories": list(HoursCategory.objects.values_list("code", "name")),
        })
        return context

    def get_courses(self, tier="", area="", subject="", hours_category=""):
        """Published courses of the catalogue, lowest tier first; unknown filter values are ignored."""
        courses = CoursePage.objects.live().child_of(self).order_by("tier_rank", "path")
        if tier in Tier.values:
            courses = courses.filter(tier=tier)
        if area in DUTY_AREA_LABELS:
            courses = courses.filter(duty_areas__code=area)
        if subject in Subject.values:
            courses = courses.filter(subject=subject)
        if hours_category:
            courses = courses.filter(hours_category__code=hours_category)
        return courses


class CoursePage(ListedPagePermissions, Page):
    """A course: a tier, duty areas and subject, training hours credited on
    completion, prerequisites, objectives and audience; its lessons are children."""

    tier = models.CharField(_("培训层级"), max_length=16, choices=Tier.choices, default=TIER_ENTRY)
    #: Position of the tier on the ladder (0 = 初任培训); kept in step with ``tier``.
    tier_rank = models.PositiveSmallIntegerField(_("层级序号"), default=0, editable=False, db_index=True)
    subject = models.CharField(_("专题"), max_length=16, choices=Subject.choices, blank=True)
    #: Duty-area codes separated by spaces, kept in step with ``duty_areas``
    #: so the search index (search.service facets) can filter without a join.
    duty_area_codes = models.CharField(_("职责领域代码"), max_length=200, blank=True, editable=False)
    duty_areas = ParentalManyToManyField("casebank.DutyArea", blank=True, related_name="courses",
                                         verbose_name=_("职责领域"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=2,
                                help_text=_("完成课程后计入学员学时台账的学时数。"))
    hours_category = models.ForeignKey("officers.HoursCategory", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("学时分类"),
                                       help_text=_("完成课程后计入的学时类别；不选则只计入年度合计。"))
    hours_mode = models.CharField(_("培训方式"), max_length=8, choices=HOURS_MODE_CHOICES, default=MODE_SELF_STUDY,
                                  help_text=_("线上课程一般为自学；作为集中培训组织的课程选“集中培训”。"))
    estimated_minutes = models.PositiveIntegerField(_("预计学习时长（分钟）"), default=60)
    year = models.PositiveSmallIntegerField(_("年度"), default=current_year, db_index=True)
    intro = models.TextField(_("课程简介"), blank=True)
    objectives = models.TextField(_("学习目标"), blank=True, help_text=_("每行一条。"))
    audience = models.TextField(_("培训对象"), blank=True)
    audience_units = ParentalManyToManyField("officers.Unit", blank=True, related_name="+",
                                             verbose_name=_("面向单位"))
    audience_positions = models.JSONField(_("面向岗位"), default=list, blank=True)
    prerequisites = ParentalManyToManyField(
        "self", blank=True, symmetrical=False, related_name="unlocks", verbose_name=_("先修课程"),
        help_text=_("学员须先完成这些课程才能开始本课程。"),
    )
    cover_image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("封面图片"))
    requires_legal_review = models.BooleanField(
        _("课时须经法制审核"), default=True,
        help_text=_("勾选后，本课程及其课时发布前须经“法制审核”流程。"),
    )
    issues_certificate = models.BooleanField(_("完成后颁发培训证书"), default=False)

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    base_form_class = CoursePageForm

    content_panels = Page.content_panels + [
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("tier"), FieldPanel("subject")]),
            FieldPanel("duty_areas", widget=forms.CheckboxSelectMultiple),
            FieldRowPanel([FieldPanel("hours"), FieldPanel("estimated_minutes"), FieldPanel("year")]),
            FieldRowPanel([FieldPanel("hours_category"), FieldPanel("hours_mode")]),
        ], heading=_("分类与学时")),
        FieldPanel("intro"),
        FieldPanel("objectives"),
        MultiFieldPanel([
            FieldPanel("audience"),
            FieldPanel("audience_units", widget=forms.CheckboxSelectMultiple),
            FieldPanel("audience_positions"),
        ], heading=_("培训对象")),
        FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
        FieldPanel("cover_image"),
        MultiFieldPanel([FieldPanel("requires_legal_review"), FieldPanel("issues_certificate")],
                        heading=_("审核与证书")),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("objectives"),
        index.SearchField("audience"),
        index.FilterField("tier"),
        index.FilterField("tier_rank"),
        index.FilterField("subject"),
        index.FilterField("duty_area_codes"),
        index.FilterField("year"),
    ]

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")

    # -- derived values --------------------------------------------------------

    @property
    def duty_area_list(self):
        return [c for c in self.duty_area_codes.split() if c]

    @property
    def duty_area_labels(self):
        codes = set(self.duty_area_list)
        return [label for code, label in Area.choices if code in codes]

    @property
    def objective_lines(self):
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    def compute_duty_area_codes(self):
        """Codes of the chosen duty areas (the case bank's DutyArea)."""
        try:
            codes = sorted({d.code for d in self.duty_areas.all()})
        except ValueError:  # an unsaved page without in-memory values
            return self.duty_area_codes
        return " ".join(codes)

    def save(self, *args, **kwargs):
        self.tier_rank = TIER_RANK.get(self.tier, 0)
        self.duty_area_codes = self.compute_duty_area_codes()
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "requires_legal_review" in update_fields:
            self.sync_review_workflow()
        if self.pk and (update_fields is None or {"tier", "year"} & set(update_fields)):
            LessonPage.objects.child_of(self).update(
                tier=self.tier, duty_area_codes=self.duty_area_codes, year=self.year)

    def sync_review_workflow(self):
        """Attach the 法制审核 workflow to this course (and so its lessons) or detach it."""
        if not self.pk:
            return
        if self.requires_legal_review:
            workflow = Workflow.objects.filter(name=LEGAL_REVIEW_WORKFLOW, active=True).first()
            if workflow is not None:
                WorkflowPage.objects.update_or_create(page_id=self.pk, defaults={"workflow": workflow})
        else:
            WorkflowPage.objects.filter(page_id=self.pk, workflow__name=LEGAL_REVIEW_WORKFLOW).delete()

    def get_lessons(self):
        """Published lessons in tree order."""
        return LessonPage.objects.child_of(self).live().order_by("path")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        """Objectives, lessons with the officer's progress and due date, the prerequisite
        lock, upcoming on-site sessions: the same live and in the reviewer's preview."""
        context = super().get_context(request, *args, **kwargs)
        officer = own_profile(request.user)
        context.update({"item": self.progress_for(officer), "officer": officer,
                        "sessions": self.upcoming_sessions()})
        return context

    def progress_for(self, officer, *, with_due_date=True):
        """The officer's progress through this course (learning.build_progress), with the due date."""
        item = build_progress(officer, [self])[0]
        if officer is not None and with_due_date:
            due = (assignments_for(officer).filter(course=self).order_by("due_date")
                   .values_list("due_date", flat=True).first())
            item.due_date, item.assigned = due, due is not None
        return item

    def upcoming_sessions(self, limit=5):
        if not self.pk:
            return []
        return list(OnsiteSession.objects.filter(course=self, ends_at__gte=timezone.now())
                    .order_by("starts_at")[:limit])


class LessonPage(ListedPagePermissions, CitedContent, Page):
    """A lesson (课时): Markdown text with statutes, cases, media, self-checks and on-site notes."""

    summary = models.TextField(_("摘要"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("预计学习时长（分钟）"), default=20)
    study_mode = models.CharField(
        _("计时方式"), max_length=16, choices=StudyMode.choices, default=StudyMode.READING,
        help_text=_("视频：只计视频实际播放的时间（不能快进到未看过的位置）；有效阅读：只计页面在前台且一分钟内有操作的时间；"
                    "不计时：首次打开后经过最短学习时间即可完成。"),
    )
    min_read_seconds = models.PositiveIntegerField(
        _("最短学习时间（秒）"), null=True, blank=True,
        help_text=_("计满这么多秒才能标记为已完成。留空则自动计算：视频为视频时长的 90%，阅读按每秒 10 字计（至少 30 秒，"
                    "不超过预计学习时长）。"),
    )
    video_seconds = models.PositiveIntegerField(
        _("视频时长（秒）"), null=True, blank=True,
        help_text=_("本课时视频的总时长，用于计算默认的最短学习时间和计时上限。"),
    )
    study_cap_seconds = models.PositiveIntegerField(
        _("计时上限（秒）"), null=True, blank=True,
        help_text=_("本课时最多计入的学习时长。留空则为预计时长（或视频时长、最短学习时间中较长者）的两倍。"),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("正文"), blank=True)
    # Copied from the course so search can filter lessons without a join.
    tier = models.CharField(_("培训层级"), max_length=16, choices=Tier.choices, blank=True, editable=False)
    duty_area_codes = models.CharField(_("职责领域代码"), max_length=200, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, editable=False)

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list = []

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        MultiFieldPanel([
            FieldPanel("study_mode"),
            FieldRowPanel([FieldPanel("min_read_seconds"), FieldPanel("video_seconds"),
                           FieldPanel("study_cap_seconds")]),
        ], heading=_("学习时长")),
        FieldPanel("body"),
        citation_check_panel(),
    ]

    # Citations (CitedContent): teaching material speaks for today, so the summary and
    # the Markdown blocks of the body are judged as current material.
    current_fields = ("summary",)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("tier"),
        index.FilterField("duty_area_codes"),
        index.FilterField("year"),
    ]

    class Meta:
        verbose_name = _("课时")
        verbose_name_plural = _("课时")

    def get_course(self):
        return CoursePage.objects.filter(path=self.path[: -self.steplen]).first() if self.path else None

    def study_context(self, lesson_progress):
        """What the completion box and lesson.js need: the settings, the time still required."""
        study = self.study
        wait = progress.seconds_until_completable(lesson_progress, self)
        return {
            "study": study, "wait_seconds": wait, "wait_text": studytime.duration_text(wait),
            "required_text": studytime.duration_text(study.required_seconds),
            "active_text": studytime.duration_text(lesson_progress.active_seconds if lesson_progress else 0),
            "heartbeat_seconds": studytime.HEARTBEAT_SECONDS, "idle_seconds": studytime.IDLE_SECONDS,
            "seek_slack_seconds": studytime.SEEK_SLACK_SECONDS,
        }

    def markdown_texts(self):
        return [child.value for child in self.body if child.block_type == "markdown"]

    def study_text_length(self):
        """Characters of text to read (summary and Markdown, whitespace not counted)."""
        return sum(len("".join(text.split())) for text in [self.summary or "", *self.markdown_texts()])

    @property
    def study(self):
        """The lesson's study-time settings with their defaults (courses.studytime.LessonStudy)."""
        return studytime.study_settings(self)

    def citation_field_texts(self):
        return [("summary", self.summary or "", None)] + [("body", text, None) for text in self.markdown_texts()]

    def citation_sections(self):
        return [(text, as_of) for _field, text, as_of in self.citation_field_texts()]

    def clean(self):
        super().clean()
        problems = studytime.settings_problems(self.min_read_seconds, self.study_cap_seconds)
        if problems:
            raise ValidationError({field: ValidationError(message, code=code)
                                   for field, (message, code) in problems.items()})
        if getattr(self, "skip_citation_check", False):
            return
        problems = {}
        for field, text, as_of in self.citation_field_texts():
            problems.setdefault(field, []).extend(citations.blocking_problems(text, as_of))
        errors = {
            field: ValidationError(
                _("正文中的法条引用有误：%(problems)s") if field == "body" else _("法条引用有误：%(problems)s"),
                code="citation_problem",
                params={"problems": "；".join(f"{p.citation.text}：{p.message}" for p in found)})
            for field, found in problems.items() if found
        }
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.path and (not self.tier or kwargs.get("update_fields") is None):
            course = self.get_course()
            if course is not None:
                self.tier, self.duty_area_codes, self.year = course.tier, course.duty_area_codes, course.year
        super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        """A published lesson. Opening it starts the completion timer (the only write,
        never made by a preview); a locked course shows why instead."""
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        course = self.get_course()
        if course is None or not course.live:
            raise Http404
        officer = own_profile(request.user)
        item = course.progress_for(officer, with_due_date=False)
        if officer is not None and item.missing_prerequisites:
            return TemplateResponse(request, "courses/locked.html", {
                "page": self, "course": course, "item": item}, status=403)
        lesson_progress = progress.open_lesson(officer, self, course) if officer is not None else None
        return super().serve(request, *args, course=course, item=item, officer=officer,
                             lesson_progress=lesson_progress, **kwargs)

    def get_context(self, request, *args, course=None, item=None, officer=None, lesson_progress=None, **kwargs):
        """The lesson with the officer's place in the course. ``serve`` passes what it has
        already looked up (and written); a preview reads them without writing anything."""
        context = super().get_context(request, *args, **kwargs)
        if course is None:  # a preview
            course = self.get_course() or self.get_parent().specific
            officer = own_profile(request.user)
            item = course.progress_for(officer, with_due_date=False)
            if officer is not None and self.pk:
                lesson_progress = LessonProgress.objects.filter(officer=officer, lesson=self).first()
        if lesson_progress is not None:
            item.opened_ids.add(self.pk)
        lessons = item.lessons
        index = next((i for i, x in enumerate(lessons) if x.pk == self.pk), None)
        context.update({
            "course": course, "item": item, "officer": officer, "progress": lesson_progress,
            **self.study_context(lesson_progress),
            "done": bool(lesson_progress and lesson_progress.completed_at),
            "prev_lesson": lessons[index - 1] if index else None,
            "next_lesson": lessons[index + 1] if index is not None and index + 1 < len(lessons) else None,
            "position": (index + 1) if index is not None else None,
        })
        return context
