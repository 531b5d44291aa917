"""Plain factory functions for tests: every app's tests build data with these.

    units = make_units()                      # the demo tree: SZ, SZ-JB, SZ-JB-01, …
    user = make_user("hr", unit=units["SZ-JB"])
    officer = user.officer
"""
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from officers import roles
from officers.demo import ensure_units
from officers.models import Officer

PASSWORD = "Test-Password-2026"
_seq = itertools.count(1)


def make_units():
    """The demo unit tree (city → 3 districts → 2 squads each), keyed by code."""
    return ensure_units()


def make_user(role=roles.OFFICER, *, unit=None, username=None, full_name=None, superuser=False, **officer_fields):
    """A user with a role group and an Officer profile in ``unit`` (default: squad SZ-JB-01)."""
    n = next(_seq)
    User = get_user_model()
    username = username or f"{role or 'user'}{n}"
    user = User.objects.create_user(username=username, password=PASSWORD, is_superuser=superuser,
                                    is_staff=superuser)
    if role and role != roles.ADMIN:
        user.groups.add(Group.objects.get(name=role))
    if unit is None:
        unit = make_units()["SZ-JB-01"]
    officer_fields.setdefault("employee_number", f"T{n:05d}")
    officer_fields.setdefault("full_name", full_name or f"测试{n}")
    Officer.objects.create(user=user, unit=unit, **officer_fields)
    return user


def login(client, user):
    client.force_login(user)
    return client
