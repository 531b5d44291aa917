"""Role names (Django groups), helpers to ask which role a user has, and the
one decorator that guards views by role (``role_required``)."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

OFFICER = "officer"
TRAINER = "trainer"
LEGAL_REVIEWER = "legal_reviewer"
HR = "hr"
ADMIN = "admin"  # not a group: superusers

#: Groups created by migration, in the order a dashboard is chosen for a user
#: holding several (the most senior first).
ROLE_GROUPS = [HR, LEGAL_REVIEWER, TRAINER, OFFICER]

ROLE_LABELS = {
    OFFICER: _("执法队员"),
    TRAINER: _("教官"),
    LEGAL_REVIEWER: _("法制审核员"),
    HR: _("人事"),
    ADMIN: _("系统管理员"),
}


def user_roles(user):
    """Set of role names of a user (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_academy_roles", None)
    if cached is None:
        cached = remember_roles(user, user.groups.values_list("name", flat=True))
    return cached


def remember_roles(user, group_names):
    """Keep on the user, for the request, the roles held through the groups ``group_names``
    (superusers hold ADMIN too); returns them. The sign-in backend calls it with the groups it
    read together with the user (officers.auth), ``user_roles`` when nobody has."""
    names = set(group_names)
    if user.is_superuser:
        names.add(ADMIN)
    user._academy_roles = frozenset(names)
    return user._academy_roles


def has_role(user, *roles):
    """True when the user holds any of the roles (superusers hold every role)."""
    held = user_roles(user)
    return ADMIN in held or any(r in held for r in roles)


def primary_role(user):
    """The role whose dashboard the user sees first."""
    held = user_roles(user)
    if ADMIN in held:
        return ADMIN
    for role in ROLE_GROUPS:
        if role in held:
            return role
    return None


def _json_error(code, message, status):
    return JsonResponse({"error": {"code": code, "message": str(message)}}, status=status)


def role_required(*roles, json=False):
    """Decorator: the view is for signed-in users holding any of ``roles``
    (superusers hold every role); no roles: any signed-in user.

    Pages (``json=False``): an anonymous visitor is redirected to the login page
    (``login_required``, with ?next=), a user without the role gets the 403 page
    (PermissionDenied). APIs (``json=True``): the same checks answer JSON,
    ``{"error": {"code", "message"}}`` with status 401 (not signed in) or 403."""

    def decorator(view):
        if json:
            @wraps(view)
            def api_view(request, *args, **kwargs):
                if not request.user.is_authenticated:
                    return _json_error("login_required", gettext("请先登录。"), 401)
                if roles and not has_role(request.user, *roles):
                    return _json_error("permission_denied", gettext("无权访问"), 403)
                return view(request, *args, **kwargs)

            return api_view

        @wraps(view)
        def page_view(request, *args, **kwargs):
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(page_view)

    return decorator
