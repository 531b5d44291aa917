"""Login lockout: after LOGIN_LOCKOUT_ATTEMPTS failures for a user name within
LOGIN_LOCKOUT_MINUTES, every login with that name is refused until the window
passes. It applies to any user name typed, existing or not, so the answer never
reveals whether an account exists."""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .models import AuditLog

LOGIN_SUCCESS = "login.success"
LOGIN_FAILURE = "login.failure"
LOGIN_LOCKED = "login.locked"
LOGOUT = "logout"


def normalise(username):
    return (username or "").strip().lower()[:150]


def recent_failures(username):
    """Failures for this user name since the window opened and since its last success."""
    name = normalise(username)
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    last_ok = (
        AuditLog.objects.filter(username=name, action=LOGIN_SUCCESS, at__gte=since)
        .order_by("-at").values_list("at", flat=True).first()
    )
    if last_ok:
        since = last_ok
    return AuditLog.objects.filter(username=name, action__in=[LOGIN_FAILURE, LOGIN_LOCKED], at__gt=since).count()


def is_locked(username):
    return recent_failures(username) >= settings.LOGIN_LOCKOUT_ATTEMPTS


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses locked user names before checking the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is not None and is_locked(username):
            # PermissionDenied stops every backend and fires user_login_failed.
            raise PermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD

    def get_user(self, user_id):
        """The signed-in user of a request, with the officer profile in the same
        query (nearly every page of an officer needs it)."""
        from django.contrib.auth import get_user_model

        try:
            user = get_user_model()._default_manager.select_related("officer").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
