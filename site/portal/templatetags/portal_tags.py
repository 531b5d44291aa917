from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import ngettext

from portal.dashboard import create_links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters when paginating)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.inclusion_tag("portal/includes/create_links.html", takes_context=True)
def create_links(context):
    """The "新建…" entry points the viewer may use (the apps' academy_create_links hooks)."""
    return {"links": create_links_for(context["request"])}


@register.filter
def hours(value):
    """A number of training hours in the reader's language: "6 学时"; "1 training hour", "1.5 training
    hours" (only exactly one takes the singular)."""
    if value in (None, ""):
        return ""
    return ngettext("%(n)s 学时", "%(n)s 学时", 1 if value == 1 else 2) % {"n": floatformat(value, -1)}
