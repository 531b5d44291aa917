"""Admin screens (Wagtail snippets for questions and exams), dashboard panels and navigation."""
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from officers import roles
from officers.scoping import own_profile
from portal.dashboard import CreateLink, NavItem, Panel

from . import engine, reports
from .access import managed_exams
from .forms import ExamAdminForm, QuestionAdminForm
from .models import Answer, Exam, Favourite, Question, Sitting, SittingStatus
from .review import wrong_items
from .views.officer import visible_exams


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("题库")
    list_display = ["text", "qtype", "category", "difficulty", "status"]
    list_filter = ["qtype", "category", "difficulty", "status"]
    search_fields = ["text"]
    question_panels = [
        FieldRowPanel([FieldPanel("qtype"), FieldPanel("category"), FieldPanel("difficulty"), FieldPanel("status")]),
        FieldPanel("text"),
        FieldPanel("image"),
        InlinePanel("options", label=_("选项（单选/多选）")),
        FieldPanel("truefalse_answer"),
        MultiFieldPanel([FieldPanel("reference_answer"), InlinePanel("rubric_points", label=_("评分要点"))],
                        heading=_("案例分析题")),
        MultiFieldPanel([FieldPanel("discretion_benchmark"), FieldPanel("discretion_levels"), FieldPanel("discretion_correct_level"),
                         FieldRowPanel([FieldPanel("discretion_amount_min"), FieldPanel("discretion_amount_max")])],
                        heading=_("裁量题")),
        MultiFieldPanel([InlinePanel("casefile_documents", label=_("案卷材料（立案审批表、询问笔录、处罚决定书等）")),
                         InlinePanel("review_items", label=_("评查标准与参考评查（一票否决、卷面 20 分、内容 80 分）")),
                         FieldPanel("casefile_conclusion")],
                        heading=_("案卷评查题")),
        FieldPanel("explanation"),
        InlinePanel("article_links", label=_("关联条文")),
        InlinePanel("case_links", label=_("关联案例")),
        FieldPanel("article_refs"),
        FieldPanel("tags"),
    ]
    edit_handler = ObjectList(question_panels, base_form_class=QuestionAdminForm)


class ExamViewSet(SnippetViewSet):
    model = Exam
    icon = "form"
    menu_label = _("考试")
    list_display = ["title", "kind", "draft", "opens_at", "closes_at"]
    list_filter = ["kind", "draft"]
    search_fields = ["title"]
    exam_panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("kind")]),
        FieldPanel("course"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("draft"), FieldPanel("mode")]),
        InlinePanel("exam_questions", label=_("固定试题")),
        InlinePanel("draw_rules", label=_("抽题规则")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("opens_at"), FieldPanel("closes_at")]),
            FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("single_attempt"), FieldPanel("counting")]),
            FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("hours")]),
        ], heading=_("时间、次数与及格")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("answer_order"), FieldPanel("max_questions")]),
            FieldRowPanel([FieldPanel("feedback"), FieldPanel("review"), FieldPanel("multi_scoring")]),
            FieldRowPanel([FieldPanel("one_per_page"), FieldPanel("blind_marking")]),
        ], heading=_("组卷与作答")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("leave_limit"), FieldPanel("away_limit_seconds"), FieldPanel("idle_minutes")]),
            FieldRowPanel([FieldPanel("block_copy"), FieldPanel("watermark"), FieldPanel("random_order")]),
        ], heading=_("考试纪律"), help_text=_("练习一般不开启。各项的事件记入考试记录，教官可在“考试纪律报告”中查看。")),
        FieldPanel("success_text"),
        FieldPanel("fail_text"),
        FieldPanel("eligible_units"),
        FieldPanel("eligible_tiers"),
        FieldPanel("managers"),
    ]
    edit_handler = ObjectList(exam_panels, base_form_class=ExamAdminForm)


class ExamsGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, ExamViewSet)
    menu_icon = "form"
    menu_label = _("考试与题库")
    menu_name = "exams"


register_snippet(ExamsGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def after_snippet_saved(request, instance):
    """Freeze a new question version after an edit; record the creator of an exam or question."""
    if isinstance(instance, Question):
        if instance.created_by_id is None:
            Question.objects.filter(pk=instance.pk).update(created_by=request.user)
        instance.publish_version()
    elif isinstance(instance, Exam) and instance.created_by_id is None:
        Exam.objects.filter(pk=instance.pk).update(created_by=request.user)
        instance.managers.add(request.user)


@hooks.register("academy_open_exams")
def open_exams(officer, **kwargs):
    """The exams an officer can take now (officers.exam_results.open_exams asks through this hook)."""
    return engine.open_exams_for(officer, **kwargs)


@hooks.register("academy_annual_sittings")
def annual_sittings(officer_ids, year, **kwargs):
    """This year's annual exam sittings and their state (officers.exam_results.annual_sittings)."""
    return engine.annual_sitting_states(officer_ids, year, **kwargs)


@hooks.register("academy_favourite_links")
def favourite_links(request):
    """试题收藏 on the case bank's 我的收藏 (casebank.bookmarks asks through this hook)."""
    profile = own_profile(request.user)
    if profile is None or not roles.has_role(request.user, roles.OFFICER):
        return []
    return [(_("试题收藏"), reverse("exams:practice_favourites"), Favourite.objects.filter(officer=profile).count())]


@hooks.register("academy_create_links")
def create_links(request):
    """新建试题: the question bank's add form."""
    if not request.user.has_perm("exams.add_question"):
        return []
    return [CreateLink(_("新建试题"), reverse(Question.snippet_viewset.get_url_name("add")), order=30)]


@hooks.register("academy_nav_items")
def nav_items(request):
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    # "考试" covers /exams/ except the pages that have their own item.
    own_item = request.path.startswith(("/exams/wrong", "/exams/bank", "/exams/marking", "/exams/manage",
                                         "/exams/practice", "/exams/reports", "/exams/extra-time"))
    if roles.has_role(user, roles.OFFICER):
        items.append(NavItem(pgettext_lazy("nav", "考试"), reverse("exams:exam_list"), order=20,
                             match="" if own_item else "/exams/", tab=pgettext_lazy("nav", "考试")))
        items.append(NavItem(_("练习"), reverse("exams:practice"), order=21, match="/exams/practice/"))
        items.append(NavItem(_("错题本"), reverse("exams:wrong_book"), order=22, match="/exams/wrong/"))
    if roles.has_role(user, roles.HR) and not user.is_superuser:
        items.append(NavItem(_("延长考试时间"), reverse("exams:extra_time_index"), order=43,
                             match="/exams/extra-time/"))
    if roles.has_role(user, roles.TRAINER):
        items.append(NavItem(_("题库"), reverse("exams:bank"), order=40, match="/exams/bank/", daily=True))
        items.append(NavItem(_("阅卷"), reverse("exams:marking"), order=41, match="/exams/marking/", daily=True))
        items.append(NavItem(_("试卷分析"), reverse("exams:manage"), order=42, match="/exams/manage/"))
    return items


@hooks.register("academy_dashboard_panels")
def dashboard_panels(request, role):
    user = request.user
    panels = []
    profile = own_profile(user)
    if profile is not None and roles.has_role(user, roles.OFFICER) and role in (roles.OFFICER, roles.ADMIN):
        exams = visible_exams(profile)[:5]
        open_ids = set(Sitting.objects.filter(officer=profile, status=SittingStatus.OPEN)
                       .values_list("exam_id", flat=True))
        recent = list(Sitting.objects.filter(officer=profile).exclude(status=SittingStatus.OPEN)
                      .select_related("exam").order_by("-started_at")[:5])
        panels.append(Panel(_("我的考试"), "exams/panels/my_exams.html", {
            "exams": [{"exam": e, "in_progress": e.pk in open_ids} for e in exams],
            "recent": recent,
            "n_wrong": wrong_items(profile).count(),
        }, order=20, slot="my_exams"))
    if role in (roles.TRAINER, roles.ADMIN):
        mine = managed_exams(user)
        panels.append(Panel(_("考试与阅卷"), "exams/panels/trainer.html", {
            "n_exams": mine.count(),
            "n_marking": Answer.objects.filter(sitting__exam__in=mine, sitting__status=SittingStatus.MARKING,
                                               needs_marking=True, marked_at__isnull=True).count(),
            "n_reports": reports.open_count(user),
            "n_open": Sitting.objects.filter(exam__in=mine, status=SittingStatus.OPEN).count(),
            "upcoming": mine.filter(draft=False).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()))
            .order_by("closes_at")[:5],
        }, order=45, slot="exams_trainer"))
    return panels
