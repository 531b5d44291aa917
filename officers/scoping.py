"""The one place that decides whose records a user may see.

Every view, export, API and search result about people goes through
``visible_officers`` (or ``visible_units``); nothing else filters by unit.

- a superuser sees everyone;
- HR, trainers and legal reviewers see the officers of their own unit's subtree;
- an officer sees only themself;
- anyone else sees no one.
"""
from django.http import Http404

from . import roles
from .models import Officer, Unit


def own_profile(user):
    """The user's Officer profile, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.officer
    except Officer.DoesNotExist:
        return None


def visible_units(user):
    """Units whose people the user may see."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    profile = own_profile(user)
    if profile is None:
        return Unit.objects.none()
    if roles.has_role(user, roles.HR, roles.TRAINER, roles.LEGAL_REVIEWER):
        return Unit.objects.filter(path__startswith=profile.unit.path)
    return Unit.objects.filter(pk=profile.unit_id)


def visible_officers(user):
    """Officers whose records the user may see (a queryset, so callers can filter further)."""
    if not getattr(user, "is_authenticated", False):
        return Officer.objects.none()
    if user.is_superuser:
        return Officer.objects.all()
    profile = own_profile(user)
    if profile is None:
        return Officer.objects.none()
    if roles.has_role(user, roles.HR, roles.TRAINER, roles.LEGAL_REVIEWER):
        return Officer.objects.filter(unit__path__startswith=profile.unit.path)
    return Officer.objects.filter(pk=profile.pk)


def get_visible_officer_or_404(user, pk):
    """The officer with this id if the user may see them; 404 otherwise (the same
    answer whether the id exists elsewhere or not at all)."""
    try:
        return visible_officers(user).select_related("unit", "user").get(pk=pk)
    except (Officer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
