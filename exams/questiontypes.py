"""Question types of the bank (单选 / 多选 / 判断 / 案例分析 / 裁量): plain constants that the models and the
validation rules both use."""
from django.utils.translation import gettext_lazy as _

SINGLE = "single"
MULTI = "multi"
TRUEFALSE = "truefalse"
CASE = "case"
DISCRETION = "discretion"
QTYPE_CHOICES = [
    (SINGLE, _("单选题")),
    (MULTI, _("多选题")),
    (TRUEFALSE, _("判断题")),
    (CASE, _("案例分析题")),
    (DISCRETION, _("裁量题")),
]
QTYPE_LABELS = dict(QTYPE_CHOICES)
#: Types graded by the computer at once; the others go to the marking queue.
OBJECTIVE_TYPES = (SINGLE, MULTI, TRUEFALSE, DISCRETION)
CHOICE_TYPES = (SINGLE, MULTI)
