"""The root page of the Wagtail tree. The portal's home view answers "/" and
shows each role its dashboard; this page holds the sections (cases, courses).
Also a base the apps' listed pages share: permissions asked once per page and user."""
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PagePermissionTester


class _OnceAskedPermissionTester(PagePermissionTester):
    """Wagtail's page permissions; "may delete" is worked out once (for an editor without publish
    permission it is a query over the page's descendants, asked by both 移动 and 删除)."""

    def can_delete(self, ignore_bulk=False):
        answers = self.__dict__.setdefault("_can_delete", {})
        key = ignore_bulk or self.page.is_leaf()  # the bulk rule is about a page's children
        if key not in answers:
            answers[key] = super().can_delete(ignore_bulk)
        return answers[key]


class ListedPagePermissions:
    """Mixin for pages listed in numbers in the admin's page explorer (cases, lessons): the page
    keeps one permission tester per user and page state, so a listing row asks the database once
    rather than once per menu item."""

    def permissions_for_user(self, user):
        testers = self.__dict__.setdefault("_permission_testers", {})
        key = (user.pk, user.is_active, user.is_superuser, self.live, self.numchild, self.owner_id, self.locked,
               self.locked_by_id, self.path)
        if key not in testers:
            testers[key] = _OnceAskedPermissionTester(user, self)
        return testers[key]


class HomePage(Page):
    """Root of the site: 案例库 and 课程中心 live below it."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["casebank.CaseIndexPage", "courses.CourseIndexPage"]

    class Meta:
        verbose_name = _("首页")

    def serve(self, request, *args, **kwargs):
        return redirect("portal:home")
