"""Units, officer profiles, the training-hour ledger and the audit log."""
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeQuerySet

from portal.labels import seeded_name

# --- Units ---------------------------------------------------------------------


class UnitLevel(models.TextChoices):
    CITY = "city", _("市局")
    DISTRICT = "district", _("区局/大队")
    SQUAD = "squad", _("中队")


#: The stored codes as plain strings, and the choices, for the modules that import them.
LEVEL_CITY = UnitLevel.CITY.value
LEVEL_DISTRICT = UnitLevel.DISTRICT.value
LEVEL_SQUAD = UnitLevel.SQUAD.value
UNIT_LEVEL_CHOICES = UnitLevel.choices


class Unit(MP_Node):
    """A unit in the bureau's tree: city bureau → district bureau → squad."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    level = models.CharField(_("层级"), max_length=16, choices=UnitLevel.choices)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def subtree(self):
        """This unit and every unit below it."""
        return Unit.objects.filter(path__startswith=self.path)

    def ancestor_paths(self, include_self=True):
        """Tree paths of the units above this one, from the top (and this unit's own)."""
        end = len(self.path) + (1 if include_self else 0)
        return [self.path[:i] for i in range(self.steplen, end, self.steplen)]

    def members_q(self, include_subunits=True, prefix=""):
        """Q over officers of this unit, or of it and every unit below (prefix for related lookups)."""
        if include_subunits:
            return models.Q(**{f"{prefix}unit__path__startswith": self.path})
        return models.Q(**{f"{prefix}unit_id": self.pk})

    def reached_by_q(self):
        """Q over rows set for a unit (``unit``, ``include_subunits``: course assignments,
        类案检索报告 tasks) that reach this unit: set for it, or for a unit above with sub-units."""
        return models.Q(unit_id=self.pk) | models.Q(include_subunits=True, unit__path__in=self.ancestor_paths())

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(UNIT_NAMES_CACHE_KEY)

    def delete(self, *args, **kwargs):
        cache.delete(UNIT_NAMES_CACHE_KEY)
        return super().delete(*args, **kwargs)

    def move(self, *args, **kwargs):
        # Moving rewrites descendants' paths in bulk, without save().
        super().move(*args, **kwargs)
        cache.delete(UNIT_NAMES_CACHE_KEY)

    @property
    def full_name(self):
        """Name with ancestors, e.g. 江北区城市管理执法局 / 第一中队.

        Built from a cached map of every unit's path to its name, so a list or a
        unit drop-down costs no query per unit."""
        names = unit_names()
        if names.get(self.path) != self.name:  # stale map (a unit added or renamed elsewhere)
            names = unit_names(refresh=True)
        chain = [names.get(self.path[:end], "") for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return " / ".join(chain[1:] if len(chain) > 2 else chain)


UNIT_NAMES_CACHE_KEY = "officers:unit-names"


def unit_names(refresh=False):
    """{tree path: unit name} of every unit (a bureau has hundreds at most), cached."""
    names = None if refresh else cache.get(UNIT_NAMES_CACHE_KEY)
    if names is None:
        names = dict(Unit.objects.values_list("path", "name"))
        cache.set(UNIT_NAMES_CACHE_KEY, names, 3600)
    return names


# --- Officers ------------------------------------------------------------------


class Position(models.TextChoices):
    OFFICER = "officer", _("执法队员")
    SQUAD_LEADER = "squad_leader", _("中队长")
    DEPUTY_SQUAD_LEADER = "deputy_squad_leader", _("副中队长")
    BRIGADE_LEADER = "brigade_leader", _("大队长")
    LEGAL_OFFICER = "legal_officer", _("法制员")
    TRAINER = "trainer", _("教官")
    HR_CLERK = "hr_clerk", _("人事专员")
    CLERK = "clerk", _("内勤")


POSITION_CHOICES = Position.choices


class PersonnelCategory(models.TextChoices):
    """执法人员 hold an enforcement certificate; 辅助执法人员 (协管员) hold a 辅助执法证 and
    may only publicise, patrol and dissuade, never impose a penalty."""

    OFFICER = "officer", _("执法人员")
    AUXILIARY = "auxiliary", _("辅助执法人员")


PERSONNEL_OFFICER = PersonnelCategory.OFFICER.value
PERSONNEL_AUXILIARY = PersonnelCategory.AUXILIARY.value
PERSONNEL_CATEGORY_CHOICES = PersonnelCategory.choices


class Tier(models.TextChoices):
    """Training tiers (分层分类、分阶段), lowest first: an officer's current stage, a
    course's level and an exam's audience use the same codes. This is their one home;
    other apps use the names below (courses.models re-exports them)."""

    ENTRY = "entry", _("初任培训")
    INSERVICE = "inservice", _("岗位培训")
    SPECIAL = "special", _("专项培训")
    ADVANCED = "advanced", _("骨干·师资")


#: The stored codes as plain strings, and the choices / labels, for the modules that import them.
TIER_ENTRY = Tier.ENTRY.value
TIER_INSERVICE = Tier.INSERVICE.value
TIER_SPECIAL = Tier.SPECIAL.value
TIER_ADVANCED = Tier.ADVANCED.value
TIER_CHOICES = Tier.choices
TIER_LABELS = dict(TIER_CHOICES)


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
    position = models.CharField(_("岗位"), max_length=32, choices=Position.choices,
                                default=Position.OFFICER.value)
    hire_date = models.DateField(_("入职日期"), null=True, blank=True)
    certificate_number = models.CharField(_("执法证号"), max_length=32, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    #: Set by HR; exams limited to tiers and tier-only course assignments use it. Blank = not recorded
    #: (such an officer is outside every tier-limited exam or assignment).
    training_tier = models.CharField(_("培训层级"), max_length=16, choices=Tier.choices, blank=True,
                                     help_text=_("决定可参加哪些限定层级的考试、收到哪些按层级指派的课程"))
    personnel_category = models.CharField(
        _("人员类别"), max_length=16, choices=PersonnelCategory.choices, default=PERSONNEL_OFFICER,
        db_index=True, help_text=_("辅助执法人员（协管员）持辅助执法证，只能宣传、巡查、劝阻，不得实施行政处罚"))

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


class HoursSource(models.TextChoices):
    COURSE = "course", _("课程学习")
    ONSITE = "onsite", _("现场教学")
    EXAM = "exam", _("考试")
    MANUAL = "manual", _("人工录入")
    REVERSAL = "reversal", _("冲销")


SOURCE_COURSE = HoursSource.COURSE.value
SOURCE_ONSITE = HoursSource.ONSITE.value
SOURCE_EXAM = HoursSource.EXAM.value
SOURCE_MANUAL = HoursSource.MANUAL.value
SOURCE_REVERSAL = HoursSource.REVERSAL.value
HOURS_SOURCE_CHOICES = HoursSource.choices


class HoursMode(models.TextChoices):
    """How the hours were studied: in a classroom or session run by the bureau, or alone."""

    CENTRAL = "central", _("集中培训")
    SELF_STUDY = "self", _("自学")


MODE_CENTRAL = HoursMode.CENTRAL.value
MODE_SELF_STUDY = HoursMode.SELF_STUDY.value
HOURS_MODE_CHOICES = HoursMode.choices


class HoursCategory(models.Model):
    """A category of training hours (公共法律知识, 业务知识, 执法技能 …); yearly minimums
    per category are set per qualification type (HoursRequirement)."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("学时分类")
        verbose_name_plural = _("学时分类")
        ordering = ["sort_order", "code"]

    #: The categories the first migration seeds (国办发〔2023〕27号's wording), by code.
    SEEDED = {"public_law": _("公共法律知识"), "business": _("业务知识"), "skills": _("执法技能")}

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The seeded name in the reader's language while it is unchanged; an edited name as entered."""
        return seeded_name(self.name, self.SEEDED.get(self.code))


class HoursEntry(models.Model):
    """One line of an officer's training-hour ledger. Lines are never edited or
    deleted; a mistake is corrected by a reversal line."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="hours", verbose_name=_("人员"))
    date = models.DateField(_("日期"), default=timezone.localdate)
    year = models.PositiveSmallIntegerField(_("年度"), editable=False, db_index=True)
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    source = models.CharField(_("来源"), max_length=16, choices=HoursSource.choices)
    #: Blank for hours of no category (they count for the yearly total only).
    category = models.ForeignKey(HoursCategory, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="entries", verbose_name=_("学时分类"))
    mode = models.CharField(_("培训方式"), max_length=8, choices=HoursMode.choices, default=MODE_SELF_STUDY)
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


#: Descriptions of the audit event codes the project records (audit.record(...)); the
#: change logs show these, and the code itself for an event not listed here.
AUDIT_ACTION_LABELS = {
    "login.success": _("登录成功"),
    "login.failure": _("登录失败"),
    "login.locked": _("登录锁定"),
    "logout": _("退出登录"),
    "officer.training_tier": _("变更培训层级"),
    "officer.personnel_category": _("变更人员类别"),
    "qualification.grant": _("授予资格"),
    "qualification.renew": _("续期换证"),
    "qualification.review": _("年审合格"),
    "qualification.expire": _("资格到期"),
    "qualification.suspend": _("暂扣资格"),
    "qualification.revoke": _("取消资格"),
    "qualification.reinstate": _("恢复资格"),
    "certificate.issue": _("颁发证书"),
    "certificate.status": _("证书状态变更"),
    "hours.credit": _("计入学时"),
    "hours.manual_add": _("人工录入学时"),
    "hours.reverse": _("冲销学时"),
    "course.lesson_completed": _("完成课时"),
    "course.completed": _("完成课程"),
    "course.assigned": _("指派课程"),
    "course.unassigned": _("取消指派课程"),
    "course.onsite_attended": _("参加线下培训"),
    "exam.extra_time": _("延长考试时间"),
}


def audit_action_label(code):
    """The description of an audit event code, or the code itself when unknown."""
    return AUDIT_ACTION_LABELS.get(code, code)


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

    @property
    def action_label(self):
        return audit_action_label(self.action)

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


def default_annual_hours():
    """The yearly minimum of a new qualification type: ``ACADEMY_DEFAULT_ANNUAL_HOURS`` (60)."""
    return Decimal(str(getattr(settings, "ACADEMY_DEFAULT_ANNUAL_HOURS", 60)))


def hours_total(officer, year):
    """Total training hours of an officer in a calendar year, summed in the database."""
    total = officer.hours.filter(year=year).aggregate(total=models.Sum("hours"))["total"]
    return total or Decimal("0")


# --- Qualifications and certificates (执法资格与证书) ----------------------------


class QualificationStatus(models.TextChoices):
    QUALIFIED = "qualified", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("取消")
    EXPIRED = "expired", _("已过期")
    NOT_QUALIFIED = "not_qualified", _("未取得")


Q_QUALIFIED = QualificationStatus.QUALIFIED.value
Q_SUSPENDED = QualificationStatus.SUSPENDED.value
Q_REVOKED = QualificationStatus.REVOKED.value
Q_EXPIRED = QualificationStatus.EXPIRED.value
Q_NOT_QUALIFIED = QualificationStatus.NOT_QUALIFIED.value
QUALIFICATION_STATUS_CHOICES = QualificationStatus.choices


class QualificationType(models.Model):
    """A kind of enforcement qualification and the rules to hold it.

    Initial grant: the prerequisite qualification held, the required courses
    completed and the qualification exam (each part of it) passed. 年审 every
    ``review_interval_months``: the minimum training hours of the calendar year
    and, at every ``review_exam_every``-th 年审, the annual exam passed that year.
    换证 (renewal) in the last ``renewal_window_months`` before expiry: the
    renewal exam passed in the window (or, without one, the 年审 requirements);
    it extends the validity by ``validity_months``.

    The lifecycle numbers differ by province, so each is a field whose default
    and source are in its help text (officers.lifecycle holds the decisions).
    """

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True,
                               help_text=_("英文界面显示；留空则显示中文名称。证书与公开查验页始终使用中文名称"))
    #: Blank for the base enforcement qualification; a duty area for 专项资格.
    duty_area = models.CharField(_("职责领域"), max_length=32, blank=True)
    #: Printed on the public verification page of the 执法证 (执法类别, 执法权来源); blank shows the
    #: type's name and the bureau's name (settings.ACADEMY_BUREAU_NAME).
    enforcement_category = models.CharField(_("执法类别"), max_length=100, blank=True,
                                            help_text=_("公开查验页显示，例如“城市管理综合行政执法”；留空显示资格名称"))
    authority_source = models.CharField(_("执法权来源"), max_length=200, blank=True,
                                        help_text=_("公开查验页显示，即授予执法权的机关或依据；留空显示本局名称"))
    description = models.TextField(_("说明"), blank=True)
    is_base = models.BooleanField(_("基础执法资格"), default=False,
                                  help_text=_("人事看板按此资格统计人员状态"))
    #: The personnel category the type is for (辅助执法证 for 辅助执法人员).
    personnel_category = models.CharField(
        _("适用人员类别"), max_length=16, choices=PersonnelCategory.choices, default=PERSONNEL_OFFICER,
        help_text=_("辅助执法证适用于辅助执法人员（协管员）"))
    prerequisite = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("前置资格"))
    validity_months = models.PositiveSmallIntegerField(
        _("有效期（月）"), default=60,
        help_text=_("默认 60 个月（5 年）：湖南等省现行执法证件管理规定；较早的地方规定为 2–3 年"))
    renewal_window_months = models.SmallIntegerField(
        _("换证期（月）"), default=6,
        help_text=_("有效期届满前多少个月进入换证期；默认 6 个月（湖南：届满前 6 个月须重新参加资格考试）"))
    renewal_exam_required = models.BooleanField(
        _("换证须通过换证考试"), default=True,
        help_text=_("换证期内须重新通过资格考试（指定了考试时，每一部分都须在换证期内通过）；"
                    "不勾选时，换证期内年审合格即续期"))
    review_interval_months = models.SmallIntegerField(
        _("年审周期（月）"), default=12,
        help_text=_("默认 12 个月（河北吴桥：每年验审一次；山东：每 2 年年检一次）"))
    review_exam_every = models.SmallIntegerField(
        _("每几次年审考试一次"), default=1,
        help_text=_("默认 1，即每次年审都须通过年度考试（山东：每 2 次年审即第 4 年须考试，填 2）"))
    review_grace_days = models.SmallIntegerField(
        _("年审宽限（天）"), default=30,
        help_text=_("年审到期后仍未完成超过此天数即自动暂扣；默认 30 天（未查到统一规定，由本局设定）"))
    renewal_failures_to_revoke = models.SmallIntegerField(
        _("换证考试未通过几次吊销"), default=2,
        help_text=_("换证期内换证考试未通过达此次数即吊销；默认 2 次（淄博）；0 表示不自动吊销"))
    reapply_bar_months = models.SmallIntegerField(
        _("吊销后限制申请（月）"), default=24,
        help_text=_("因换证考试未通过被吊销后，多少个月内不得重新申请；默认 24 个月（淄博）"))
    min_hours_per_year = models.DecimalField(_("每年最低学时"), max_digits=6, decimal_places=1,
                                             default=default_annual_hours,
                                             help_text=_("每年各类学时合计的最低要求；每类的最低学时在“资格要求的学时”中设置"))
    # Hours rules beyond the yearly total (officers.hours_rules).
    central_training_required = models.BooleanField(
        _("每年至少参加一次集中培训"), default=False)
    window_years = models.PositiveSmallIntegerField(
        _("轮训周期（年）"), default=0, help_text=_("例如 3 或 5：在最近这些年内（含本年）须修满下方学时；0 表示不要求"))
    window_min_hours = models.DecimalField(_("轮训周期内最低学时"), max_digits=6, decimal_places=1,
                                           default=Decimal("0"))
    window_central_only = models.BooleanField(_("轮训周期只计集中培训"), default=True)
    annual_exam_needs_hours = models.BooleanField(
        _("年度考试须先修满学时"), default=False,
        help_text=_("勾选后，本年学时（合计及各分类）未达标前不能参加年度考试"))
    annual_exam_needs_window = models.BooleanField(
        _("年度考试须先满足轮训周期学时"), default=False,
        help_text=_("勾选后，轮训周期内的学时未达标前也不能参加年度考试（须设置轮训周期）"))
    qualification_exam_required = models.BooleanField(
        _("须通过资格考试"), default=True,
        help_text=_("未指定考试时，任一“资格考试”类考试达到最低分即可"))
    exam_min_score = models.DecimalField(_("资格考试最低分"), max_digits=6, decimal_places=2, default=Decimal("60"))
    annual_exam_required = models.BooleanField(
        _("年审须通过年度考试"), default=True,
        help_text=_("未指定考试时，当年任一“年度考试”类考试达到最低分即可"))
    annual_exam_min_score = models.DecimalField(_("年度考试最低分"), max_digits=6, decimal_places=2,
                                                default=Decimal("60"))
    issues_certificate = models.BooleanField(_("授予时颁发证书"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("资格类型")
        verbose_name_plural = _("资格类型")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The name in the reader's language: the English name in English when one is set.
        Certificates and the public verification page print ``name``, the name in law."""
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def clean(self):
        """Refuse a rule configuration that contradicts itself, each with its reason."""
        super().clean()
        errors = {}

        def bad(name, message, code):
            errors.setdefault(name, []).append(ValidationError(message, code=code))

        validity = self.validity_months
        if validity is not None and validity <= 0:
            bad("validity_months", _("有效期必须大于 0 个月。"), "validity_not_positive")
        window = self.renewal_window_months
        if window is not None and window < 0:
            bad("renewal_window_months", _("换证期不能为负数。"), "renewal_window_negative")
        elif window is not None and validity and validity > 0 and window >= validity:
            bad("renewal_window_months", _("换证期（%(w)s 个月）必须短于有效期（%(v)s 个月）。") % {
                "w": window, "v": validity}, "renewal_window_too_long")
        if self.review_interval_months is not None and self.review_interval_months < 1:
            bad("review_interval_months", _("年审周期至少 1 个月。"), "review_interval_too_short")
        if self.review_exam_every is not None and self.review_exam_every < 1:
            bad("review_exam_every", _("年审考试间隔至少为 1（每次年审都考）。"), "review_exam_every_too_small")
        if self.review_grace_days is not None and self.review_grace_days < 0:
            bad("review_grace_days", _("年审宽限天数不能为负数。"), "review_grace_negative")
        if self.renewal_failures_to_revoke is not None and self.renewal_failures_to_revoke < 0:
            bad("renewal_failures_to_revoke", _("吊销前允许的未通过次数不能为负数。"), "failures_negative")
        if self.reapply_bar_months is not None and self.reapply_bar_months < 0:
            bad("reapply_bar_months", _("限制重新申请的月数不能为负数。"), "bar_negative")
        for name in ("exam_min_score", "annual_exam_min_score"):
            value = getattr(self, name)
            if value is not None and value < 0:
                bad(name, _("最低分不能为负数。"), "score_negative")
        try:
            self.clean_hours_rules()
        except ValidationError as exc:
            for name, field_errors in exc.error_dict.items():
                errors.setdefault(name, []).extend(field_errors)
        if errors:
            raise ValidationError(errors)

    def clean_hours_rules(self):
        """Hours figures cannot be negative, a window needs both its years and its hours, and the
        annual exam can wait for a window only when there is one."""
        errors = {}
        for name in ("min_hours_per_year", "window_min_hours"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = ValidationError(_("学时不能为负数。"), code="negative_hours")
        if self.window_years and not self.window_min_hours:
            errors.setdefault("window_min_hours", ValidationError(
                _("设置了轮训周期，请填写周期内最低学时。"), code="window_hours_missing"))
        if self.window_min_hours and not self.window_years:
            errors.setdefault("window_years", ValidationError(
                _("填写了周期内最低学时，请设置轮训周期（年）。"), code="window_years_missing"))
        if self.annual_exam_needs_window and not (self.window_years and self.window_min_hours):
            errors.setdefault("annual_exam_needs_window", ValidationError(
                _("年度考试要等轮训周期学时，请先设置轮训周期和周期内最低学时。"), code="window_gate_without_window"))
        if errors:
            raise ValidationError(errors)


#: Why a record is suspended: by HR, or automatically for an overdue 年审 (lifted
#: automatically once the 年审 is completed).
SUSPENDED_BY_HR = ""
SUSPENDED_REVIEW_OVERDUE = "review_overdue"


class HoursRequirement(models.Model):
    """The yearly minimum of one hours category for a qualification type."""

    qualification_type = models.ForeignKey(QualificationType, on_delete=models.CASCADE,
                                           related_name="hours_requirements", verbose_name=_("资格类型"))
    category = models.ForeignKey(HoursCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("学时分类"))
    min_hours = models.DecimalField(_("每年最低学时"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("资格要求的学时")
        verbose_name_plural = _("资格要求的学时")
        ordering = ["qualification_type", "category__sort_order"]
        constraints = [models.UniqueConstraint(fields=["qualification_type", "category"],
                                               name="hours_requirement_unique")]

    def __str__(self):
        return f"{self.qualification_type} ← {self.category} {self.min_hours}"

    def clean(self):
        super().clean()
        if self.min_hours is not None and self.min_hours < 0:
            raise ValidationError({"min_hours": ValidationError(_("学时不能为负数。"), code="negative_hours")})


class QualificationRecord(models.Model):
    """An officer's standing in one qualification type. Changed only through
    officers.qualifications (which writes the audit log)."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="qualifications",
                                verbose_name=_("人员"))
    qualification_type = models.ForeignKey(QualificationType, on_delete=models.PROTECT, related_name="records",
                                           verbose_name=_("资格类型"))
    status = models.CharField(_("状态"), max_length=16, choices=QualificationStatus.choices,
                              default=Q_NOT_QUALIFIED, db_index=True)
    granted_at = models.DateField(_("取得日期"), null=True, blank=True)
    expires_at = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    last_review = models.DateField(_("最近年审"), null=True, blank=True)
    #: The next 年审's due date (None: no 年审 before the renewal); set by the lifecycle.
    review_due = models.DateField(_("年审到期日"), null=True, blank=True, db_index=True)
    #: After a 吊销 for failed renewal exams: no new application before this date.
    reapply_after = models.DateField(_("可重新申请日期"), null=True, blank=True)
    #: SUSPENDED_BY_HR or SUSPENDED_REVIEW_OVERDUE.
    suspension_cause = models.CharField(max_length=16, blank=True, editable=False)
    #: Status before a suspension, restored on reinstatement.
    status_before_suspension = models.CharField(max_length=16, blank=True, editable=False)
    status_reason = models.TextField(_("状态原因"), blank=True)
    # Denormalised by the evaluation service (events and the daily job), so the
    # HR dashboard reads one row per officer.
    reasons = models.JSONField(_("欠缺事项"), default=list, blank=True)
    hours_year = models.PositiveSmallIntegerField(_("学时年度"), null=True, blank=True)
    year_hours = models.DecimalField(_("本年学时"), max_digits=7, decimal_places=1, default=Decimal("0"))
    hours_short = models.BooleanField(_("学时不足"), default=False, db_index=True)
    #: The hours rules unmet this year, space-separated and padded (" total cat:business "), so a
    #: list filters by one with a plain ``contains``; "" when every hours rule is met.
    hours_gaps = models.CharField(_("未达标学时要求"), max_length=255, blank=True, default="")
    evaluated_at = models.DateTimeField(_("评估时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("资格记录")
        verbose_name_plural = _("资格记录")
        ordering = ["officer_id", "qualification_type__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "qualification_type"], name="qualification_one_per_type"),
        ]
        indexes = [models.Index(fields=["qualification_type", "status", "expires_at"])]

    def __str__(self):
        return f"{self.officer.full_name} {self.qualification_type.name} {self.get_status_display()}"


class AchievementKind(models.TextChoices):
    EXAM = "exam", _("考试通过")
    COURSE = "course", _("课程结业")


ACH_EXAM = AchievementKind.EXAM.value
ACH_COURSE = AchievementKind.COURSE.value
ACHIEVEMENT_KIND_CHOICES = AchievementKind.choices


class Achievement(models.Model):
    """An exam passed or a course completed, as announced by officers.events.
    The qualification rules read these; one row per sitting or course."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="achievements",
                                verbose_name=_("人员"))
    kind = models.CharField(_("类型"), max_length=8, choices=AchievementKind.choices)
    #: Primary key of the exam or course page.
    ref_id = models.PositiveBigIntegerField(_("对象编号"))
    #: The exam's kind (资格考试/年度考试 …) or the course tier.
    ref_kind = models.CharField(_("对象类别"), max_length=32, blank=True)
    title = models.CharField(_("名称"), max_length=255)
    score = models.DecimalField(_("成绩"), max_digits=8, decimal_places=2, null=True, blank=True)
    achieved_at = models.DateTimeField(_("时间"), default=timezone.now)
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    source_key = models.CharField(_("来源标识"), max_length=100)

    class Meta:
        verbose_name = _("考核成果")
        verbose_name_plural = _("考核成果")
        ordering = ["-achieved_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "source_key"], name="achievement_unique_source"),
        ]
        indexes = [models.Index(fields=["officer", "kind", "ref_id"])]

    def __str__(self):
        return f"{self.officer.full_name} {self.title}"

    def save(self, *args, **kwargs):
        self.year = timezone.localtime(self.achieved_at).year if timezone.is_aware(self.achieved_at) \
            else self.achieved_at.year
        super().save(*args, **kwargs)


class CertificateKind(models.TextChoices):
    QUALIFICATION = "qualification", _("执法资格证书")
    EXAM = "exam", _("考试合格证书")
    COURSE = "course", _("结业证书")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已过期")
    REPLACED = "replaced", _("已换发")


CERT_QUALIFICATION = CertificateKind.QUALIFICATION.value
CERT_EXAM = CertificateKind.EXAM.value
CERT_COURSE = CertificateKind.COURSE.value
CERTIFICATE_KIND_CHOICES = CertificateKind.choices
C_VALID = CertificateStatus.VALID.value
C_SUSPENDED = CertificateStatus.SUSPENDED.value
C_REVOKED = CertificateStatus.REVOKED.value
C_EXPIRED = CertificateStatus.EXPIRED.value
C_REPLACED = CertificateStatus.REPLACED.value
CERTIFICATE_STATUS_CHOICES = CertificateStatus.choices


class Certificate(models.Model):
    """A certificate as issued: what it says is frozen at issue (name, unit,
    subject, dates); only its status changes. A correction is a reissue: a new
    certificate that ``replaces`` the old one, which stays for the record."""

    kind = models.CharField(_("类型"), max_length=16, choices=CertificateKind.choices)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="certificates",
                                verbose_name=_("持证人"))
    qualification = models.ForeignKey(QualificationRecord, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="certificates", verbose_name=_("资格记录"))
    holder_name = models.CharField(_("持证人姓名"), max_length=50)
    unit_name = models.CharField(_("单位"), max_length=200)
    subject = models.CharField(_("证书事项"), max_length=255)
    score = models.DecimalField(_("成绩"), max_digits=8, decimal_places=2, null=True, blank=True)
    issued_at = models.DateField(_("发证日期"), default=timezone.localdate)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    number = models.CharField(_("证书编号"), max_length=32, unique=True, null=True, blank=True)
    #: At least 128 random bits (secrets.token_urlsafe); never derived from data.
    code = models.CharField(_("查验码"), max_length=64, unique=True, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=CertificateStatus.choices, default=C_VALID,
                              db_index=True)
    status_reason = models.TextField(_("状态原因"), blank=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by", verbose_name=_("换发自"))
    reason = models.CharField(_("换发原因"), max_length=255, blank=True)
    #: What caused the issue (e.g. "sitting:12"); unique per officer, so the
    #: same event never issues twice.
    source_key = models.CharField(_("来源标识"), max_length=100)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "source_key"], name="certificate_unique_source"),
        ]
        indexes = [models.Index(fields=["officer", "status"])]

    def __str__(self):
        return f"{self.number or '—'} {self.holder_name} {self.subject}"


class RequiredExam(models.Model):
    """An exam a qualification type requires: once for the grant (one part of a
    two-part qualification exam, e.g. 通用法律知识 + 专门法律知识, each passed
    separately and valid for ``valid_months``), or for the annual review (年审)."""

    qualification_type = models.ForeignKey(QualificationType, on_delete=models.CASCADE,
                                           related_name="required_exams", verbose_name=_("资格类型"))
    exam = models.ForeignKey("exams.Exam", on_delete=models.PROTECT, related_name="+", verbose_name=_("考试"))
    min_score = models.DecimalField(_("最低分"), max_digits=6, decimal_places=2, default=Decimal("60"))
    annual = models.BooleanField(_("年审考试"), default=False, help_text=_("须在年审当年通过"))
    part_name = models.CharField(_("考试部分"), max_length=50, blank=True,
                                 help_text=_("如“通用法律知识”“专门法律知识”：各部分分别通过（安徽、广东等省规定）"))
    valid_months = models.PositiveSmallIntegerField(
        _("成绩有效期（月）"), null=True, blank=True,
        help_text=_("通过后多少个月内可用于取得资格；空白表示长期有效"))

    class Meta:
        verbose_name = _("资格要求的考试")
        verbose_name_plural = _("资格要求的考试")
        constraints = [models.UniqueConstraint(fields=["qualification_type", "exam"], name="required_exam_unique")]

    def __str__(self):
        return f"{self.qualification_type} ← {self.exam}"



class RequiredCourse(models.Model):
    """A course a qualification type requires to be completed before the grant."""

    qualification_type = models.ForeignKey(QualificationType, on_delete=models.CASCADE,
                                           related_name="required_courses", verbose_name=_("资格类型"))
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("课程"))

    class Meta:
        verbose_name = _("资格要求的课程")
        verbose_name_plural = _("资格要求的课程")
        constraints = [models.UniqueConstraint(fields=["qualification_type", "course"],
                                               name="required_course_unique")]

    def __str__(self):
        return f"{self.qualification_type} ← {self.course}"



# --- Notices to officers and public feedback on the 执法证 --------------------------
# (officers.notices sends notices; officers.feedback runs the public 执法证 page.)


class NoticeKind(models.TextChoices):
    RENEWAL_WINDOW = "renewal_window", _("换证期开始")
    EXPIRING = "expiring", _("资格即将到期")
    REVIEW_DUE = "review_due", _("年审将至")
    COURSE_DUE = "course_due", _("指派课程即将到期")
    REPORT_DUE = "report_due", _("类案检索报告即将到期")
    EXAM_RESULT = "exam_result", _("考试成绩发布")
    HOURS_SHORT = "hours_short", _("学时不足")
    FEEDBACK = "feedback", _("群众评价")
    REPLY = "reply", _("反馈回复")


#: What each kind of notice says, in the reader's language: (title, body), formatted with the
#: notice's ``params``. A kind not listed shows the text stored when it was sent.
NOTICE_TEXTS = {
    NoticeKind.RENEWAL_WINDOW: (_("%(type)s进入换证期"),
                                _("您的%(type)s将于 %(expires)s 到期，现已进入换证期，请在到期前完成换证考核。")),
    NoticeKind.EXPIRING: (_("%(type)s还有 %(days)s 天到期"),
                          _("您的%(type)s将于 %(expires)s 到期，请及时完成年审所需的学时和考试。")),
    NoticeKind.REVIEW_DUE: (_("%(type)s年审将至"),
                            _("您的%(type)s须于 %(due)s 前完成年审，请按“我的资格”列出的事项准备。")),
    NoticeKind.COURSE_DUE: (_("指派课程“%(course)s”即将到期"),
                            _("课程“%(course)s”须于 %(due)s 前完成，请尽快学习。")),
    NoticeKind.REPORT_DUE: (_("类案检索报告“%(case)s”将于 %(due)s 到期"),
                            _("类案检索报告“%(case)s”须于 %(due)s 前提交，请尽快完成类案比对。")),
    NoticeKind.EXAM_RESULT: (_("“%(exam)s”成绩已发布"), _("“%(exam)s”的成绩已发布：%(outcome)s。")),
    NoticeKind.FEEDBACK: (_("收到一条群众表扬"), _("有群众通过执法证查验页表扬了您：%(text)s")),
    NoticeKind.REPLY: (_("您对“%(subject)s”的反馈已处理"), _("处理结果：%(outcome)s。回复：%(reply)s")),
    NoticeKind.HOURS_SHORT: (_("%(year)s 年学时不足"),
                             _("截至 %(today)s，您 %(year)s 年的学时为 %(have)s，要求 %(need)s，请在年底前补足。")),
}


class Notice(models.Model):
    """A message to an officer (消息). Sent once per ``key``: sending the same
    key again does nothing (officers.notices.notify)."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="notices", verbose_name=_("人员"))
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    #: What the notice is about, e.g. "expiring:12:2027-03-01:30"; unique per officer.
    key = models.CharField(_("标识"), max_length=120)
    #: The text as sent (the e-mail's; shown when the kind has no text in NOTICE_TEXTS).
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    email_error = models.CharField(_("邮件发送错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["officer", "key"], name="notice_unique_key_per_officer")]
        indexes = [models.Index(fields=["officer", "read_at"])]

    def __str__(self):
        return f"{self.officer_id} {self.key}"

    def _text(self, index, stored):
        texts = NOTICE_TEXTS.get(self.kind)
        if texts is None or not self.params:
            return stored
        try:
            return str(texts[index]) % self.params
        except (KeyError, TypeError, ValueError):
            return stored

    @property
    def display_title(self):
        return self._text(0, self.title)

    @property
    def display_body(self):
        return self._text(1, self.body)

    @property
    def is_read(self):
        return self.read_at is not None

    def get_absolute_url(self):
        return reverse("officers:notice_detail", args=[self.pk])


class EnforcementCard(models.Model):
    """The public verification handle of an officer's 执法证: the random code in the
    QR code that leads to the public page (officers.feedback). One per officer."""

    officer = models.OneToOneField(Officer, on_delete=models.CASCADE, related_name="enforcement_card",
                                   verbose_name=_("人员"))
    #: At least 128 random bits (secrets.token_urlsafe); never derived from data.
    code = models.CharField(_("查验码"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("执法证查验码")
        verbose_name_plural = _("执法证查验码")

    def __str__(self):
        return f"{self.officer_id} {self.code[:6]}…"


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    PRAISE = "praise", _("表扬")


#: The longest text a citizen may leave.
FEEDBACK_MAX_LENGTH = 500


class CardFeedback(models.Model):
    """A citizen's 投诉 or 表扬 about an officer, left on the 执法证's public page.
    HR sees it within their scope and marks it handled."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="card_feedback",
                                verbose_name=_("人员"))
    kind = models.CharField(_("类型"), max_length=16, choices=FeedbackKind.choices)
    text = models.TextField(_("内容"), max_length=FEEDBACK_MAX_LENGTH)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("处理人"))

    class Meta:
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["officer", "created_at"])]

    def __str__(self):
        return f"{self.officer_id} {self.get_kind_display()} {self.created_at:%Y-%m-%d}"
