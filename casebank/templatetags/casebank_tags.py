"""Template tags of the case bank: citation links and assets.

    {% load casebank_tags %}
    {% casebank_assets %}                         in {% block extra_head %}
    {{ case.facts|cite_paragraphs:case.decision_date }}   plain text → <p> paragraphs with citation links
    {{ text|cite }}                               text (always escaped) or safe HTML → citation links
    {{ item.procedure|cite_steps }}               like cite_paragraphs, its own numbering as a list
"""
from django import template
from django.templatetags.static import static
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from ..citations import linkify_citations
from ..steps import split_steps

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
    return linkify_citations(mark_safe(_paragraphs(str(value))), as_of or None)  # noqa: S308 — escaped text


def _paragraphs(text):
    return "\n".join(f"<p>{escape(p)}</p>" for p in (line.strip() for line in text.split("\n")) if p)


@register.filter
def cite_steps(value, as_of=None):
    """Like cite_paragraphs, but a text numbered in its own words (（一）…（八）, 1. 2. …)
    shows its steps as a numbered list after the introduction (casebank.steps)."""
    if not value:
        return ""
    steps = split_steps(str(value))
    if not steps.items:
        return cite_paragraphs(value, as_of)
    items = "".join(f'<li><span class="step-no">{escape(marker)}</span>{_paragraphs(text)}</li>'
                    for marker, text in steps.items)
    html = f'{_paragraphs(steps.intro)}<ol class="steps">{items}</ol>'
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
