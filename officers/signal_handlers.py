"""Audit login, failed login, lockout and logout."""
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit
from .auth import LOGIN_FAILURE, LOGIN_LOCKED, LOGIN_SUCCESS, LOGOUT, is_locked, normalise


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(LOGIN_SUCCESS, request=request, actor=user, username=normalise(user.get_username()),
                 outcome="ok")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = normalise(credentials.get("username", ""))
    was_locked = is_locked(username, request)
    action = LOGIN_LOCKED if was_locked else LOGIN_FAILURE
    audit.record(action, request=request, username=username, outcome="locked" if was_locked else "failed")
    if not was_locked and is_locked(username, request):
        audit.record(LOGIN_LOCKED, request=request, username=username, outcome="lockout_started")


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(LOGOUT, request=request, actor=user, username=normalise(user.get_username()), outcome="ok")
