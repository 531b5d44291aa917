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
