"""Login lockout that keeps password guessing out without letting a stranger lock
a known user out.

Failures are read from the audit log (one database for every worker), keyed on
the user name typed (normalised; existing or not, so the answer never reveals
whether an account exists) and the client address (officers.audit.client_ip):

1. **Per user name and address.** After ``LOGIN_LOCKOUT_ATTEMPTS`` failures in a
   row from one address, that address may not try the name again for
   ``LOGIN_LOCKOUT_MINUTES``; every further failure from it doubles the wait
   (15, 30, 60 … minutes, at most a day). A successful login from the address,
   or a day without failures, starts it afresh. Other addresses are unaffected.
2. **Per user name, from all addresses together (slower).** After
   ``LOGIN_USER_THROTTLE_ATTEMPTS`` failures within ``LOGIN_USER_THROTTLE_MINUTES``
   the name is refused from every address it has never signed in from, until the
   failures fall out of that window. Addresses it signed in from successfully in
   the last ``KNOWN_ADDRESS_DAYS`` days are let through (rule 1 still applies there).

So a stranger can lock only their own address out of a name; a guesser spread over
many addresses gets at most LOGIN_USER_THROTTLE_ATTEMPTS guesses per window; and the
owner still signs in from the address they usually use.
"""
import functools
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.rows import Columns, Statement

from . import roles
from .audit import client_ip
from .models import AuditLog, Officer

LOGIN_SUCCESS = "login.success"
LOGIN_FAILURE = "login.failure"
LOGIN_LOCKED = "login.locked"
LOGOUT = "logout"

#: Failures from an address older than this are forgotten.
FAILURE_MEMORY = timedelta(hours=24)
#: Longest wait of one address for one user name.
MAX_LOCK = timedelta(hours=24)
#: An address the user signed in from within this many days is their usual address.
KNOWN_ADDRESS_DAYS = 90

LOCKED = "locked"          # rule 1: this address, this user name
THROTTLED = "throttled"    # rule 2: this user name, from an address it never signed in from


def normalise(username):
    return (username or "").strip().lower()[:150]


def _entries(name, ip):
    return AuditLog.objects.filter(username=name, ip=ip) if ip else AuditLog.objects.filter(username=name,
                                                                                             ip__isnull=True)


def address_failures(username, ip, now=None):
    """Failure times of this user name from this address, oldest first: within the
    memory and since the last success from the same address."""
    name, now = normalise(username), now or timezone.now()
    since = now - FAILURE_MEMORY
    last_ok = (_entries(name, ip).filter(action=LOGIN_SUCCESS, at__gte=since)
               .order_by("-at").values_list("at", flat=True).first())
    return list(_entries(name, ip).filter(action=LOGIN_FAILURE, at__gt=last_ok or since)
                .order_by("at").values_list("at", flat=True))


def address_locked_until(username, ip, now=None):
    """When this address may try this user name again (None: it may now)."""
    now = now or timezone.now()
    failures = address_failures(username, ip, now)
    excess = len(failures) - settings.LOGIN_LOCKOUT_ATTEMPTS
    if excess < 0:
        return None
    wait = min(timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES) * 2 ** min(excess, 16), MAX_LOCK)
    until = failures[-1] + wait
    return until if until > now else None


def user_failures(username, now=None):
    """Failures of this user name from all addresses within the throttle window."""
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.LOGIN_USER_THROTTLE_MINUTES)
    return AuditLog.objects.filter(username=normalise(username), action=LOGIN_FAILURE, at__gt=since).count()


def is_known_address(username, ip, now=None):
    """Whether this user name signed in successfully from this address lately."""
    if not ip:
        return False
    since = (now or timezone.now()) - timedelta(days=KNOWN_ADDRESS_DAYS)
    return _entries(normalise(username), ip).filter(action=LOGIN_SUCCESS, at__gte=since).exists()


def login_block(username, request):
    """Why a login with this user name from this request's client is refused now:
    (LOCKED or THROTTLED, minutes to wait), or None when it may be tried."""
    ip, now = client_ip(request), timezone.now()
    until = address_locked_until(username, ip, now)
    if until is not None:
        return LOCKED, max(1, math.ceil((until - now).total_seconds() / 60))
    if user_failures(username, now) >= settings.LOGIN_USER_THROTTLE_ATTEMPTS and not is_known_address(
            username, ip, now):
        return THROTTLED, settings.LOGIN_USER_THROTTLE_MINUTES
    return None


def is_locked(username, request=None):
    return login_block(username, request) is not None


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses a blocked user name and address before checking the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is not None and is_locked(username, request):
            # PermissionDenied stops every backend and fires user_login_failed.
            raise PermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field():
        return get_user_model().USERNAME_FIELD

    def get_user(self, user_id):
        """The signed-in user of a request with, in the same query, the officer profile (nearly
        every page of an officer needs it) and the names of the user's groups (their roles,
        which every page checks): one row per group."""
        user_columns, officer_columns, read = _user_read()
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = read.rows([user_id]) if user_id is not None else None
        if not found:
            return None
        user = user_columns.build(found[0])
        officer = officer_columns.build(found[0], user_columns.width)
        get_user_model().officer.related.set_cached_value(user, officer)  # None: no profile
        if officer is not None:
            Officer.user.field.set_cached_value(officer, user)
        roles.remember_roles(user, [row[-1] for row in found if row[-1] is not None])
        return user if self.user_can_authenticate(user) else None


@functools.cache
def _user_read():
    """The columns of the user and of the officer profile, and the statement that reads them
    with the group names (built once: the user model is known only when the apps are)."""
    user_model = get_user_model()
    user, officer, member = Columns(user_model), Columns(Officer), Columns(user_model.groups.through)
    user_pk = user_model._meta.pk.attname

    def write(q):
        u, o, m, g = q("u"), q("o"), q("m"), q("g")
        return f"""
            SELECT {user.select(q, "u")}, {officer.select(q, "o")}, {g}.{q("name")}
            FROM {user.table(q)} {u}
            LEFT JOIN {officer.table(q)} {o} ON {o}.{officer.column(q, "user_id")} = {u}.{user.column(q, user_pk)}
            LEFT JOIN {member.table(q)} {m} ON {m}.{member.column(q, "user_id")} = {u}.{user.column(q, user_pk)}
            LEFT JOIN {Columns(Group).table(q)} {g} ON {g}.{q("id")} = {m}.{member.column(q, "group_id")}
            WHERE {u}.{user.column(q, user_pk)} = %s"""

    return user, officer, Statement(write)
