"""Question types of the bank (单选 / 多选 / 判断 / 案例分析 / 裁量): the models and the
validation rules both use them."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTI = "multi", _("多选题")
    TRUEFALSE = "truefalse", _("判断题")
    CASE = "case", _("案例分析题")
    DISCRETION = "discretion", _("裁量题")


#: Label of a stored type code (codes of unknown types are shown as they are).
QTYPE_LABELS = dict(QuestionType.choices)
CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTI)
