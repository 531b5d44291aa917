"""Login lockout that a stranger cannot turn into a weapon (officers.auth): wrong
passwords lock the address they come from out of that user name, with growing
waits; a slower per-name throttle refuses new addresses; the owner still signs in
from the address they usually use."""
from datetime import timedelta
from unittest import mock

import pytest
from django.test import override_settings
from django.utils import timezone

from officers.models import AuditLog
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
OWNER = "198.51.100.10"      # where the officer usually signs in
ATTACKER = "203.0.113.66"
PROXY = "10.9.0.1"


def _login(client, password, ip, username="officer_a", **meta):
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **meta)
    signed_in = response.status_code == 302
    if signed_in:
        client.post("/accounts/logout/", REMOTE_ADDR=ip)
    return "ok" if signed_in else ("locked" if "已被暂时锁定" in response.content.decode() else "refused")


def _fail(client, ip, n=1, username="officer_a", **meta):
    return [_login(client, "wrong-password-x", ip, username, **meta) for _ in range(n)]


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=5, LOGIN_LOCKOUT_MINUTES=15)
def test_attacker_address_is_locked_and_the_owner_still_signs_in(client, officer_user):
    assert _login(client, PASSWORD, OWNER) == "ok"
    assert _fail(client, ATTACKER, 6) == ["refused"] * 4 + ["locked"] * 2
    # Even the right password is refused from the attacker's address …
    assert _login(client, PASSWORD, ATTACKER) == "locked"
    # … while the owner signs in from their usual address, and from a new one too.
    assert _login(client, PASSWORD, OWNER) == "ok"
    assert _login(client, PASSWORD, "192.0.2.44") == "ok"
    # The owner's success does not lift the attacker's lock.
    assert _login(client, PASSWORD, ATTACKER) == "locked"
    entries = AuditLog.objects.filter(username="officer_a")
    assert entries.filter(action="login.failure", ip=ATTACKER).count() == 5   # only real password checks
    assert entries.filter(action="login.locked", ip=ATTACKER, outcome="lockout_started").exists()


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=5, LOGIN_LOCKOUT_MINUTES=15)
def test_waits_grow_with_each_further_failure(client, officer_user):
    _fail(client, ATTACKER, 5)
    start = timezone.now()

    def at(minutes, action):
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)):
            return action()

    assert at(14, lambda: _login(client, PASSWORD, ATTACKER)) == "locked"
    # After 15 minutes the address may try again; one more failure now costs 30 minutes.
    assert at(16, lambda: _fail(client, ATTACKER)) == ["locked"]
    # (The failure is recorded at the real time, ``start``: the wait runs from there.)
    assert at(29, lambda: _login(client, PASSWORD, ATTACKER)) == "locked"
    assert at(31, lambda: _login(client, PASSWORD, ATTACKER)) == "ok"


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=5, LOGIN_USER_THROTTLE_ATTEMPTS=10, LOGIN_USER_THROTTLE_MINUTES=60)
def test_guessing_from_many_addresses_is_throttled_but_not_for_the_owners_address(client, officer_user):
    assert _login(client, PASSWORD, OWNER) == "ok"
    answers = [_fail(client, f"203.0.113.{100 + i}")[0] for i in range(10)]
    assert answers == ["refused"] * 9 + ["locked"]  # the tenth failure starts the throttle
    # The name now refuses addresses it never signed in from, whatever the password …
    assert _login(client, PASSWORD, "203.0.113.150") == "locked"
    assert _login(client, PASSWORD, "192.0.2.44") == "locked"
    # … but the owner's usual address is let through.
    assert _login(client, PASSWORD, OWNER) == "ok"
    # Unknown user names are throttled alike (the answer never tells whether an account exists).
    for i in range(10):
        _fail(client, f"203.0.113.{100 + i}", username="nobody_here")
    assert _fail(client, "203.0.113.151", username="nobody_here") == ["locked"]


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=5, ACADEMY_TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_the_lock_follows_the_real_client(client, officer_user):
    owner = {"HTTP_X_FORWARDED_FOR": OWNER}
    attacker = {"HTTP_X_FORWARDED_FOR": ATTACKER}
    assert _login(client, PASSWORD, PROXY, **owner) == "ok"
    _fail(client, PROXY, 5, **attacker)
    assert _login(client, PASSWORD, PROXY, **attacker) == "locked"
    assert _login(client, PASSWORD, PROXY, **owner) == "ok"            # same proxy, other client
    # A header the attacker adds is not believed: still their own address.
    assert _login(client, PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=f"{OWNER}, {ATTACKER}") == "locked"
    # Sent directly (not through the proxy), a forged header changes nothing either.
    _fail(client, "203.0.113.70", 5, HTTP_X_FORWARDED_FOR=OWNER)
    assert _login(client, PASSWORD, "203.0.113.70", HTTP_X_FORWARDED_FOR=OWNER) == "locked"
    assert _login(client, PASSWORD, PROXY, **owner) == "ok"
