"""Domain vocabulary shared by every app (DOMAIN.md): duty areas and
cross-cutting subjects. Codes are stable identifiers; labels are translatable."""
from django.utils.translation import gettext_lazy as _

#: The five duty areas (五大职责).
MUNICIPAL = "municipal"
ENVIRONMENT = "environment"
TRAFFIC = "traffic"
EMERGENCY = "emergency"
PLANNING = "planning"
DUTY_AREA_CHOICES = [
    (MUNICIPAL, _("市政管理")),
    (ENVIRONMENT, _("环境管理")),
    (TRAFFIC, _("交通管理")),
    (EMERGENCY, _("应急管理")),
    (PLANNING, _("城市规划实施管理")),
]

#: Cross-cutting subjects.
LAW_BASICS = "law_basics"
PROCEDURE = "procedure"
DOCUMENTS = "documents"
CIVILITY = "civility"
SUBJECT_CHOICES = [
    (LAW_BASICS, _("法律基础")),
    (PROCEDURE, _("执法程序")),
    (DOCUMENTS, _("执法文书")),
    (CIVILITY, _("文明执法与沟通")),
]

#: Categories of questions and course subjects: duty areas and subjects together.
CATEGORY_CHOICES = DUTY_AREA_CHOICES + SUBJECT_CHOICES
CATEGORY_LABELS = dict(CATEGORY_CHOICES)

#: Enforcement measures (执法措施) a case may record.
MEASURE_CHOICES = [
    ("order_correct", _("责令改正")),
    ("warning", _("警告")),
    ("fine", _("罚款")),
    ("confiscate_gains", _("没收违法所得")),
    ("confiscate_property", _("没收非法财物")),
    ("seal_seize", _("查封/扣押")),
    ("demolish_deadline", _("限期拆除")),
    ("forced_demolition", _("强制拆除")),
    ("substitute_performance", _("代履行")),
    ("suspend_business", _("责令停产停业")),
    ("revoke_licence", _("吊销许可证件")),
    ("no_penalty", _("不予处罚")),
    ("education", _("批评教育")),
    ("other", _("其他")),
]

#: Stages of an enforcement procedure (行政处罚法), in their usual order.
PROCEDURE_STAGE_CHOICES = [
    ("filing", _("立案")),
    ("investigation", _("调查取证")),
    ("notice", _("告知")),
    ("statement", _("陈述申辩")),
    ("hearing", _("听证")),
    ("legal_review", _("法制审核")),
    ("decision", _("决定")),
    ("service", _("送达")),
    ("execution", _("执行")),
    ("other", _("其他")),
]

#: Types of power-list items (权力清单).
POWER_TYPE_CHOICES = [
    ("penalty", _("行政处罚")),
    ("coercion", _("行政强制")),
    ("inspection", _("行政检查")),
    ("licence", _("行政许可")),
    ("other", _("其他")),
]
