"""Markdown lesson text → safe HTML.

Authored Markdown is rendered with the ``markdown`` package and the output
passes an allow-list sanitiser (nh3) before anything else touches it: only the
tags and attributes below survive; scripts, styles, frames, forms, event
handlers and ``javascript:``/``data:`` URLs never reach a page. Statute
citations are linked afterwards (courses.citations).
"""
import markdown
import nh3

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

_md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def sanitize(html):
    """Apply the allow-list to an HTML fragment."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text, *, link_citations=True, as_of=None):
    """Markdown source → sanitised HTML, with statute citations linked."""
    _md.reset()
    html = sanitize(_md.convert(text or ""))
    if link_citations:
        html = citations.linkify(html, as_of=as_of)
    return html
