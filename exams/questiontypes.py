"""Question types of the bank (单选 / 多选 / 判断 / 案例分析 / 裁量 / 案卷评查): the models and the
validation rules both use them."""
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTI = "multi", _("多选题")
    TRUEFALSE = "truefalse", _("判断题")
    CASE = "case", _("案例分析题")
    DISCRETION = "discretion", _("裁量题")
    CASEFILE = "casefile", _("案卷评查题")


#: Label of a stored type code (codes of unknown types are shown as they are).
QTYPE_LABELS = dict(QuestionType.choices)
CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTI)


# --- 案卷评查: the items of a 评查标准 and the file's conclusion ---------------------------------


class ReviewItemKind(models.TextChoices):
    """An item of the 评查标准: a one-veto basic item (found → the file fails), or a
    deduction item of the 卷面 (20 points) or 内容 (80 points) table."""
    VETO = "veto", _("一票否决")
    FORM = "form", _("卷面")
    CONTENT = "content", _("内容")


class CaseFileConclusion(models.TextChoices):
    PASS = "pass", _("合格卷")
    FAIL = "fail", _("不合格卷")


#: The points of each deduction table: deductions in one table never take more than this.
SECTION_POINTS = {ReviewItemKind.FORM: Decimal("20"), ReviewItemKind.CONTENT: Decimal("80")}
DEDUCTION_KINDS = tuple(SECTION_POINTS)
