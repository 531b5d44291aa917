"""Domain vocabulary shared by every app (DOMAIN.md): duty areas and
cross-cutting subjects. Codes are stable identifiers; labels are translatable."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """The five duty areas (五大职责)."""

    MUNICIPAL = "municipal", _("市政管理")
    ENVIRONMENT = "environment", _("环境管理")
    TRAFFIC = "traffic", _("交通管理")
    EMERGENCY = "emergency", _("应急管理")
    PLANNING = "planning", _("城市规划实施管理")


class Subject(models.TextChoices):
    """Cross-cutting subjects."""

    LAW_BASICS = "law_basics", _("法律基础")
    PROCEDURE = "procedure", _("执法程序")
    DOCUMENTS = "documents", _("执法文书")
    CIVILITY = "civility", _("文明执法与沟通")


class Measure(models.TextChoices):
    """Enforcement measures (执法措施) a case may record."""

    ORDER_CORRECT = "order_correct", _("责令改正")
    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SEAL_SEIZE = "seal_seize", _("查封/扣押")
    DEMOLISH_DEADLINE = "demolish_deadline", _("限期拆除")
    FORCED_DEMOLITION = "forced_demolition", _("强制拆除")
    SUBSTITUTE_PERFORMANCE = "substitute_performance", _("代履行")
    SUSPEND_BUSINESS = "suspend_business", _("责令停产停业")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    NO_PENALTY = "no_penalty", _("不予处罚")
    EDUCATION = "education", _("批评教育")
    OTHER = "other", _("其他")


class ProcedureStage(models.TextChoices):
    """Stages of an enforcement procedure (行政处罚法), in their usual order."""

    FILING = "filing", _("立案")
    INVESTIGATION = "investigation", _("调查取证")
    NOTICE = "notice", _("告知")
    STATEMENT = "statement", _("陈述申辩")
    HEARING = "hearing", _("听证")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    DECISION = "decision", _("决定")
    SERVICE = "service", _("送达")
    EXECUTION = "execution", _("执行")
    OTHER = "other", _("其他")


class PowerType(models.TextChoices):
    """Types of power-list items (权力清单)."""

    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    LICENCE = "licence", _("行政许可")
    OTHER = "other", _("其他")


# The names other modules (and the seed migration) import; the codes stay plain strings.
MUNICIPAL = Area.MUNICIPAL.value
ENVIRONMENT = Area.ENVIRONMENT.value
TRAFFIC = Area.TRAFFIC.value
EMERGENCY = Area.EMERGENCY.value
PLANNING = Area.PLANNING.value
DUTY_AREA_CHOICES = Area.choices

LAW_BASICS = Subject.LAW_BASICS.value
PROCEDURE = Subject.PROCEDURE.value
DOCUMENTS = Subject.DOCUMENTS.value
CIVILITY = Subject.CIVILITY.value
SUBJECT_CHOICES = Subject.choices

#: Categories of questions and course subjects: duty areas and subjects together.
CATEGORY_CHOICES = DUTY_AREA_CHOICES + SUBJECT_CHOICES
CATEGORY_LABELS = dict(CATEGORY_CHOICES)

MEASURE_CHOICES = Measure.choices
PROCEDURE_STAGE_CHOICES = ProcedureStage.choices
POWER_TYPE_CHOICES = PowerType.choices
