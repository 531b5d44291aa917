"""Hours carry a category and a mode: credit's new keywords, course completion (自学 unless the
course says otherwise), on-site sessions (集中培训), manual entries, reversals."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.models import OnsiteSession, SessionSignup
from officers import hours
from officers.models import MODE_CENTRAL, MODE_SELF_STUDY, HoursCategory, HoursEntry
from tests.courses.factories import complete_course, make_course

pytestmark = pytest.mark.django_db


def _category(code):
    return HoursCategory.objects.get(code=code)


def test_credit_defaults_to_self_study_without_category(officer_user):
    entry, _ = hours.credit(officer_user.officer, 2, source="course", source_key="k:1", description="课程")
    assert (entry.category_id, entry.mode) == (None, MODE_SELF_STUDY)


def test_credit_with_category_and_mode(officer_user):
    law = _category("public_law")
    entry, _ = hours.credit(officer_user.officer, 3, source="onsite", source_key="k:2", description="培训",
                            category=law, mode=MODE_CENTRAL)
    entry.refresh_from_db()
    assert (entry.category, entry.mode) == (law, MODE_CENTRAL)


def test_credit_refuses_an_unknown_mode(officer_user):
    with pytest.raises(ValidationError) as exc:
        hours.credit(officer_user.officer, 3, source="manual", source_key="k:3", description="x", mode="video")
    assert exc.value.code == "invalid_mode"
    assert not HoursEntry.objects.exists()


def test_reversal_keeps_category_and_mode(officer_user, hr_user):
    skills = _category("skills")
    entry = hours.add_manual(officer_user.officer, 5, reason="补录", actor=hr_user, category=skills,
                             mode=MODE_CENTRAL)
    rev = hours.reverse(entry, reason="录错", actor=hr_user)
    assert (rev.category, rev.mode, rev.hours) == (skills, MODE_CENTRAL, Decimal("-5"))


def test_course_completion_credits_the_course_category_as_self_study(officer_user):
    biz = _category("business")
    course = make_course(n_lessons=1, hours="3", hours_category=biz)
    complete_course(officer_user.officer, course)
    entry = HoursEntry.objects.get(officer=officer_user.officer)
    assert (entry.category, entry.mode, entry.hours) == (biz, MODE_SELF_STUDY, Decimal("3"))


def test_course_marked_central_credits_central(officer_user):
    course = make_course(n_lessons=1, hours="2", hours_mode=MODE_CENTRAL)
    complete_course(officer_user.officer, course)
    assert HoursEntry.objects.get(officer=officer_user.officer).mode == MODE_CENTRAL


def test_onsite_attendance_credits_central_in_the_course_category(client, trainer_user, officer_user):
    skills = _category("skills")
    course = make_course(n_lessons=1, hours_category=skills)
    start = timezone.now() - datetime.timedelta(days=1)
    session = OnsiteSession.objects.create(course=course, title="现场教学", starts_at=start,
                                           ends_at=start + datetime.timedelta(hours=3), place="步行街",
                                           trainer=trainer_user, capacity=5, hours=Decimal("3"))
    SessionSignup.objects.create(session=session, officer=officer_user.officer)
    client.force_login(trainer_user)
    client.post(reverse("courses:session_attendance", args=[session.pk]), {"present": [officer_user.officer.pk]})
    entry = HoursEntry.objects.get(officer=officer_user.officer)
    assert (entry.category, entry.mode) == (skills, MODE_CENTRAL)


def test_hr_chooses_category_and_mode_for_a_manual_entry(client, hr_user, officer_user):
    officer = officer_user.officer
    client.force_login(hr_user)
    client.post(reverse("officers:hours_add", args=[officer.pk]), {
        "hours": "4", "date": timezone.localdate().isoformat(), "reason": "外出培训",
        "category": _category("business").pk, "mode": MODE_CENTRAL})
    entry = HoursEntry.objects.get(officer=officer)
    assert (entry.category.code, entry.mode) == ("business", MODE_CENTRAL)
    html = client.get(reverse("officers:officer_detail", args=[officer.pk])).content.decode()
    assert 'data-hours-table' in html and 'data-category="business"' in html
    assert 'data-label="集中培训">4<' in html
