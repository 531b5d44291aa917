"""The signed-in officer's own state on a case or an article page: the bookmark (收藏, 笔记) and
the feedback sent (反馈).

    {% load bookmark_tags %}
    {% bookmark_for case=page as mine %}      {# or article=a #}
    {% if mine %}… mine.bookmark, mine.star_url, mine.note_url …{% endif %}
    {% my_case_feedback page as feedback %}  {# feedback.sent, feedback.kinds #}

``mine`` is None for a visitor without an officer profile (anonymous on a public case): such a
visitor is shown no star, note or feedback control. Looked up once per request and object."""
from django import template
from django.urls import reverse

from officers.scoping import own_profile

from .. import bookmarks, case_feedback
from ..personal import NOTE_MAX, CaseFeedbackKind

register = template.Library()


def _profile(request):
    """The viewer's officer profile; None for a visitor without one and in Wagtail's preview."""
    if request is None or getattr(request, "is_preview", False):
        return None
    if not hasattr(request, "_casebank_officer"):
        request._casebank_officer = own_profile(request.user)
    return request._casebank_officer


@register.simple_tag(takes_context=True)
def bookmark_for(context, case=None, article=None):
    request = context.get("request")
    officer = _profile(request)
    if officer is None or (case is None) == (article is None) or getattr(case or article, "pk", None) is None:
        return None
    kind, obj = ("case", case) if case is not None else ("article", article)
    cache = request.__dict__.setdefault("_casebank_bookmarks", {})
    key = (kind, obj.pk)
    if key not in cache:
        cache[key] = {
            "kind": kind, "object": obj,
            "bookmark": bookmarks.bookmark_of(officer, **{kind: obj}),
            "star_url": reverse(f"casebank:{kind}_star", args=[obj.pk]),
            "note_url": reverse(f"casebank:{kind}_note", args=[obj.pk]),
            "note_max": NOTE_MAX,
        }
    return cache[key]


@register.simple_tag(takes_context=True)
def my_case_feedback(context, case):
    """The feedback form's choices and the signed-in officer's own feedback on the case (newest
    first); None without a profile."""
    officer = _profile(context.get("request"))
    if officer is None or getattr(case, "pk", None) is None:
        return None
    return {"sent": list(case_feedback.of_officer_on_case(officer, case)), "kinds": CaseFeedbackKind.choices,
            "text_max": case_feedback.TEXT_MAX}
