"""Units, officer profiles, the training-hour ledger and the audit log."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeQuerySet

# --- Units ---------------------------------------------------------------------

LEVEL_CITY = "city"
LEVEL_DISTRICT = "district"
LEVEL_SQUAD = "squad"
UNIT_LEVEL_CHOICES = [
    (LEVEL_CITY, _("市局")),
    (LEVEL_DISTRICT, _("区局/大队")),
    (LEVEL_SQUAD, _("中队")),
]


class Unit(MP_Node):
    """A unit in the bureau's tree: city bureau → district bureau → squad."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    level = models.CharField(_("层级"), max_length=16, choices=UNIT_LEVEL_CHOICES)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def subtree(self):
        """This unit and every unit below it."""
        return Unit.objects.filter(path__startswith=self.path)

    @property
    def full_name(self):
        """Name with ancestors, e.g. 江北区城市管理执法局 / 第一中队."""
        names = [u.name for u in self.get_ancestors()] + [self.name]
        return " / ".join(names[1:] if len(names) > 2 else names)


# --- Officers ------------------------------------------------------------------

POSITION_CHOICES = [
    ("officer", _("执法队员")),
    ("squad_leader", _("中队长")),
    ("deputy_squad_leader", _("副中队长")),
    ("brigade_leader", _("大队长")),
    ("legal_officer", _("法制员")),
    ("trainer", _("教官")),
    ("hr_clerk", _("人事专员")),
    ("clerk", _("内勤")),
]


class OfficerQuerySet(models.QuerySet):
    def in_units(self, units):
        """Officers whose unit lies in any of the given units' subtrees."""
        q = models.Q(pk__in=[])
        for unit in units:
            q |= models.Q(unit__path__startswith=unit.path)
        return self.filter(q)

    def active(self):
        return self.filter(is_active=True)


class Officer(models.Model):
    """The personnel record of a bureau member (one per user account).

    National ID numbers are deliberately not stored.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer", verbose_name=_("账号")
    )
    employee_number = models.CharField(_("工号"), max_length=32, unique=True)
    full_name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officers", verbose_name=_("所属单位"))
    position = models.CharField(_("岗位"), max_length=32, choices=POSITION_CHOICES, default="officer")
    hire_date = models.DateField(_("入职日期"), null=True, blank=True)
    certificate_number = models.CharField(_("执法证号"), max_length=32, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["unit__path", "employee_number"]
        indexes = [models.Index(fields=["unit", "is_active"])]

    def __str__(self):
        return f"{self.full_name}（{self.employee_number}）"

    def get_absolute_url(self):
        return reverse("officers:officer_detail", args=[self.pk])


# --- Training hours ledger (学时) -------------------------------------------------

SOURCE_COURSE = "course"
SOURCE_ONSITE = "onsite"
SOURCE_EXAM = "exam"
SOURCE_MANUAL = "manual"
SOURCE_REVERSAL = "reversal"
HOURS_SOURCE_CHOICES = [
    (SOURCE_COURSE, _("课程学习")),
    (SOURCE_ONSITE, _("现场教学")),
    (SOURCE_EXAM, _("考试")),
    (SOURCE_MANUAL, _("人工录入")),
    (SOURCE_REVERSAL, _("冲销")),
]


class HoursEntry(models.Model):
    """One line of an officer's training-hour ledger. Lines are never edited or
    deleted; a mistake is corrected by a reversal line."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="hours", verbose_name=_("人员"))
    date = models.DateField(_("日期"), default=timezone.localdate)
    year = models.PositiveSmallIntegerField(_("年度"), editable=False, db_index=True)
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    source = models.CharField(_("来源"), max_length=16, choices=HOURS_SOURCE_CHOICES)
    #: Identifies what credited the hours (e.g. "course:12"); unique per officer,
    #: so crediting the same thing twice is impossible even under concurrency.
    source_key = models.CharField(_("来源标识"), max_length=100, blank=True)
    description = models.CharField(_("说明"), max_length=255)
    reason = models.TextField(_("原因"), blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by", verbose_name=_("冲销对象")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("学时记录")
        verbose_name_plural = _("学时记录")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "source_key"],
                condition=~models.Q(source_key=""),
                name="hours_unique_source_per_officer",
            )
        ]
        indexes = [models.Index(fields=["officer", "year"])]

    def __str__(self):
        return f"{self.officer.full_name} {self.date} {self.hours}"

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("_allow_update", False):
            raise ValidationError(_("学时记录不可修改，请使用冲销。"), code="immutable")
        self.year = self.date.year
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("学时记录不可删除，请使用冲销。"), code="immutable")


# --- Audit log -------------------------------------------------------------------


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("审计日志只能追加。"), code="append_only")

    def delete(self):
        raise ValidationError(_("审计日志只能追加。"), code="append_only")


class AuditLog(models.Model):
    """Append-only record of security-relevant and status-changing events:
    who, when, what, from where, the outcome, before/after and why."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    #: For login events: the user name typed, whether or not the account exists.
    username = models.CharField(_("登录名"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("事件"), max_length=64, db_index=True)
    outcome = models.CharField(_("结果"), max_length=32, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries",
        verbose_name=_("相关人员"),
    )
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["username", "action", "at"])]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_name or self.username}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("审计日志只能追加。"), code="append_only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("审计日志只能追加。"), code="append_only")


def hours_total(officer, year):
    """Total training hours of an officer in a calendar year, summed in the database."""
    total = officer.hours.filter(year=year).aggregate(total=models.Sum("hours"))["total"]
    return total or Decimal("0")
