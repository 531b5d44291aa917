"""The training-hour ledger service: credit, add manually, reverse."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .events import hours_added
from .models import MODE_SELF_STUDY, SOURCE_MANUAL, SOURCE_REVERSAL, HoursEntry, HoursMode


def _mode(mode):
    if mode not in HoursMode.values:
        raise ValidationError(_("培训方式无效。"), code="invalid_mode")
    return mode


def credit(officer, hours, *, source, source_key, description, date=None, actor=None, category=None,
           mode=MODE_SELF_STUDY):
    """Credit hours once per (officer, source_key); repeated or concurrent calls
    return the existing entry. Returns (entry, created).

    ``category``: an HoursCategory (or its pk), None for hours that count for the yearly
    total only; ``mode``: MODE_SELF_STUDY (自学, the default) or MODE_CENTRAL (集中培训)."""
    if not source_key:
        raise ValueError("source_key is required for idempotent credit")
    existing = HoursEntry.objects.filter(officer=officer, source_key=source_key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            entry = HoursEntry.objects.create(
                officer=officer, hours=Decimal(str(hours)), source=source, source_key=source_key,
                description=description, date=date or timezone.localdate(), created_by=actor,
                category_id=getattr(category, "pk", category), mode=_mode(mode),
            )
    except IntegrityError:
        return HoursEntry.objects.get(officer=officer, source_key=source_key), False
    audit.record("hours.credit", actor=actor, officer=officer, obj=entry,
                 after={"hours": str(entry.hours), "source": source, "key": source_key,
                        "category": entry.category_id, "mode": entry.mode})
    transaction.on_commit(lambda: hours_added.send(sender=HoursEntry, officer=officer, entry=entry))
    return entry, True


def add_manual(officer, hours, *, reason, actor, date=None, request=None, category=None, mode=MODE_SELF_STUDY):
    """HR adds hours by hand, choosing the category and the mode; a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写原因。"), code="reason_required")
    hours = Decimal(str(hours))
    if hours <= 0 or hours > 200:
        raise ValidationError(_("学时须大于 0 且不超过 200。"), code="hours_range")
    with transaction.atomic():
        entry = HoursEntry.objects.create(
            officer=officer, hours=hours, source=SOURCE_MANUAL, description=_("人工录入"), reason=reason,
            date=date or timezone.localdate(), created_by=actor, category_id=getattr(category, "pk", category),
            mode=_mode(mode),
        )
        audit.record("hours.manual_add", request=request, actor=actor, officer=officer, obj=entry,
                     after={"hours": str(hours), "date": entry.date.isoformat(), "category": entry.category_id,
                            "mode": entry.mode}, reason=reason)
    transaction.on_commit(lambda: hours_added.send(sender=HoursEntry, officer=officer, entry=entry))
    return entry


def reverse(entry, *, reason, actor, request=None):
    """Cancel an entry with an opposite entry; the original stays in the ledger."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写原因。"), code="reason_required")
    if entry.source == SOURCE_REVERSAL:
        raise ValidationError(_("冲销记录不能再冲销。"), code="reverse_reversal")
    if HoursEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("该记录已冲销。"), code="already_reversed")
    try:
        with transaction.atomic():
            rev = HoursEntry.objects.create(
                officer=entry.officer, hours=-entry.hours, source=SOURCE_REVERSAL, reverses=entry,
                category_id=entry.category_id, mode=entry.mode,
                description=_("冲销：%(d)s") % {"d": entry.description}, reason=reason,
                date=timezone.localdate(), created_by=actor,
            )
            audit.record("hours.reverse", request=request, actor=actor, officer=entry.officer, obj=rev,
                         before={"entry": entry.pk, "hours": str(entry.hours)}, after={"hours": str(rev.hours)},
                         reason=reason)
    except IntegrityError:
        raise ValidationError(_("该记录已冲销。"), code="already_reversed") from None
    transaction.on_commit(lambda: hours_added.send(sender=HoursEntry, officer=entry.officer, entry=rev))
    return rev
