"""Template tags of the case page's 类案推送 and 类案检索报告 links.

    {% load similar_tags %}
    {% similar_cases_for page as similar %}     [Similar] the viewer may open (casebank.similar)
    {% case_report_links page as report_links %} {"assign": url for trainers, "assignment": the
                                                  viewer's own 类案检索报告 on this case}
"""
from django import template
from django.urls import reverse

from officers import roles
from officers.scoping import own_profile

from ..similar import similar_cases
from ..similar_reports import assignments_for

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def similar_cases_for(context, page):
    if page is None or not page.pk:
        return []
    return similar_cases(page, _user(context))


@register.simple_tag(takes_context=True)
def case_report_links(context, page):
    user = _user(context)
    links = {"assign": "", "assignment": None}
    if page is None or not page.pk or not page.live or not getattr(user, "is_authenticated", False):
        return links
    if roles.has_role(user, roles.TRAINER):
        links["assign"] = reverse("casebank:report_assign", args=[page.pk])
    officer = own_profile(user)
    if officer is not None and roles.has_role(user, roles.OFFICER):
        links["assignment"] = assignments_for(officer).filter(case_id=page.pk).order_by("due_date").first()
    return links
