"""Vocabulary of the courses app: training tiers and positions (their single home is
officers.models: ``Tier``, ``Position``), duty areas and subjects (casebank.domain: ``Area``,
``Subject``), and the defaults of the course models. The ``*_CHOICES`` and ``TIER_*`` names
are kept for the modules that import them.

The lowest module of the app: it imports no other courses module."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebank.domain import DUTY_AREA_CHOICES, SUBJECT_CHOICES, Area, Subject
from officers.models import (
    HOURS_MODE_CHOICES, MODE_CENTRAL, MODE_SELF_STUDY, POSITION_CHOICES,
    TIER_ADVANCED, TIER_CHOICES, TIER_ENTRY, TIER_INSERVICE, TIER_SPECIAL, Position, Tier,
)

__all__ = [
    "Area", "DUTY_AREA_CHOICES", "DUTY_AREA_LABELS", "HOURS_MODE_CHOICES", "LEGAL_REVIEW_WORKFLOW", "MODE_CENTRAL",
    "MODE_SELF_STUDY", "POSITION_CHOICES", "Position", "SUBJECT_CHOICES", "StudyMode", "Subject", "TIER_ADVANCED",
    "TIER_CHOICES", "TIER_ENTRY", "TIER_INSERVICE", "TIER_RANK", "TIER_SPECIAL", "Tier", "current_year",
]

#: Position of each tier on the ladder (0 = 初任培训).
TIER_RANK = {code: i for i, code in enumerate(Tier.values)}

#: The workflow created by the case bank; courses that require legal review use it.
LEGAL_REVIEW_WORKFLOW = "法制审核"

DUTY_AREA_LABELS = dict(Area.choices)


def current_year():
    return timezone.localdate().year


class StudyMode(models.TextChoices):
    """How a lesson's study time is counted (courses.studytime)."""

    VIDEO = "video", _("视频观看时长")
    READING = "reading", _("有效阅读时长")
    NONE = "none", _("不计时")
