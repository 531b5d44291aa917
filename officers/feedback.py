"""The public page of a 执法证 and what citizens leave on it (投诉 / 表扬).

A 执法证 is the officer's base qualification record with its number
(``Officer.certificate_number``). Its QR code carries a random code
(``EnforcementCard.code``, 192 bits) that leads to a public page showing only:
the holder's masked name (张*三), the card's masked number, status and validity, the
执法区域 (the officer's unit), the 执法类别 and the 执法权来源 (the base
qualification type's ``enforcement_category`` and ``authority_source``, or its
name and the bureau's name). Never the full name, the employee number or a
photo.

A citizen may leave a 投诉 or 表扬 there without logging in (rate-limited per
client address by the view). HR sees them for the officers in their scope
(``visible_feedback``) and marks them handled; a 表扬 also reaches the officer
as a notice.
"""
import secrets

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import notices
from .hr_lists import base_type, status_display, status_label
from .models import (
    FEEDBACK_MAX_LENGTH, CardFeedback, EnforcementCard, FeedbackKind, NoticeKind, Q_NOT_QUALIFIED,
    QualificationRecord,
)
from .scoping import visible_officers

#: Characters a card code may contain (token_urlsafe).
CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def mask_name(name):
    """张*三; two-character names 张*; longer names keep the first and last character."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_number(number):
    """320***888: enough for a citizen holding the card to match it, not to copy it
    (long numbers keep three characters at each end, short ones one)."""
    number = (number or "").strip()
    if len(number) <= 4:
        return "*" * len(number)
    keep = 3 if len(number) > 6 else 1
    return number[:keep] + "*" * (len(number) - 2 * keep) + number[-keep:]


def new_code():
    return secrets.token_urlsafe(24)


def card_for(officer):
    """The officer's EnforcementCard, created with a fresh code on first use."""
    card = EnforcementCard.objects.filter(officer=officer).first()
    if card is not None:
        return card
    try:
        with transaction.atomic():
            return EnforcementCard.objects.create(officer=officer, code=new_code())
    except IntegrityError:  # created concurrently
        return EnforcementCard.objects.get(officer=officer)


def card_path(card):
    return reverse("officers:card_verify", args=[card.code])


def card_url(card):
    """The absolute address in the QR code, on the site's public address (like certificates)."""
    return settings.ACADEMY_PUBLIC_URL.rstrip("/") + card_path(card)


def valid_code(code):
    return bool(code) and len(code) <= 64 and set(code) <= CODE_CHARS


def find_card(code):
    """The card with this code (with its officer and unit), or None."""
    if not valid_code(code):
        return None
    return EnforcementCard.objects.filter(code=code).select_related("officer__unit").first()


def public_view(card, today=None):
    """What the public page shows of a card: plain values, nothing else about the officer."""
    today = today or timezone.localdate()
    officer = card.officer
    qtype = base_type()
    rec = (QualificationRecord.objects.filter(officer=officer, qualification_type=qtype)
           .only("status", "expires_at", "granted_at").first() if qtype else None)
    code = status_label(rec, today) if rec else Q_NOT_QUALIFIED
    valid = officer.is_active and bool(officer.certificate_number) and code in ("qualified", "expiring")
    if not officer.is_active:
        label = _("证件无效（持证人已不在执法岗位）")
    elif not officer.certificate_number:
        label = _("未取得执法证")
    else:
        label = status_display(code)
    return {
        "valid": valid,
        "status": code,
        "status_label": label,
        "holder": mask_name(officer.full_name),
        "number": mask_number(officer.certificate_number),
        "granted_at": rec.granted_at if rec else None,
        "expires_at": rec.expires_at if rec else None,
        "area": officer.unit.full_name,
        "category": (qtype.enforcement_category or qtype.name) if qtype else "",
        "authority": (qtype.authority_source if qtype and qtype.authority_source else settings.ACADEMY_BUREAU_NAME),
    }


# --- Feedback -------------------------------------------------------------------------------


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=FeedbackKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("请选择投诉或表扬。"),
                                             "invalid_choice": _("请选择投诉或表扬。")})
    text = forms.CharField(label=_("内容"), max_length=FEEDBACK_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4, "maxlength": FEEDBACK_MAX_LENGTH}),
                           error_messages={"required": _("请填写内容。"),
                                           "max_length": _("内容最多 %(limit_value)d 字（现为 %(show_value)d 字）。")})
    contact = forms.CharField(label=_("联系方式（选填）"), max_length=100, required=False,
                              error_messages={"max_length": _("联系方式最多 %(limit_value)d 字。")})


def submit(card, *, kind, text, contact=""):
    """Record a citizen's feedback on a card; a 表扬 also reaches the officer as a notice."""
    item = CardFeedback.objects.create(officer=card.officer, kind=kind, text=text.strip(), contact=contact.strip())
    if kind == FeedbackKind.PRAISE:
        notices.notify(card.officer_id, NoticeKind.FEEDBACK, f"feedback:{item.pk}", params={"text": item.text},
                       link=reverse("officers:my_qualification") + "#enforcement-card")
    return item


def visible_feedback(user):
    """Feedback on the officers the user may see (officers.scoping), newest first."""
    return (CardFeedback.objects.filter(officer__in=visible_officers(user))
            .select_related("officer__unit").order_by("-created_at", "-id"))


def mark_handled(item, user):
    if item.handled_at is None:
        CardFeedback.objects.filter(pk=item.pk, handled_at__isnull=True).update(handled_at=timezone.now(),
                                                                                handled_by=user)
