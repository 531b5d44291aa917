"""The QR code of an officer's 执法证, leading to its public page (officers.feedback)."""
from django import template

from .. import feedback
from ..certpdf import qr_svg_path

register = template.Library()


@register.inclusion_tag("officers/certificates/_card_qr.html")
def enforcement_card_qr(officer):
    """An inline SVG QR code of the 执法证's public address (nothing when it has no number)."""
    if officer is None or not officer.certificate_number:
        return {"card": None}
    card = feedback.card_for(officer)
    url = feedback.card_url(card)
    side, path = qr_svg_path(url)
    return {"card": card, "url": url, "side": side, "path": path}


@register.inclusion_tag("officers/hr/_card_feedback.html", takes_context=True)
def card_feedback_section(context, officer, limit=20):
    """HR's view of the 投诉/表扬 citizens left about an officer (the viewer's scope decides)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    items = list(feedback.visible_feedback(user).filter(officer=officer)[:limit]) if user else []
    return {"items": items, "officer": officer, "request": request, "csrf_token": context.get("csrf_token")}
