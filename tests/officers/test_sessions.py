"""Who is signed in, read on every request: the session (officers.sessions) and the user with
the officer profile and roles (officers.auth.LockoutModelBackend.get_user), in two statements;
the session still lives in the shared database, so signing out or expiring holds everywhere."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from officers import roles
from officers.auth import LockoutModelBackend
from officers.scoping import own_profile
from officers.sessions import SessionStore
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_request_reads_session_and_user_in_two_statements(officer_user):
    client = signed_in(officer_user)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("officers:my_profile"))
    assert r.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert "django_session" in sql[0] and "auth_user" in sql[1] and "officers_officer" in sql[1]
    assert not [s for s in sql[2:] if "auth_group" in s or 'FROM "auth_user"' in s]


def test_the_user_comes_with_profile_and_roles(units):
    """One query; the profile and roles the ORM would give; a user in two groups holds both."""
    user = make_user(roles.TRAINER)
    user.groups.add(Group.objects.get(name=roles.OFFICER))
    with CaptureQueriesContext(connection) as ctx:
        loaded = LockoutModelBackend().get_user(str(user.pk))
        profile = own_profile(loaded)
        held = roles.user_roles(loaded)
        unit_path = profile.unit.path  # a relation of the profile still loads on demand
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]
    assert held == {roles.TRAINER, roles.OFFICER} and roles.primary_role(loaded) == roles.TRAINER
    assert profile.pk == user.officer.pk and profile.user is loaded and unit_path == user.officer.unit.path
    assert loaded.password == user.password and loaded.date_joined == user.date_joined


def test_a_user_without_profile_or_group(units):
    admin = get_user_model().objects.create_user("root-x", password="x" * 12, is_superuser=True)
    with CaptureQueriesContext(connection) as ctx:
        loaded = LockoutModelBackend().get_user(admin.pk)
        assert own_profile(loaded) is None
        assert roles.user_roles(loaded) == {roles.ADMIN} and roles.has_role(loaded, roles.HR)
    assert len(ctx.captured_queries) == 1


def test_an_inactive_or_unknown_user_is_nobody(officer_user):
    assert LockoutModelBackend().get_user(10**6) is None
    assert LockoutModelBackend().get_user("not-a-number") is None
    get_user_model().objects.filter(pk=officer_user.pk).update(is_active=False)
    assert LockoutModelBackend().get_user(officer_user.pk) is None


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(officer_user):
    """Another browser (or app server) holding the same session key is signed out too."""
    first = signed_in(officer_user)
    second = Client()
    second.cookies["sessionid"] = first.cookies["sessionid"].value
    assert second.get(reverse("officers:my_profile")).status_code == 200
    first.post(reverse("officers:logout"))
    r = second.get(reverse("officers:my_profile"))
    assert r.status_code == 302 and reverse("officers:login") in r["Location"]


def test_an_expired_session_is_not_read(officer_user):
    client = signed_in(officer_user)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    r = client.get(reverse("officers:my_profile"))
    assert r.status_code == 302 and reverse("officers:login") in r["Location"]


def test_a_malformed_key_is_not_looked_up():
    store = SessionStore("short")
    with CaptureQueriesContext(connection) as ctx:
        assert store.load() == {}
    assert ctx.captured_queries == [] and store.session_key is None


def test_a_session_is_rewritten_in_place_and_not_brought_back_once_deleted(officer_user):
    client = signed_in(officer_user)
    key = client.cookies["sessionid"].value
    store = SessionStore(key)
    store["note"] = "已读"
    with CaptureQueriesContext(connection) as ctx:
        store.save()
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["UPDATE"]
    row = Session.objects.get(session_key=key)
    assert row.get_decoded()["note"] == "已读" and row.expire_date > timezone.now() + timedelta(hours=11)
    Session.objects.filter(session_key=key).delete()
    store["note"] = "再写"
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.filter(session_key=key).exists()
