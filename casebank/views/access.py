"""Who may see what in the case bank."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from officers import roles

STAFF_ROLES = (roles.TRAINER, roles.LEGAL_REVIEWER, roles.HR)


def staff_required(view):
    """Logged-in trainers, legal reviewers, HR and administrators."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles.has_role(request.user, *STAFF_ROLES):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def is_editor(user):
    return roles.has_role(user, roles.TRAINER, roles.LEGAL_REVIEWER)
