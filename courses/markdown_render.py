"""Markdown lesson text → safe HTML.

Authored Markdown is rendered with the ``markdown`` package and the output
passes an allow-list sanitiser (nh3) before anything else touches it: only the
tags and attributes below survive; scripts, styles, frames, forms, event
handlers and ``javascript:``/``data:`` URLs never reach a page. Statute
citations are linked afterwards (courses.citations).
"""
import html as html_lib
import re

import markdown
import nh3
from django.utils.safestring import mark_safe

from . import citations

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark",
    "sub", "sup", "small", "blockquote", "code", "pre", "kbd", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "a", "img", "abbr", "span", "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
#: Absolute URLs only with these schemes; relative links to this site stay.
URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: Removed together with their content (not just the tags).
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math",
                      "textarea", "select", "title"}

#: Attributes holding URLs, checked by _url_filter.
URL_ATTRIBUTES = {"href", "src"}
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
#: Browsers drop ASCII tab and newline anywhere in a URL and C0 controls and
#: spaces around it, so "java\tscript:" is "javascript:" to them.
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]")


def _url_filter(tag, attribute, value):
    """Drop URL attributes whose scheme (as a browser would read it) is not allowed."""
    if attribute not in URL_ATTRIBUTES:
        return value
    compact = _URL_NOISE_RE.sub("", html_lib.unescape(value)).lower()
    match = _SCHEME_RE.match(compact)
    if match and match.group(1) not in URL_SCHEMES:
        return None
    if compact.startswith("//") and tag == "img":
        return None  # no images from other hosts (privacy; the site works offline)
    return _URL_NOISE_RE.sub(lambda m: "%20" if m.group() == " " else "", value.strip())


_md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def sanitize(html):
    """Apply the allow-list to an HTML fragment."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_url_filter,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text, *, link_citations=True, as_of=None):
    """Markdown source → sanitised HTML, with statute citations linked."""
    _md.reset()
    html = mark_safe(sanitize(_md.convert(text or "")))  # noqa: S308 — nh3's allow-list made it safe
    if link_citations:
        html = citations.linkify(html, as_of=as_of)
    return html
