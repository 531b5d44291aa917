"""The repeated parts of an exam paper, written in one pass each.

    {% load paper_tags %}
    {% answer_options q %}             {# the <li> of a choice, true/false or discretion question #}
    {% question_nav nav paper_url show_all %}   {# the numbered links of the question navigation #}

A whole paper holds 30 or more questions of four or more options each, and every officer of an
exam opens it in the same minutes: rendered node by node, these loops were most of the page's
CPU. Every value is escaped as a template escapes it (``_text``: the standard library's
``html.escape``, which Django's ``escape`` calls); the markup around them is fixed. Numbers
(positions, level orders) are written unlocalised: they name form fields."""
from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _text(value):
    """``value`` as text in HTML, escaped as ``{{ value }}`` escapes a plain string."""
    return escape(str(value), quote=True)


def _letter(label):
    """An option's letter before its text (none for true/false)."""
    return f"<b>{_text(label)}.</b> " if label else ""


@register.simple_tag
def answer_options(q):
    """The options of ``q`` (a ``paper.public_question``) as the items of its list: radio buttons
    for a single choice or true/false question (no letter before a true/false option), check
    boxes for a multiple choice, the levels of a discretion question; checked as answered and
    disabled when the question is locked. Nothing for other question types."""
    disabled = " disabled" if q["locked"] else ""
    pos = _text(q["position"])
    if q["is_single"]:
        items = [f'<li><label><input type="radio" name="q{pos}-choice" value="{_text(o["key"])}"'
                 f'{" checked" if o["checked"] else ""}{disabled}> {_letter(o["label"])}{_text(o["text"])}</label></li>'
                 for o in q["options"]]
    elif q["is_multi"]:
        items = [f'<li><label><input type="checkbox" name="q{pos}-choices" value="{_text(o["key"])}"'
                 f'{" checked" if o["checked"] else ""}{disabled}> <b>{_text(o["label"])}.</b> {_text(o["text"])}'
                 f'</label></li>' for o in q["options"]]
    elif q["is_discretion"]:
        items = [f'<li><label><input type="radio" name="q{pos}-level" value="{_text(lv["order"])}"'
                 f'{" checked" if lv["checked"] else ""}{disabled}> {_text(lv["label"])}</label></li>'
                 for lv in q["levels"]]
    else:
        items = []
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped by _text


@register.simple_tag
def question_nav(nav, paper_url, show_all):
    """One link per question of the paper (``nav``: position, answered, current), marked
    answered, and current unless the whole paper is shown."""
    url = _text(paper_url)
    links = []
    for n in nav:
        pos = _text(n["position"])
        marks = (" is-answered" if n["answered"] else "") + (" is-current" if n["current"] and not show_all else "")
        links.append(f'<a href="{url}?q={pos}" data-position="{pos}" class="qnav-item{marks}">{pos}</a>')
    return mark_safe("".join(links))  # noqa: S308 - every value above is escaped by _text
