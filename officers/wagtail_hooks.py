"""Dashboard panels, navigation and Wagtail admin screens of the officers app."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.dashboard import NavItem, Panel

from . import feedback, hours_rules, hr_lists, notices, qualifications, roles
from .models import HoursCategory, HoursRequirement, QualificationType, RequiredCourse, RequiredExam
from .scoping import own_profile, visible_officers, visible_units


@hooks.register("academy_nav_items")
def nav_items(request):
    user = request.user
    if not user.is_authenticated:
        return []
    items = [NavItem(_("首页"), reverse("portal:home"), order=0, tab=_("首页"))]
    if own_profile(user) is not None:
        items.append(NavItem(_("我的资料"), reverse("officers:my_profile"), order=99, match=("/me/", "/my/"),
                             tab=_("我的"), menu=False))
    if roles.has_role(user, roles.HR):
        items.append(NavItem(pgettext_lazy("nav", "人员"), reverse("officers:officer_list"), order=60, match="/people/",
                             daily=True))
    if roles.has_role(user, roles.TRAINER, roles.LEGAL_REVIEWER):
        items.append(NavItem(_("管理后台"), reverse("wagtailadmin_home"), order=90))
    return items


@hooks.register("academy_dashboard_panels")
def dashboard_panels(request, role):
    user = request.user
    profile = own_profile(user)
    panels = []
    if profile is not None:
        panels.append(Panel(_("我的资料"), "officers/panels/profile.html", {"profile": profile}, order=90,
                            on_phone=False))
    if role == roles.OFFICER:
        for slot, title, order in (("my_learning", _("我的学习"), 10), ("my_exams", _("我的考试"), 20),
                                   ("my_qualification", _("我的资格"), 30)):
            panels.append(Panel(title, "portal/panels/placeholder.html", {}, order=order, slot=slot,
                                placeholder=True))
    if role in (roles.HR, roles.ADMIN):
        units = visible_units(user)
        panels.append(Panel(_("本单位人员"), "officers/panels/people.html", {
            "n_officers": visible_officers(user).filter(is_active=True).count(),
            "n_units": units.count(),
        }, order=40, slot="hr_people"))
    if role in (roles.TRAINER, roles.LEGAL_REVIEWER, roles.ADMIN):
        panels.append(Panel(_("内容编写"), "portal/panels/authoring.html", {}, order=50, slot="authoring"))
    return panels


# --- Qualifications and certificates ------------------------------------------------


class QualificationTypeViewSet(SnippetViewSet):
    model = QualificationType
    icon = "success"
    menu_label = _("资格类型")
    list_display = ["name", "code", "personnel_category", "validity_months", "renewal_window_months",
                    "review_interval_months", "min_hours_per_year", "is_base", "is_active"]


register_snippet(QualificationTypeViewSet)


@hooks.register("academy_nav_items")
def qualification_nav_items(request):
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    if roles.has_role(user, roles.HR):
        items.append(NavItem(pgettext_lazy("nav", "资格管理"), reverse("officers:hr_dashboard"), order=55, match="/hr/",
                             daily=True))
    if own_profile(user) is not None:
        items.append(NavItem(_("我的资格"), reverse("officers:my_qualification"), order=30,
                             match="/my/qualification/"))
    return items


@hooks.register("academy_dashboard_panels")
def qualification_panels(request, role):
    user = request.user
    panels = []
    profile = own_profile(user)
    if role == roles.OFFICER and profile is not None:
        ev = qualifications.evaluate(profile, apply=False)
        qualifications.attach_next_steps([ev], profile)
        n_certs = profile.certificates.filter(status="valid").count()
        panels.append(Panel(_("我的资格"), "officers/panels/my_qualification.html",
                            {"ev": ev, "n_certs": n_certs}, order=30, slot="my_qualification"))
    if role in (roles.HR, roles.ADMIN):
        qtype = hr_lists.base_type()
        counts = hr_lists.counts(user, qtype=qtype) if qtype else None
        panels.append(Panel(_("执法资格"), "officers/panels/hr_qualifications.html",
                            {"qtype": qtype, "counts": counts}, order=41, slot="hr_qualifications"))
    return panels


class RequiredExamViewSet(SnippetViewSet):
    model = RequiredExam
    icon = "tick"
    menu_label = _("资格要求的考试")
    list_display = ["qualification_type", "part_name", "exam", "min_score", "valid_months", "annual"]


class RequiredCourseViewSet(SnippetViewSet):
    model = RequiredCourse
    icon = "doc-full"
    menu_label = _("资格要求的课程")
    list_display = ["qualification_type", "course"]


class HoursCategoryViewSet(SnippetViewSet):
    model = HoursCategory
    icon = "list-ul"
    menu_label = _("学时分类")
    list_display = ["name", "code", "sort_order"]


class HoursRequirementViewSet(SnippetViewSet):
    model = HoursRequirement
    icon = "time"
    menu_label = _("资格要求的学时")
    list_display = ["qualification_type", "category", "min_hours"]


register_snippet(RequiredExamViewSet)
register_snippet(RequiredCourseViewSet)


# --- Notices (消息) and citizens' feedback on the 执法证 ------------------------------------


@hooks.register("academy_nav_items")
def notice_nav_items(request):
    """消息 with the number of unread notices (one query), for a signed-in officer."""
    if own_profile(request.user) is None:
        return []
    unread = notices.unread_count(request.user)
    return [NavItem(_("消息"), reverse("officers:notices"), order=80, match="/my/notices/", badge=unread,
                    badge_label=_("条未读"))]


@hooks.register("academy_dashboard_panels")
def feedback_panels(request, role):
    """HR: the latest 投诉/表扬 about officers in scope."""
    if role not in (roles.HR, roles.ADMIN):
        return []
    qs = feedback.visible_feedback(request.user)
    return [Panel(_("群众评价"), "officers/panels/card_feedback.html", {
        "items": list(qs[:5]), "n_open_complaints": qs.filter(kind="complaint", handled_at__isnull=True).count(),
    }, order=43, slot="hr_card_feedback")]


register_snippet(HoursCategoryViewSet)
register_snippet(HoursRequirementViewSet)


@hooks.register("academy_exam_gates")
def exam_gates(officer, exams, now=None):
    """{exam id: why the officer may not sit it yet}: the annual exam waits for the year's
    hours where a qualification type says so (asked by exams.engine)."""
    today = timezone.localtime(now).date() if now is not None else timezone.localdate()
    return hours_rules.exam_gate_reasons(officer, exams, today)
