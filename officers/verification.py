"""Public certificate verification (证书查验): no login, rate-limited per client
address (VERIFY_RATE_LIMIT, counted once per lookup in the shared cache).

A known and an unknown code get the same page shape after the same single
indexed query; the page shows only the status, what the certificate is for,
its dates, the holder's masked name and unit.

The 执法证's own page (``card_verify``, reached by its QR code) shows what
officers.feedback allows and takes a citizen's 投诉 or 表扬 (CSRF-protected,
rate-limited per client address by CARD_FEEDBACK_RATE_LIMIT); an unknown code
gets only the message.
"""
import re

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import feedback, ratelimit
from .audit import client_ip
from .feedback import mask_name
from .models import Certificate

CODE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _rate():
    return getattr(settings, "VERIFY_RATE_LIMIT", "30/m")


def rate_limited(request, scope="verify"):
    """Count one lookup by this client (officers.audit.client_ip) in the shared cache;
    True when the client has used up VERIFY_RATE_LIMIT."""
    return ratelimit.hit(scope, client_ip(request), _rate())


def _too_many(request):
    response = render(request, "officers/certificates/verify.html", {"limited": True}, status=429)
    response["Retry-After"] = str(ratelimit.parse_rate(_rate())[1])
    return response


def _headers(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def verify_form(request):
    """The form to type a code in (GET, works without JavaScript)."""
    code = (request.GET.get("code") or "").strip()
    if code:
        if CODE_RE.fullmatch(code):
            # Counted once, by the page it leads to (verify_code).
            return redirect(reverse("officers:verify_code", args=[code]))
        if rate_limited(request):
            return _too_many(request)
        # Not a possible code: the same "not found" page, without a redirect.
        Certificate.objects.filter(code=code[:64]).only("pk").first()
        return _headers(render(request, "officers/certificates/verify.html",
                               {"result": None, "code": code[:64], "checked": True}))
    return _headers(render(request, "officers/certificates/verify.html", {"form_only": True}))


@never_cache
@require_GET
def verify_code(request, code):
    """The verification result for a code: the same template, known or not."""
    if rate_limited(request):
        return _headers(_too_many(request))
    cert = (Certificate.objects.filter(code=code[:64])
            .only("kind", "subject", "issued_at", "valid_until", "status", "holder_name", "unit_name", "number")
            .first())
    result = None
    if cert is not None:
        result = {
            "status": cert.status, "status_label": cert.get_status_display(), "kind": cert.get_kind_display(),
            "subject": cert.subject, "issued_at": cert.issued_at, "valid_until": cert.valid_until,
            "holder": mask_name(cert.holder_name), "unit": cert.unit_name, "number": cert.number,
        }
    return _headers(render(request, "officers/certificates/verify.html", {"result": result, "code": code[:64],
                                                                         "checked": True}))


# --- The 执法证's own page (officers.feedback) ------------------------------------------


def _feedback_rate():
    return getattr(settings, "CARD_FEEDBACK_RATE_LIMIT", "5/h")


@never_cache
@require_http_methods(["GET", "POST"])
def card_verify(request, code):
    """The public page of a 执法证 (its QR code leads here) with the 投诉/表扬 form.
    Looking up counts against VERIFY_RATE_LIMIT; leaving feedback also against
    CARD_FEEDBACK_RATE_LIMIT. An unknown code gets only the message."""
    if rate_limited(request):
        return _headers(_too_many(request))
    card = feedback.find_card(code[:64])
    if card is None:
        return _headers(render(request, "officers/certificates/card.html", {"card": None}, status=404))
    form = feedback.FeedbackForm()
    if request.method == "POST":
        form = feedback.FeedbackForm(request.POST)
        if ratelimit.hit("card_feedback", client_ip(request), _feedback_rate()):
            form.add_error(None, _("提交过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            feedback.submit(card, **form.cleaned_data)
            messages.success(request, _("已收到您的意见，感谢监督。"))
            return redirect(feedback.card_path(card))
        else:
            status = 400
    else:
        status = 200
    return _headers(render(request, "officers/certificates/card.html", {
        "card": card, "info": feedback.public_view(card), "form": form,
    }, status=status))
