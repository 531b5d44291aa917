"""Course assignments by training tier: a tier-only assignment reaches the officers whose
training tier (recorded by HR) is the course's tier — in 我的学习, and in completion counts."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.learning import assignments_for
from courses.models import Assignment
from courses.staff_views import completion_by_unit
from tests.courses.factories import make_course
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_tier_only_assignment_reaches_officers_of_the_course_tier(units):
    course = make_course(title="初任培训课", tier="entry", n_lessons=1)
    newcomer = make_user(unit=units["SZ-JB-01"], training_tier="entry").officer
    veteran = make_user(unit=units["SZ-JB-01"], training_tier="inservice").officer
    unknown = make_user(unit=units["SZ-JB-01"]).officer
    tiered = Assignment.objects.create(course=course, unit=units["SZ-JB"], tier_only=True,
                                       due_date=timezone.localdate() + datetime.timedelta(days=30))
    assert list(assignments_for(newcomer)) == [tiered]
    assert list(assignments_for(veteran)) == [] and list(assignments_for(unknown)) == []
    everyone = Assignment.objects.create(course=course, unit=units["SZ-JB"],
                                         due_date=timezone.localdate() + datetime.timedelta(days=30))
    assert set(assignments_for(veteran)) == {everyone}


def test_completion_counts_only_the_tier(hr_user, units):
    course = make_course(tier="advanced", n_lessons=1)
    make_user(unit=units["SZ-JB-01"], training_tier="advanced")
    make_user(unit=units["SZ-JB-01"], training_tier="entry")
    make_user(unit=units["SZ-JB-01"])
    Assignment.objects.create(course=course, unit=units["SZ-JB"], tier_only=True,
                              due_date=timezone.localdate() + datetime.timedelta(days=30))
    rows = {r["unit"].code: r for r in completion_by_unit(hr_user)}
    assert rows["SZ-JB-01"]["total"] == 1


def test_my_learning_lists_the_tier_assignment(client, units):
    course = make_course(title="骨干师资研修", tier="advanced", n_lessons=1)
    Assignment.objects.create(course=course, unit=units["SZ"], tier_only=True,
                              due_date=timezone.localdate() + datetime.timedelta(days=30))
    advanced = make_user(unit=units["SZ-JB-01"], training_tier="advanced")
    entry = make_user(unit=units["SZ-JB-01"], training_tier="entry")
    client.force_login(advanced)
    assert "骨干师资研修" in client.get(reverse("courses:my_learning")).content.decode()
    client.force_login(entry)
    assert "骨干师资研修" not in client.get(reverse("courses:my_learning")).content.decode()


def test_hr_assigns_by_tier_in_the_form(client, hr_user, units):
    course = make_course(title="岗位培训课", tier="inservice", n_lessons=1)
    client.force_login(hr_user)
    page = client.get(reverse("courses:assignments")).content.decode()
    assert 'name="tier_only"' in page and "岗位培训课（岗位培训）" in page
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    r = client.post(reverse("courses:assignments"), {
        "course": course.pk, "unit": units["SZ-JB-01"].pk, "include_subunits": "on", "tier_only": "on",
        "due_date": due})
    assert r.status_code == 302
    assert Assignment.objects.get(course=course).tier_only
    assert "仅岗位培训层级人员" in client.get(reverse("courses:assignments")).content.decode()
