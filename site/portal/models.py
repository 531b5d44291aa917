"""The root page of the Wagtail tree. The portal's home view answers "/" and
shows each role its dashboard; this page holds the sections (cases, courses)."""
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class HomePage(Page):
    """Root of the site: 案例库 and 课程中心 live below it."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["casebank.CaseIndexPage", "courses.CourseIndexPage"]

    class Meta:
        verbose_name = _("首页")

    def serve(self, request, *args, **kwargs):
        return redirect("portal:home")
