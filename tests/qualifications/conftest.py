"""Fixtures for qualification and certificate tests."""
import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from officers.models import (
    ACH_COURSE, ACH_EXAM, SOURCE_MANUAL, Achievement, HoursEntry, QualificationType,
)

TODAY = datetime.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def base_type(db):
    """A qualification valid for a year and renewed by the annual review (no renewal exam)."""
    return QualificationType.objects.create(
        code="BASE", name="行政执法资格", is_base=True, validity_months=12, min_hours_per_year=Decimal("60"),
        annual_exam_required=True, qualification_exam_required=True, exam_min_score=Decimal("60"),
        annual_exam_min_score=Decimal("60"), renewal_exam_required=False)


@pytest.fixture
def special_type(base_type):
    return QualificationType.objects.create(
        code="PLAN", name="违法建设查处专项资格", duty_area="planning", prerequisite=base_type, validity_months=24,
        min_hours_per_year=Decimal("20"), annual_exam_required=False, sort_order=1, renewal_exam_required=False)


def add_hours(officer, hours, *, date=TODAY, key=None):
    return HoursEntry.objects.create(officer=officer, hours=Decimal(str(hours)), source=SOURCE_MANUAL,
                                     source_key=key or f"t:{officer.pk}:{date}:{hours}:{HoursEntry.objects.count()}",
                                     description="测试", date=date)


def pass_exam(officer, *, kind="qualification", score=80, date=TODAY, ref_id=1, title="资格考试", key=None):
    at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(9)))
    return Achievement.objects.create(officer=officer, kind=ACH_EXAM, ref_id=ref_id, ref_kind=kind, title=title,
                                      score=Decimal(str(score)), achieved_at=at,
                                      source_key=key or f"exam:{kind}:{ref_id}:{date}:{score}")


def complete_course(officer, course_id, *, date=TODAY):
    at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(9)))
    return Achievement.objects.create(officer=officer, kind=ACH_COURSE, ref_id=course_id, title="课程",
                                      achieved_at=at, source_key=f"course:{course_id}")
