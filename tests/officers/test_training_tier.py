"""An officer's training tier (培训层级): on the profile, recorded by HR within scope and
audited, shown in the people list and filterable; used by exams and course assignments
(tests/exams/test_eligibility.py, tests/courses/test_assignment_tiers.py)."""
import pytest
from django.urls import reverse

from officers.models import AuditLog, Officer
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_hr_records_a_tier_within_scope_and_it_is_audited(client, hr_user, officer_user):
    officer = officer_user.officer
    assert officer.training_tier == ""
    client.force_login(hr_user)
    page = client.get(officer.get_absolute_url()).content.decode()
    assert "未登记" in page and 'name="training_tier"' in page
    r = client.post(reverse("officers:hr_officer_tier", args=[officer.pk]), {"training_tier": "entry"})
    assert r.status_code == 302
    officer.refresh_from_db()
    assert officer.training_tier == "entry"
    entry = AuditLog.objects.get(action="officer.training_tier")
    assert entry.officer == officer and entry.before == {"training_tier": ""}
    assert entry.after == {"training_tier": "entry"} and entry.actor == hr_user
    assert "初任培训" in client.get(officer.get_absolute_url()).content.decode()


def test_bad_tier_is_refused(client, hr_user, officer_user):
    client.force_login(hr_user)
    client.post(reverse("officers:hr_officer_tier", args=[officer_user.officer.pk]), {"training_tier": "boss"})
    assert Officer.objects.get(pk=officer_user.officer.pk).training_tier == ""


def test_tier_outside_scope_or_by_others_is_refused(client, hr_other_user, officer_user, trainer_user):
    url = reverse("officers:hr_officer_tier", args=[officer_user.officer.pk])
    client.force_login(hr_other_user)  # HR of another district
    assert client.post(url, {"training_tier": "advanced"}).status_code == 404
    for user in (officer_user, trainer_user):
        client.force_login(user)
        assert client.post(url, {"training_tier": "advanced"}).status_code == 403
    assert Officer.objects.get(pk=officer_user.officer.pk).training_tier == ""
    client.force_login(officer_user)
    assert 'name="training_tier"' not in client.get(reverse("officers:my_profile")).content.decode()


def test_people_list_shows_and_filters_tiers(client, hr_user, units):
    make_user(unit=units["SZ-JB-01"], full_name="初任者", training_tier="entry")
    make_user(unit=units["SZ-JB-01"], full_name="骨干者", training_tier="advanced")
    make_user(unit=units["SZ-JB-02"], full_name="未定者")
    client.force_login(hr_user)
    body = client.get(reverse("officers:officer_list")).content.decode()
    assert "<th>培训层级</th>" in body and "骨干·师资" in body and "初任培训" in body
    entry = client.get(reverse("officers:officer_list"), {"tier": "entry"}).content.decode()
    assert "初任者" in entry and "骨干者" not in entry and "未定者" not in entry
    none = client.get(reverse("officers:officer_list"), {"tier": "none"}).content.decode()
    assert "未定者" in none and "初任者" not in none
