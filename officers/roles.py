"""Role names (Django groups) and helpers to ask which role a user has."""
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
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(ADMIN)
        cached = frozenset(names)
        user._academy_roles = cached
    return cached


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
