"""Login page, lockout, identical failure answers, session rotation, logout, audit."""
import pytest
from django.test import override_settings
from django.urls import reverse

from officers.models import AuditLog
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _fail(client, username, n=1):
    for _ in range(n):
        response = client.post(LOGIN, {"username": username, "password": "wrong-password-x"})
    return response


def test_login_page_is_chinese(client):
    body = client.get(LOGIN).content.decode()
    assert "登录执法学堂" in body and 'lang="zh-hans"' in body


def test_successful_login_rotates_session_and_is_audited(client, officer_user):
    client.get(LOGIN)
    client.cookies["sessionid"] = "attacker-fixed-session-key"
    response = client.post(LOGIN, {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies["sessionid"].value != "attacker-fixed-session-key"
    entry = AuditLog.objects.get(action="login.success")
    assert entry.actor == officer_user and entry.ip == "127.0.0.1" and entry.outcome == "ok"


def test_failed_login_is_audited_with_username_and_address(client, officer_user):
    _fail(client, "officer_a")
    entry = AuditLog.objects.get(action="login.failure")
    assert entry.username == "officer_a" and entry.ip == "127.0.0.1" and entry.actor is None


def test_unknown_and_known_usernames_get_the_same_answer(client, officer_user):
    known = _fail(client, "officer_a").content.decode()
    unknown = _fail(client, "nobody_here").content.decode()
    strip = lambda html: html.replace("officer_a", "X").replace("nobody_here", "X")  # noqa: E731
    import re

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", strip(known)) == token.sub("", strip(unknown))
    assert "用户名或密码不正确" in known


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=5, LOGIN_LOCKOUT_MINUTES=15)
def test_lockout_after_five_failures_even_with_right_password(client, officer_user):
    _fail(client, "officer_a", 5)
    response = client.post(LOGIN, {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 200
    assert "已被暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(username="officer_a", action="login.locked").exists()


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=5)
def test_lockout_applies_to_unknown_usernames_alike(client):
    _fail(client, "ghost", 5)
    assert "已被暂时锁定" in _fail(client, "ghost").content.decode()


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=5)
def test_four_failures_do_not_lock_and_success_resets(client, officer_user):
    _fail(client, "officer_a", 4)
    assert client.post(LOGIN, {"username": "officer_a", "password": PASSWORD}).status_code == 302
    client.post(reverse("officers:logout"))
    _fail(client, "officer_a", 4)
    assert client.post(LOGIN, {"username": "officer_a", "password": PASSWORD}).status_code == 302


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=3, LOGIN_LOCKOUT_MINUTES=15)
def test_lockout_expires_after_the_window(client, officer_user):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    _fail(client, "officer_a", 3)
    assert "已被暂时锁定" in client.post(LOGIN, {"username": "officer_a", "password": PASSWORD}).content.decode()
    later = timezone.now() + timedelta(minutes=16)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.post(LOGIN, {"username": "officer_a", "password": PASSWORD}).status_code == 302


def test_logout_requires_post_and_is_audited(client, officer_user):
    client.force_login(officer_user)
    assert client.get(reverse("officers:logout")).status_code == 405
    response = client.post(reverse("officers:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action="logout", actor=officer_user).exists()


def test_wagtail_admin_login_redirects_to_our_login(client):
    response = client.get("/cms/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@override_settings(SESSION_IDLE_SECONDS=60)
def test_idle_session_is_ended(client, officer_user):
    client.force_login(officer_user)
    assert client.get("/").status_code == 200
    session = client.session
    session["_academy_last_seen"] = session["_academy_last_seen"] - 120
    session.save()
    response = client.get(reverse("officers:my_profile"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
