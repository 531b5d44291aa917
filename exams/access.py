"""Who may do what in the exams app: role checks and the scoping of sittings."""
from functools import wraps

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from officers import roles
from officers.roles import role_required
from officers.scoping import own_profile, visible_officers

from . import engine
from .models import Exam, Sitting


def officer_required(view):
    """A signed-in user with the officer role and a personnel profile."""

    @role_required(roles.OFFICER)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        profile = own_profile(request.user)
        if profile is None:
            return render(request, "officers/no_profile.html", status=403)
        request.officer = profile
        return view(request, *args, **kwargs)

    return wrapped


#: Trainers and superusers.
trainer_required = role_required(roles.TRAINER)


def managed_exams(user):
    """Exams a trainer manages: created by them or listing them as a manager (superusers: all)."""
    if user.is_superuser:
        return Exam.objects.all()
    if not roles.has_role(user, roles.TRAINER):
        return Exam.objects.none()
    ids = Exam.objects.filter(Q(created_by=user) | Q(managers=user)).values("pk")
    return Exam.objects.filter(pk__in=ids)


def managed_sittings(user):
    """Sittings a trainer may see: of exams they manage, by officers within their scope."""
    return Sitting.objects.filter(exam__in=managed_exams(user), officer__in=visible_officers(user))


def get_managed_exam_or_404(user, pk):
    try:
        return managed_exams(user).get(pk=pk)
    except (Exam.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


#: Who may grant extra time: trainers (for the exams they manage) and HR (any exam).
extra_time_required = role_required(roles.TRAINER, roles.HR)


def extra_time_exams(user):
    """Exams on which the user may grant extra time: any for HR (and superusers), the managed
    ones for a trainer. The officers they may grant it to are ``visible_officers(user)``."""
    if roles.has_role(user, roles.HR):
        return Exam.objects.all()
    return managed_exams(user)


def get_own_sitting_or_404(request, pk):
    try:
        return Sitting.objects.select_related("exam", "officer").get(pk=pk, officer=request.officer)
    except (Sitting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_own_answer(request, pk, position):
    """Answer line ``position`` of the officer's own sitting ``pk``, with what a save needs of
    the sitting and the question version (``engine.line_for_save``), in one query; None when
    the sitting is not theirs or has no such line."""
    try:
        pk, position = int(pk), int(position)
    except (ValueError, TypeError):
        return None
    if not (0 < pk <= engine.MAX_INT and 0 < position <= engine.MAX_INT):
        return None
    return engine.line_for_save(pk, request.officer.pk, position)
