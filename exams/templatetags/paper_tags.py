"""The repeated parts of an exam paper, written in one pass each.

    {% load paper_tags %}
    {% answer_options q %}             {# the <li> of a choice, true/false or discretion question #}
    {% question_nav nav paper_url show_all %}   {# the numbered links of the question navigation #}

A whole paper holds 30 or more questions of four or more options each, and every officer of an
exam opens it in the same minutes: rendered node by node, these loops were most of the page's
CPU. Each string goes through ``format_html``, so every value is escaped as in a template.
Numbers (positions, level orders) are written unlocalised: they name form fields."""
from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_CHECKED = mark_safe(" checked")
_DISABLED = mark_safe(" disabled")
_NONE = mark_safe("")


@register.simple_tag
def answer_options(q):
    """The options of ``q`` (a ``paper.public_question``) as the items of its list: radio buttons
    for a single choice or true/false question (no letter before a true/false option), check
    boxes for a multiple choice, the levels of a discretion question; checked as answered and
    disabled when the question is locked. Nothing for other question types."""
    disabled = _DISABLED if q["locked"] else _NONE
    pos = q["position"]
    if q["is_single"]:
        return format_html_join("", '<li><label><input type="radio" name="q{}-choice" value="{}"{}{}> {}{}</label></li>', (
            (pos, o["key"], _CHECKED if o["checked"] else _NONE, disabled,
             format_html("<b>{}.</b> ", o["label"]) if o["label"] else _NONE, o["text"])
            for o in q["options"]))
    if q["is_multi"]:
        return format_html_join("", '<li><label><input type="checkbox" name="q{}-choices" value="{}"{}{}> <b>{}.</b> {}'
                                    '</label></li>', (
            (pos, o["key"], _CHECKED if o["checked"] else _NONE, disabled, o["label"], o["text"])
            for o in q["options"]))
    if q["is_discretion"]:
        return format_html_join("", '<li><label><input type="radio" name="q{}-level" value="{}"{}{}> {}</label></li>', (
            (pos, lv["order"], _CHECKED if lv["checked"] else _NONE, disabled, lv["label"])
            for lv in q["levels"]))
    return _NONE


@register.simple_tag
def question_nav(nav, paper_url, show_all):
    """One link per question of the paper (``nav``: position, answered, current), marked
    answered, and current unless the whole paper is shown."""
    return format_html_join("", '<a href="{}?q={}" data-position="{}" class="qnav-item{}{}">{}</a>', (
        (paper_url, n["position"], n["position"], mark_safe(" is-answered") if n["answered"] else _NONE,
         mark_safe(" is-current") if n["current"] and not show_all else _NONE, n["position"])
        for n in nav))
