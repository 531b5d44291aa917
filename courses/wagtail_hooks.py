"""Dashboard panel (我的学习), navigation and admin screens of the courses app."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from officers import roles
from officers.scoping import own_profile
from portal.dashboard import CreateLink, NavItem, Panel

from .choosers import article_chooser_viewset
from .learning import assignments_due, my_learning
from .pages import CourseIndexPage, CoursePage
from .records import OnsiteSession


@hooks.register("register_admin_viewset")
def register_article_chooser():
    return article_chooser_viewset


def course_index_url():
    index = CourseIndexPage.objects.live().first()
    return index.url if index is not None else None


@hooks.register("academy_create_links")
def create_links(request, limit=20):
    """新建课时: the add form under a course (the most recently edited first), for users
    who may add pages in the course centre."""
    index = CourseIndexPage.objects.first()
    if index is None or not index.permissions_for_user(request.user).can_add_subpage():
        return []
    courses = CoursePage.objects.descendant_of(index).order_by("-latest_revision_created_at", "path")[:limit]
    choices = [(c.get_admin_display_title(), reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", c.pk)))
               for c in courses]
    return [CreateLink(_("新建课时"), choices=choices, order=20),
            CreateLink(_("新建课程"), reverse("wagtailadmin_pages:add", args=("courses", "coursepage", index.pk)),
                       order=25)]


@hooks.register("academy_nav_items")
def nav_items(request):
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    url = course_index_url()
    if own_profile(user) is not None:
        items.append(NavItem(_("我的学习"), reverse("courses:my_learning"), order=10,
                             match=("/learning/", url) if url else "/learning/", tab=_("学习")))
    if url:
        items.append(NavItem(_("课程中心"), url, order=15, match=url))
    if roles.has_role(user, roles.TRAINER, roles.HR):
        items.append(NavItem(_("培训指派"), reverse("courses:assignments"), order=55,
                             match="/learning/assignments/"))
    return items


@hooks.register("academy_assignments_due")
def due_assignments(start, end):
    """Assigned courses coming due, for officers' notices (officers.notices)."""
    return assignments_due(start, end)


@hooks.register("academy_dashboard_panels")
def dashboard_panels(request, role):
    panels = []
    officer = own_profile(request.user)
    if officer is not None and (role == roles.OFFICER or roles.has_role(request.user, roles.OFFICER)):
        data = my_learning(officer, upcoming_limit=3)
        panels.append(Panel(_("我的学习"), "courses/panels/my_learning.html", data, order=10, slot="my_learning",
                            wide=True))
    if role in (roles.HR, roles.TRAINER, roles.ADMIN):
        panels.append(Panel(_("培训完成情况"), "courses/panels/training_admin.html", {}, order=45,
                            slot="training_admin"))
    return panels


class OnsiteSessionViewSet(SnippetViewSet):
    model = OnsiteSession
    icon = "group"
    menu_label = _("现场教学")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "course", "starts_at", "place", "capacity", "hours"]
    list_filter = ["course"]
    search_fields = ["title", "place"]


register_snippet(OnsiteSessionViewSet)
