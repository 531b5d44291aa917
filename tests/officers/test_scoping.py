"""Unit scoping: the one function, and the views that use it."""
import pytest
from django.urls import reverse

from officers import roles
from officers.scoping import visible_officers, visible_units
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_hr_sees_own_district_subtree_only(units, hr_user, officer_user, other_officer_user):
    """HR of 江北区 sees its squads' officers and none of 江南区."""
    visible = set(visible_officers(hr_user))
    assert officer_user.officer in visible
    assert hr_user.officer in visible
    assert other_officer_user.officer not in visible
    assert set(visible_units(hr_user)) == set(units[c] for c in ("SZ-JB", "SZ-JB-01", "SZ-JB-02"))


def test_officer_sees_only_themself(officer_user, other_officer_user, units):
    make_user(roles.OFFICER, unit=units["SZ-JB-01"])
    assert list(visible_officers(officer_user)) == [officer_user.officer]


def test_superuser_sees_everyone(admin_user, officer_user, other_officer_user):
    assert visible_officers(admin_user).count() == 3


def test_squad_level_hr_sees_only_the_squad(units, officer_user):
    squad_hr = make_user(roles.HR, unit=units["SZ-JB-02"])
    assert officer_user.officer not in visible_officers(squad_hr)


def test_city_level_hr_sees_all_districts(units, officer_user, other_officer_user):
    city_hr = make_user(roles.HR, unit=units["SZ"])
    assert {officer_user.officer, other_officer_user.officer} <= set(visible_officers(city_hr))


def test_anonymous_sees_no_one(officer_user):
    from django.contrib.auth.models import AnonymousUser

    assert visible_officers(AnonymousUser()).count() == 0


def test_officer_record_of_other_district_is_404(client, hr_user, other_officer_user, officer_user):
    """Probing another district's officer id answers 404, like an id that does not exist."""
    client.force_login(hr_user)
    assert client.get(reverse("officers:officer_detail", args=[officer_user.officer.pk])).status_code == 200
    assert client.get(reverse("officers:officer_detail", args=[other_officer_user.officer.pk])).status_code == 404
    assert client.get(reverse("officers:officer_detail", args=[999999])).status_code == 404


def test_officer_list_never_includes_other_district(client, hr_user, other_officer_user, officer_user, units):
    client.force_login(hr_user)
    body = client.get(reverse("officers:officer_list")).content.decode()
    assert officer_user.officer.full_name in body
    assert other_officer_user.officer.full_name not in body
    # Filtering by a foreign unit id gives nothing rather than the foreign unit's people.
    body = client.get(reverse("officers:officer_list"), {"unit": units["SZ-JN"].pk}).content.decode()
    assert other_officer_user.officer.full_name not in body


def test_hr_cannot_add_hours_for_other_district(client, hr_user, other_officer_user):
    client.force_login(hr_user)
    url = reverse("officers:hours_add", args=[other_officer_user.officer.pk])
    r = client.post(url, {"hours": "2", "date": "2026-11-01", "reason": "补录"})
    assert r.status_code == 404
    assert other_officer_user.officer.hours.count() == 0


def test_officer_cannot_open_people_pages(client, officer_user):
    client.force_login(officer_user)
    assert client.get(reverse("officers:officer_list")).status_code == 403
    assert client.get(reverse("officers:unit_overview")).status_code == 403


def test_officer_sees_own_record_but_not_colleagues(client, officer_user, units):
    colleague = make_user(roles.OFFICER, unit=units["SZ-JB-01"])
    client.force_login(officer_user)
    assert client.get(reverse("officers:my_profile")).status_code == 200
    assert client.get(reverse("officers:officer_detail", args=[colleague.officer.pk])).status_code == 404
