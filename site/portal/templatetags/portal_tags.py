from django import template

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
