"""Vocabulary of the courses app: training tiers (their single home is officers.models),
duty areas and subjects (casebank.domain), positions, and the defaults of the course models.

The lowest module of the app: it imports no other courses module."""
from django.utils import timezone

from casebank.domain import DUTY_AREA_CHOICES, SUBJECT_CHOICES
from officers.models import (
    POSITION_CHOICES, TIER_ADVANCED, TIER_CHOICES, TIER_ENTRY, TIER_INSERVICE, TIER_SPECIAL,
)

__all__ = [
    "DUTY_AREA_CHOICES", "DUTY_AREA_LABELS", "LEGAL_REVIEW_WORKFLOW", "POSITION_CHOICES", "SUBJECT_CHOICES",
    "TIER_ADVANCED", "TIER_CHOICES", "TIER_ENTRY", "TIER_INSERVICE", "TIER_RANK", "TIER_SPECIAL", "current_year",
]

#: Position of each tier on the ladder (0 = 初任培训).
TIER_RANK = {code: i for i, (code, _label) in enumerate(TIER_CHOICES)}

#: The workflow created by the case bank; courses that require legal review use it.
LEGAL_REVIEW_WORKFLOW = "法制审核"

DUTY_AREA_LABELS = dict(DUTY_AREA_CHOICES)


def current_year():
    return timezone.localdate().year
