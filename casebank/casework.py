"""Officers' work on cases, as plain models: 类案检索报告 assignments, the officers' reports and
their comparisons (类案比对), and squads' recommendations of local cases (案例推荐).

Data layer: the page models are named by label ("casebank.CasePage"); the rules live in
casebank.similar_reports and casebank.recommend."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from officers.models import Position

#: Comparisons one report may hold.
MAX_COMPARISONS = 10


class SimilarCaseAssignment(models.Model):
    """A 类案检索报告 set on a case for the officers of a unit (optionally with its sub-units,
    optionally one position in it), with a due date; the same targeting as a course assignment."""

    case = models.ForeignKey("casebank.CasePage", on_delete=models.CASCADE, related_name="report_assignments",
                             verbose_name=_("案例"))
    unit = models.ForeignKey("officers.Unit", on_delete=models.CASCADE, related_name="case_report_assignments",
                             verbose_name=_("单位"))
    include_subunits = models.BooleanField(_("含下级单位"), default=True)
    position = models.CharField(_("岗位"), max_length=32, choices=Position.choices, blank=True,
                                help_text=_("留空表示该单位的全部人员。"))
    due_date = models.DateField(_("完成期限"))
    min_cases = models.PositiveSmallIntegerField(
        _("至少比对类案数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(MAX_COMPARISONS)])
    instructions = models.TextField(_("要求"), blank=True, max_length=2000)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("布置人"))
    created_at = models.DateTimeField(_("布置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("类案检索报告任务")
        verbose_name_plural = _("类案检索报告任务")
        ordering = ["-due_date", "-id"]

    def __str__(self):
        return f"{self.case_id} → {self.unit}"

    def target_q(self, prefix=""):
        """Q over the officers this assignment targets (prefix for related lookups)."""
        q = self.unit.members_q(self.include_subunits, prefix)
        if self.position:
            q &= models.Q(**{f"{prefix}position": self.position})
        return q


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    MARKED = "marked", _("已批阅")


class SimilarCaseReport(models.Model):
    """One officer's 类案检索报告 for an assignment."""

    assignment = models.ForeignKey(SimilarCaseAssignment, on_delete=models.CASCADE, related_name="reports",
                                   verbose_name=_("任务"))
    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="case_reports",
                                verbose_name=_("执法人员"))
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT,
                              db_index=True)
    summary = models.TextField(_("总体结论"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True,
                                             validators=[MinValueValidator(0), MaxValueValidator(100)])
    comment = models.TextField(_("批阅意见"), blank=True, max_length=2000)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("批阅人"))
    marked_at = models.DateTimeField(_("批阅时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("类案检索报告")
        verbose_name_plural = _("类案检索报告")
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "officer"], name="casebank_report_one_each")]

    def __str__(self):
        return f"{self.assignment_id} · {self.officer_id} · {self.status}"

    @property
    def late(self):
        return bool(self.submitted_at and self.submitted_at.date() > self.assignment.due_date)


class SimilarCaseComparison(models.Model):
    """One similar case in a report, compared with the assigned case."""

    report = models.ForeignKey(SimilarCaseReport, on_delete=models.CASCADE, related_name="comparisons",
                               verbose_name=_("报告"))
    case = models.ForeignKey("casebank.CasePage", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("类案"))
    facts = models.TextField(_("案情异同"), blank=True, max_length=2000)
    outcome = models.TextField(_("裁量结果异同"), blank=True, max_length=2000)
    conclusion = models.TextField(_("参考结论"), blank=True, max_length=2000)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("类案比对")
        verbose_name_plural = _("类案比对")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "case"], name="casebank_comparison_once")]

    def __str__(self):
        return f"{self.report_id} · {self.case_id}"


class CaseRecommendation(models.Model):
    """A local case a squad recommended to the case bank: the draft case page it created (sent to
    法制审核), who recommended it, for which unit, and why."""

    page = models.OneToOneField("casebank.CasePage", on_delete=models.CASCADE, related_name="recommendation",
                                verbose_name=_("案例"))
    unit = models.ForeignKey("officers.Unit", on_delete=models.PROTECT, related_name="case_recommendations",
                             verbose_name=_("推荐单位"))
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("推荐人"))
    reason = models.TextField(_("推荐理由"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("推荐时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("案例推荐")
        verbose_name_plural = _("案例推荐")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.unit} · {self.page_id}"
