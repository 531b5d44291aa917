"""Navigation, dashboard panels and Wagtail admin screens of the case bank."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from officers import roles
from officers.scoping import own_profile
from portal.dashboard import CreateLink, NavItem, Panel

from . import case_feedback, recommend, similar_reports
from .admin_forms import ArticleChooserFilterForm
from .casework import ReportStatus
from .models import Article, CaseIndexPage, CasePage, DiscretionBenchmark, Law, LawSuccession, PowerItem


@hooks.register("academy_nav_items")
def nav_items(request):
    if not request.user.is_authenticated:
        return []
    return [
        NavItem(_("案例库"), "/cases/", order=30, match="/cases/", tab=pgettext_lazy("tab", "案例"), tab_order=15),
        NavItem(_("法规库"), reverse("casebank:law_index"), order=32, match="/statutes/"),
        NavItem(_("权力清单"), reverse("casebank:power_list"), order=34, match="/powers/"),
        NavItem(_("裁量基准"), reverse("casebank:benchmark_list"), order=36, match="/benchmarks/"),
    ]


@hooks.register("academy_nav_items")
def review_nav_item(request):
    """法制审核, a reviewer's daily destination: Wagtail's admin home, which lists what awaits review."""
    if not request.user.is_authenticated or not is_reviewer(request.user):
        return []
    return [NavItem(_("法制审核"), reverse("wagtailadmin_home"), order=38, daily=True)]


@hooks.register("academy_nav_items")
def my_bookmarks_nav_item(request):
    """我的收藏, in the menu beside 消息; on a phone the 我的 tab is marked while it is open (/my/)."""
    if own_profile(request.user) is None:
        return []
    return [NavItem(_("我的收藏"), reverse("casebank:my_bookmarks"), order=82, match="/my/bookmarks/")]


def awaiting_review(user, limit=10):
    """Pages (cases, lessons) waiting in a 法制审核 task the user may act on."""
    states = (TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS,
                                       task__groupapprovaltask__groups__in=user.groups.all())
              .select_related("workflow_state__content_type").distinct())
    if user.is_superuser:
        states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
    pages = []
    for state in states.order_by("-started_at")[:limit]:
        page = state.workflow_state.content_object
        if page is not None:
            pages.append({"page": page, "since": state.started_at, "edit": reverse("wagtailadmin_pages:edit",
                                                                                  args=[page.pk])})
    return pages


def is_reviewer(user):
    return roles.has_role(user, roles.LEGAL_REVIEWER)


class ReviewQueueHomePanel(Component):
    """Wagtail's admin home: what awaits the reviewer's 法制审核 (shown even when nothing does)."""

    name = "academy_review_queue"
    template_name = "casebank/admin/review_queue_home_panel.html"
    order = 40

    def get_context_data(self, parent_context=None):
        request = parent_context["request"]
        return {"items": awaiting_review(request.user, limit=20), "request": request}


@hooks.register("construct_homepage_panels")
def review_queue_home_panel(request, panels):
    if is_reviewer(request.user):
        # Ours lists the same task states in Chinese, with the empty case said; one list is enough.
        panels[:] = [p for p in panels if getattr(p, "name", "") != "workflow_objects_to_moderate"]
        panels.append(ReviewQueueHomePanel())


@hooks.register("academy_create_links")
def create_links(request):
    """新建案例: the add form under the case bank, for users who may add cases there."""
    index = CaseIndexPage.objects.first()
    if index is None or not index.permissions_for_user(request.user).can_add_subpage():
        return []
    return [CreateLink(_("新建案例"), reverse("wagtailadmin_pages:add", args=("casebank", "casepage", index.pk)),
                       order=10)]


def my_case_drafts(user, limit=10):
    qs = CasePage.objects.filter(owner=user).filter(has_unpublished_changes=True).order_by("-latest_revision_created_at")
    return [{"page": p, "edit": reverse("wagtailadmin_pages:edit", args=[p.pk]),
             "in_review": p.workflow_in_progress} for p in qs[:limit]]


@hooks.register("academy_dashboard_panels")
def dashboard_panels(request, role):
    user = request.user
    panels = []
    if is_reviewer(user):
        panels.append(Panel(_("待法制审核"), "casebank/panels/review_queue.html",
                            {"items": awaiting_review(user)}, order=45, slot="casebank_review"))
    if role == roles.TRAINER:
        panels.append(Panel(_("我的案例草稿"), "casebank/panels/my_drafts.html",
                            {"items": my_case_drafts(user)}, order=46, slot="casebank_drafts"))
    if role in (roles.TRAINER, roles.LEGAL_REVIEWER, roles.ADMIN):
        feedback = case_feedback.open_feedback(user)
        panels.append(Panel(_("案例反馈"), "casebank/panels/case_feedback.html",
                            {"n_open": feedback.count(), "items": feedback[:5]}, order=47, slot="casebank_feedback"))
    if role in (roles.OFFICER, roles.TRAINER, roles.LEGAL_REVIEWER):
        latest = CasePage.objects.live().order_by("-first_published_at")[:5]
        panels.append(Panel(_("最新案例"), "casebank/panels/latest_cases.html", {"cases": latest},
                            order=60, slot="casebank_latest", on_phone=False))
    return panels


# --- Snippets: 法规与清单 -----------------------------------------------------------


class LawFilterSet(WagtailFilterSet):
    class Meta:
        model = Law
        fields = ["status", "local"]


class LawViewSet(SnippetViewSet):
    model = Law
    icon = "doc-full"
    menu_label = _("法律法规")
    list_display = ["full_name", "status", "effective_date", "successor", "article_count"]
    list_per_page = 50
    search_fields = ["full_name", "short_name"]
    search_backend_name = None
    filterset_class = LawFilterSet
    ordering = ["full_name"]


class ArticleFilterSet(WagtailFilterSet):
    class Meta:
        model = Article
        fields = ["law_status"]


class ArticleChooseView(ChooseView):
    filter_form_class = ArticleChooserFilterForm


class ArticleChooseResultsView(ChooseResultsView):
    filter_form_class = ArticleChooserFilterForm


class ArticleChooserViewSet(SnippetChooserViewSet):
    """Article chooser searching the database: 《行政处罚法》第三十三条, 行政处罚法 33, or words of the text."""

    choose_view_class = ArticleChooseView
    choose_results_view_class = ArticleChooseResultsView


class ArticleViewSet(SnippetViewSet):
    chooser_viewset_class = ArticleChooserViewSet
    model = Article
    icon = "list-ol"
    menu_label = _("法条")
    list_display = ["__str__", "chapter", "law_status"]
    list_per_page = 50
    filterset_class = ArticleFilterSet
    #: Search with the database (works before the search index is built): law name and article number.
    search_fields = ["law__short_name", "number_text", "text"]
    search_backend_name = None

    def get_queryset(self, request):
        return Article.objects.select_related("law").order_by("law__full_name", "position")


class LawSuccessionViewSet(SnippetViewSet):
    model = LawSuccession
    icon = "redirect"
    menu_label = _("法律承继关系")
    list_display = ["repealed_name", "successor_name", "repeal_date"]


class PowerItemViewSet(SnippetViewSet):
    model = PowerItem
    icon = "list-ul"
    menu_label = _("权力清单")
    list_display = ["code", "name", "power_type", "implementing_body"]
    list_filter = ["power_type"]
    search_fields = ["code", "name"]


class BenchmarkViewSet(SnippetViewSet):
    model = DiscretionBenchmark
    icon = "table"
    menu_label = _("裁量基准")
    list_display = ["code", "violation", "duty_area", "power_item"]
    search_fields = ["code", "violation"]


class CasebankGroup(SnippetViewSetGroup):
    items = (LawViewSet, ArticleViewSet, LawSuccessionViewSet, PowerItemViewSet, BenchmarkViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("法规与清单")
    menu_name = "casebank"
    menu_order = 250


register_snippet(CasebankGroup)


# --- 类案检索报告 and 案例推荐 -----------------------------------------------------------


@hooks.register("academy_case_reports_due")
def due_case_reports(start, end):
    """Similar-case report assignments coming due, for officers' notices (officers.notices)."""
    return similar_reports.assignments_due(start, end)


@hooks.register("academy_dashboard_panels")
def case_work_panels(request, role):
    user = request.user
    panels = []
    officer = own_profile(user)
    if officer is not None and role == roles.OFFICER:
        rows = [row for row in similar_reports.officer_rows(officer)
                if row[1] is None or row[1].status != ReportStatus.MARKED][:3]
        may = recommend.may_recommend(user)
        if rows or may:
            panels.append(Panel(_("类案检索报告"), "casebank/panels/case_reports.html",
                                {"rows": rows, "recommend": may}, order=28, slot="casebank_reports"))
    if role in (roles.TRAINER, roles.ADMIN) and roles.has_role(user, roles.TRAINER):
        panels.append(Panel(_("待批阅类案检索报告"), "casebank/panels/report_marking.html",
                            {"n": similar_reports.awaiting_marking(user).count()}, order=47,
                            slot="casebank_report_marking"))
    return panels
