"""Extra time (延长考试时间): a documented accommodation of one officer on one exam.

Set by a trainer managing the exam or by HR of the officer's unit (the views check who);
every change goes to the audit log with its reason. The extra minutes are applied when a
sitting starts (``engine.compute_deadline``); a sitting already running keeps its deadline.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from officers import audit

from .models import ExtraTime

#: The most extra time one accommodation may grant.
MAX_EXTRA_MINUTES = 600


def clean_minutes(value):
    """Minutes as an int in 0..MAX_EXTRA_MINUTES (0 removes the accommodation)."""
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("延长时间须为整数分钟。"), code="bad_minutes") from None
    if minutes < 0 or minutes > MAX_EXTRA_MINUTES:
        raise ValidationError(_("延长时间须在 0 到 %(n)s 分钟之间。") % {"n": MAX_EXTRA_MINUTES}, code="bad_minutes")
    return minutes


@transaction.atomic
def set_extra_time(exam, officer, minutes, reason, *, by, request=None):
    """Grant, change or (0 minutes) remove an officer's extra time on an exam; audited.
    Returns the ExtraTime, or None when removed. Raises ValidationError on bad input."""
    minutes = clean_minutes(minutes)
    reason = (reason or "").strip()[:500]
    if not reason:
        raise ValidationError(_("请填写延长时间的理由（如有关证明或审批文件）。"), code="no_reason")
    current = ExtraTime.objects.select_for_update().filter(exam=exam, officer=officer).first()
    before = {"minutes": current.minutes, "reason": current.reason} if current else None
    if minutes == 0:
        if current is None:
            return None
        current.delete()
        result, after = None, None
    else:
        result, _created = ExtraTime.objects.update_or_create(
            exam=exam, officer=officer, defaults={"minutes": minutes, "reason": reason, "set_by": by})
        after = {"minutes": minutes, "reason": reason}
    if before != after:
        audit.record("exam.extra_time", request=request, actor=by, officer=officer, obj=exam,
                     before=before, after=after, reason=reason)
    return result
