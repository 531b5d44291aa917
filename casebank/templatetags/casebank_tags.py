"""Template tags of the case bank: citation links and assets.

    {% load casebank_tags %}
    {% casebank_assets %}                         in {% block extra_head %}
    {{ case.facts|cite_paragraphs:case.decision_date }}   plain text → <p> paragraphs with citation links
    {{ text|cite }}                               text (always escaped) or safe HTML → citation links
"""
from django import template
from django.templatetags.static import static
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from ..citations import linkify_citations

register = template.Library()


@register.simple_tag
def casebank_assets():
    """Stylesheet and script for citation links (and the case bank pages)."""
    return format_html('<link rel="stylesheet" href="{}"><script src="{}" defer></script>',
                       static("casebank/casebank.css"), static("casebank/citations.js"))


@register.filter
def cite(value, as_of=None):
    """Citation links in a value: a plain string is text and is always escaped,
    whatever it contains; only a safe string (RichText, sanitised Markdown) is HTML."""
    return linkify_citations(value or "", as_of or None)


@register.filter
def cite_paragraphs(value, as_of=None):
    """Plain text with paragraphs separated by newlines → <p>…</p> with citation links.

    The whole text is linked at once so that a bare 第…条 finds the law named before it."""
    if not value:
        return ""
    paragraphs = [p.strip() for p in str(value).split("\n") if p.strip()]
    html = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return linkify_citations(mark_safe(html), as_of or None)  # noqa: S308 — built from escaped text


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def facet_query(context, key, value):
    """The current query string with one filter set (or removed when empty), back on page 1."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    if value in ("", None):
        query.pop(key, None)
    else:
        query[key] = value
    return query.urlencode()
