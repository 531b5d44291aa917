"""The case bank's Wagtail pages (案例库, 案例) and the models edited through the case bank's own
admin forms and panels: the discretion benchmarks (their form checks the levels together) and the
法制审核 review task.

This layer sits above the data (casebank.library), the rules (casebank.citations,
casebank.validation) and the forms and panels (casebank.admin_forms, casebank.panels); nothing
below imports it. ``casebank.models`` re-exports these classes."""
import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext, gettext_noop
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import GroupApprovalTask, Orderable, Page
from wagtail.search import index

from portal.models import ListedPagePermissions
from portal.params import id_param

from . import domain
from .admin_forms import BenchmarkForm, CasePageForm
from .citations import check_text
from .cited import CitedContent
from .library import Article, DutyArea, EnforcementMeasure, PowerItem
from .panels import citation_check_panel
from .validation import validate_benchmark_levels, validate_level_range

# --- Discretion benchmarks ------------------------------------------------------------


class DiscretionBenchmark(CitedContent, index.Indexed, ClusterableModel):
    """A discretion benchmark (裁量基准) for one violation, with ordered levels."""

    #: The benchmark's own texts whose citations count (法条联想), as current material; the levels'
    #: texts are indexed under each level's name (casebank.signal_handlers).
    citation_fields = ("legal_basis_text", "description")

    code = models.CharField(_("编码"), max_length=40, unique=True)
    violation = models.CharField(_("违法行为"), max_length=255)
    power_item = models.ForeignKey(PowerItem, verbose_name=_("权力清单事项"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="benchmarks")
    duty_area = models.ForeignKey(DutyArea, verbose_name=_("职责领域"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="benchmarks")
    description = models.TextField(_("说明"), blank=True)
    legal_basis_text = models.TextField(_("依据说明"), blank=True)
    article_fine_min = models.DecimalField(_("法定罚款下限（元）"), max_digits=14, decimal_places=2, null=True,
                                           blank=True, validators=[MinValueValidator(Decimal("0"))])
    article_fine_max = models.DecimalField(_("法定罚款上限（元）"), max_digits=14, decimal_places=2, null=True,
                                           blank=True, validators=[MinValueValidator(Decimal("0"))])
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    search_fields = [
        index.SearchField("violation", boost=3),
        index.AutocompleteField("violation"),
        index.SearchField("code"),
        index.SearchField("description"),
        index.FilterField("duty_area_id"),
        index.RelatedFields("duty_area", [index.FilterField("code")]),
    ]

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")]),
        FieldPanel("violation"),
        FieldRowPanel([FieldPanel("power_item"), FieldPanel("duty_area")]),
        InlinePanel("basis", heading=_("法律依据（条文）"), label=_("条文")),
        FieldPanel("legal_basis_text"),
        FieldRowPanel([FieldPanel("article_fine_min"), FieldPanel("article_fine_max")],
                      heading=_("法定罚款幅度")),
        FieldPanel("description"),
        InlinePanel("levels", heading=_("裁量等级"), label=_("等级"), min_num=1),
    ]
    base_form_class = BenchmarkForm

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.violation}"

    def get_absolute_url(self):
        return reverse("casebank:benchmark_detail", args=[self.code])

    def get_public_url(self):
        return reverse("casebank:public_benchmark_detail", args=[self.code])

    def clean(self):
        super().clean()
        if (self.article_fine_min is not None and self.article_fine_max is not None
                and self.article_fine_min > self.article_fine_max):
            raise ValidationError({"article_fine_max": ValidationError(
                _("法定罚款上限不得低于下限。"), code="article_range_inverted")})

    def validate_levels(self, levels=None):
        """Check the levels together (see casebank.validation); raises ValidationError."""
        validate_benchmark_levels(self, list(self.levels.all()) if levels is None else levels)


class DiscretionBenchmarkBasis(Orderable):
    benchmark = ParentalKey(DiscretionBenchmark, on_delete=models.CASCADE, related_name="basis")
    article = models.ForeignKey(Article, verbose_name=_("条文"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("款项说明"), max_length=120, blank=True)

    panels = [FieldPanel("article"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("法律依据")


#: The usual names of discretion levels, from the mildest.
LEVEL_WORDS = [gettext_noop("免罚"), gettext_noop("不予处罚"), gettext_noop("轻微"), gettext_noop("较轻"),
               gettext_noop("一般"), gettext_noop("较重"), gettext_noop("严重"), gettext_noop("特别严重")]


def level_label(name):
    """A level named by one of the usual words shows it in the reader's language; others as entered."""
    return gettext(name) if name in LEVEL_WORDS else name


class DiscretionLevel(Orderable):
    """One level of a benchmark (轻微 / 一般 / 较重 / 严重)."""

    benchmark = ParentalKey(DiscretionBenchmark, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("等级"), max_length=40)
    circumstances = models.TextField(_("适用情形"))
    measure = models.CharField(_("处理措施"), max_length=255, blank=True)
    fine_min = models.DecimalField(_("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("0"))])
    fine_max = models.DecimalField(_("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("0"))])
    notes = models.TextField(_("备注"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("circumstances"),
        FieldPanel("measure"),
        FieldRowPanel([FieldPanel("fine_min"), FieldPanel("fine_max")]),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("裁量等级")
        verbose_name_plural = _("裁量等级")

    def __str__(self):
        return f"{self.benchmark.violation} · {self.label}" if self.benchmark_id else self.label

    @property
    def label(self):
        return level_label(self.name)

    @property
    def order(self):
        return self.sort_order

    def clean(self):
        super().clean()
        validate_level_range(self.fine_min, self.fine_max)


# --- Cases ---------------------------------------------------------------


class CaseTag(TaggedItemBase):
    content_object = ParentalKey("casebank.CasePage", on_delete=models.CASCADE, related_name="tagged_items")


class CaseIndexPage(Page):
    """The case bank (案例库): lists the cases with filters."""

    intro = models.TextField(_("简介"), blank=True)

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["casebank.CasePage"]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    #: Facets of the case list: URL parameter → lookup on CasePage.
    FACETS = {
        "area": "duty_areas__code",
        "measure": "measures__code",
        "level": "discretion_level__name",
        "year": "decision_year",
        "district": "district",
        "tag": "tagged_items__tag__name",
    }
    FACET_LABELS = {"area": _("职责领域"), "measure": _("执法措施"), "level": _("裁量等级"), "year": _("年份"),
                    "district": _("区域"), "tag": _("标签")}
    #: Discretion levels from the mildest, for ordering the level facet.
    LEVEL_ORDER = LEVEL_WORDS
    PER_PAGE = 20

    class Meta:
        verbose_name = _("案例库")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        """Live cases under the index, filtered by duty area, measure, discretion level, year, district, tag
        and decision dates; with search conditions (keyword in a field, 结果中检索, advanced rows), exact
        matches first, then partial ones, as the search app ranks them (``academy_text_search`` hook)."""
        context = super().get_context(request, *args, **kwargs)
        filters = self.requested_filters(request)
        dates, date_error = self.requested_dates(request)
        search = self.text_search(request)
        q = (request.GET.get("q") or "").strip()[:200]
        base = self.get_cases(q if search is None else "")
        if search is not None and search["active"]:
            ranked = search["exact_ids"] + search["partial_ids"]
            base = base.filter(pk__in=ranked)
        shown = self.filtered(base, filters)
        if dates:
            shown = shown.filter(**dates)
        objects = (shown.distinct().prefetch_related("duty_areas", "measures").select_related("discretion_level"))
        exact = set()
        if search is not None and search["active"]:
            allowed = set(shown.values_list("pk", flat=True))
            ids = [pk for pk in ranked if pk in allowed]
            exact = set(search["exact_ids"]) & allowed
            search["form"] = search["counted"](len(exact), len(ids) - len(exact))
            cases = Paginator(ids, self.PER_PAGE).get_page(request.GET.get("page"))
            found = objects.in_bulk(list(cases.object_list))
            cases.object_list = [found[pk] for pk in cases.object_list if pk in found]
        else:
            cases = Paginator(objects.order_by("-decision_date", "-pk"), self.PER_PAGE).get_page(request.GET.get("page"))
        facets = self.facets(base, filters)
        chips = self.active_chips(filters, facets, q if search is None else "")
        conditions = search["form"] if search is not None else None
        context.update({
            "cases": cases, "filters": filters, "q": q, "total": cases.paginator.count,
            "facets": [(key, self.FACET_LABELS[key], facets[key]) for key in self.FACETS],
            "active": any(filters.values()) or bool(q) or bool(conditions and conditions["chips"]) or bool(dates),
            "chips": chips, "conditions": conditions, "exact_ids": exact,
            "search_error": (search or {}).get("error") or date_error,
            "date_from": request.GET.get("date_from", "")[:10], "date_to": request.GET.get("date_to", "")[:10],
        })
        return context

    def text_search(self, request):
        """The search app's answer for this list's search conditions, or None without it."""
        for provider in hooks.get_hooks("academy_text_search"):
            return provider(request.GET, CasePage.objects.live().descendant_of(self), request.path)
        return None

    def requested_dates(self, request):
        """({lookup: date} of the decision-date range, error message or "")."""
        found, error = {}, ""
        for key, lookup in (("date_from", "decision_date__gte"), ("date_to", "decision_date__lte")):
            raw = (request.GET.get(key) or "").strip()
            if not raw:
                continue
            try:
                found[lookup] = datetime.date.fromisoformat(raw[:10])
            except ValueError:
                error = gettext("日期格式应为 年-月-日，例如 2024-03-01。")
        return found, error

    def active_chips(self, filters, facets, q=""):
        """[(parameter, label, value text)] of the filters in force, for removable chips."""
        chips = [("q", _("关键词"), q)] if q else []
        for key, value in filters.items():
            if value:
                text = next((t for v, t, _n in facets[key] if v == value), value)
                chips.append((key, self.FACET_LABELS[key], text))
        return chips

    def requested_filters(self, request):
        filters = {key: (request.GET.get(key) or "").strip()[:60] for key in self.FACETS}
        if filters["year"] and id_param(filters["year"]) is None:
            filters["year"] = ""
        return filters

    def get_cases(self, q=""):
        """Live cases of this index, matching ``q`` in title, case number or violation type."""
        cases = CasePage.objects.live().descendant_of(self)
        if q:
            cases = cases.filter(models.Q(title__icontains=q) | models.Q(case_number__icontains=q)
                                 | models.Q(violation_type__icontains=q))
        return cases

    def filtered(self, cases, filters, skip=None):
        for key, value in filters.items():
            if key != skip and value:
                cases = cases.filter(**{self.FACETS[key]: value})
        return cases

    def facet_counts(self, cases, filters, key):
        """{value: number of cases} for one facet, under the other facets' filters."""
        lookup = self.FACETS[key]
        rows = (self.filtered(cases, filters, skip=key).exclude(**{f"{lookup}__isnull": True}).order_by()
                .values_list(lookup).annotate(n=models.Count("id", distinct=True)))
        return {value: n for value, n in rows if value not in ("", None)}

    def facets(self, cases, filters):
        """Per facet: [(value, label, count)] in display order."""
        counts = {key: self.facet_counts(cases, filters, key) for key in self.FACETS}
        return {
            "area": [(a.code, a.label, counts["area"].get(a.code, 0))
                     for a in DutyArea.objects.filter(kind=DutyArea.AREA)],
            "measure": [(m.code, m.label, counts["measure"][m.code]) for m in EnforcementMeasure.objects.all()
                        if m.code in counts["measure"]],
            "level": sorted(((k, level_label(k), n) for k, n in counts["level"].items()), key=lambda x: self.level_rank(x[0])),
            "year": sorted(((str(k), str(k), n) for k, n in counts["year"].items()), reverse=True),
            "district": sorted((k, k, n) for k, n in counts["district"].items()),
            "tag": sorted(((k, k, n) for k, n in counts["tag"].items()), key=lambda x: (-x[2], x[0]))[:30],
        }

    @classmethod
    def level_rank(cls, name):
        for i, word in enumerate(cls.LEVEL_ORDER):
            if word in name:
                return (i, name)
        return (len(cls.LEVEL_ORDER), name)


class CasePage(ListedPagePermissions, CitedContent, Page):
    """One enforcement case (案例) for study."""

    case_number = models.CharField(_("案号"), max_length=80, blank=True)
    decision_date = models.DateField(_("决定日期"), null=True, blank=True)
    decision_year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True, editable=False, db_index=True)
    district = models.CharField(_("区域"), max_length=60, blank=True, db_index=True)
    duty_areas = ParentalManyToManyField(DutyArea, verbose_name=_("职责领域"), blank=True, related_name="cases")
    violation_type = models.CharField(_("违法行为类型"), max_length=255, blank=True)
    measures = ParentalManyToManyField(EnforcementMeasure, verbose_name=_("执法措施"), blank=True,
                                       related_name="cases")
    fine_amount = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(Decimal("0"))])
    discretion_level = models.ForeignKey(DiscretionLevel, verbose_name=_("适用裁量等级"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="cases")
    summary = models.TextField(_("摘要"), blank=True)
    facts = models.TextField(_("案情"), blank=True)
    issues = models.TextField(_("争议焦点"), blank=True)
    legal_basis_text = models.TextField(_("法律依据说明"), blank=True)
    outcome = models.TextField(_("处理结果"), blank=True)
    review_result = models.TextField(_("复议/诉讼结果"), blank=True)
    teaching_points = models.TextField(_("评析/教学要点"), blank=True)
    discussion_questions = models.TextField(_("讨论题"), blank=True, help_text=_("每行一题"))
    tags = ClusterTaggableManager(through=CaseTag, blank=True, verbose_name=_("标签"))
    power_items = ParentalManyToManyField(PowerItem, verbose_name=_("权力清单事项"), blank=True, related_name="cases")
    is_public = models.BooleanField(_("公开（无需登录）"), default=False)
    citations_acknowledged = models.BooleanField(
        _("已核对废止法律引用"), default=False,
        help_text=_("引用了已废止或在决定日期未生效的法律时，法制审核员核对后勾选，方可发布。"))

    parent_page_types = ["casebank.CaseIndexPage"]
    subpage_types: list = []

    #: Fields whose citations are judged at the decision date (the case as decided).
    citation_fields = ("summary", "facts", "issues", "legal_basis_text", "outcome", "review_result")
    #: Fields that speak for today (commentary): citations are judged as current material.
    current_fields = ("teaching_points", "discussion_questions")
    citation_date_field = "decision_date"
    acknowledged_field = "citations_acknowledged"

    content_panels = Page.content_panels + [
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("case_number"), FieldPanel("decision_date"), FieldPanel("district")]),
            FieldPanel("duty_areas", widget=forms.CheckboxSelectMultiple),
            FieldPanel("violation_type"),
            FieldPanel("measures", widget=forms.CheckboxSelectMultiple),
            FieldRowPanel([FieldPanel("fine_amount"), FieldPanel("discretion_level")]),
            FieldPanel("is_public"),
        ], heading=_("基本信息")),
        FieldPanel("summary"),
        FieldPanel("facts"),
        FieldPanel("issues"),
        InlinePanel("legal_basis", heading=_("法律依据（条文）"), label=_("条文")),
        FieldPanel("legal_basis_text"),
        InlinePanel("procedure_steps", heading=_("程序节点"), label=_("节点")),
        FieldPanel("outcome"),
        FieldPanel("review_result"),
        FieldPanel("teaching_points"),
        FieldPanel("discussion_questions"),
        FieldPanel("tags"),
        FieldPanel("power_items", widget=forms.CheckboxSelectMultiple),
        InlinePanel("related_links", heading=_("相关案例"), label=_("案例")),
        citation_check_panel("citations_acknowledged"),
    ]
    base_form_class = CasePageForm

    search_fields = Page.search_fields + [
        index.SearchField("case_number"),
        index.SearchField("violation_type", boost=2),
        index.SearchField("summary"),
        index.SearchField("facts"),
        index.SearchField("issues"),
        index.SearchField("legal_basis_text"),
        index.SearchField("outcome"),
        index.SearchField("teaching_points"),
        index.AutocompleteField("case_number"),
        index.FilterField("decision_year"),
        index.FilterField("decision_date"),
        index.FilterField("district"),
        index.FilterField("is_public"),
        index.RelatedFields("duty_areas", [index.FilterField("code"), index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("案例")
        verbose_name_plural = _("案例")

    def save(self, *args, **kwargs):
        self.decision_year = self.decision_date.year if self.decision_date else None
        super().save(*args, **kwargs)

    # -- the page as officers see it (live, and in the reviewer's preview) ---------------

    def serve(self, request, *args, **kwargs):
        """Public cases for everyone, the others for signed-in users."""
        if not self.is_public and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        """Everything the case page shows. Wagtail's preview renders the same context
        from the draft (its inline children and tags in memory), so the 法制审核
        reviewer sees exactly what will be published."""
        context = super().get_context(request, *args, **kwargs)
        context.update({
            "basis": self.legal_basis_articles(), "steps": self.procedure_steps.all(),
            "related": self.related_cases(), "level": self.applied_level(),
            "tags": self.tags.all(), "power_items": self.power_items.all(),
            "duty_areas": self.duty_areas.all(), "measures": self.measures.all(),
            "questions": self.question_lines(),
        })
        return context

    def legal_basis_articles(self):
        return self.legal_basis.select_related("article__law__successor").order_by("sort_order")

    def related_cases(self):
        """Related cases that are published."""
        return [link.related for link in self.related_links.select_related("related").all() if link.related.live]

    def applied_level(self):
        if not self.discretion_level_id:
            return None
        return DiscretionLevel.objects.select_related("benchmark").filter(pk=self.discretion_level_id).first()

    def question_lines(self):
        """The discussion questions, one a line."""
        return [q for q in (self.discussion_questions or "").splitlines() if q.strip()]


class CaseLegalBasis(Orderable):
    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="legal_basis")
    article = models.ForeignKey(Article, verbose_name=_("条文"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("款项/说明"), max_length=255, blank=True)

    panels = [FieldPanel("article"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("法律依据")


class CaseProcedureStep(Orderable):
    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="procedure_steps")
    stage = models.CharField(_("环节"), max_length=20, choices=domain.ProcedureStage.choices)
    date = models.DateField(_("日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    panels = [FieldRowPanel([FieldPanel("stage"), FieldPanel("date")]), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("程序节点")


class CaseRelation(Orderable):
    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(CasePage, verbose_name=_("相关案例"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("related")]

    class Meta(Orderable.Meta):
        verbose_name = _("相关案例")


# --- Review task ---------------------------------------------------------------------


class CitationReviewTask(GroupApprovalTask):
    """法制审核: a group approval task that refuses to approve content whose
    citations are wrong (unknown law or article) or need acknowledgement
    (a repealed law in current material). Such an approval sends the reviewer
    to the edit page, where the citation report lists the problems and the
    acknowledgement box can be ticked."""

    class Meta:
        verbose_name = _("法制审核（含法条引用核验）")
        verbose_name_plural = _("法制审核（含法条引用核验）")

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            obj = task_state.revision.as_object() if task_state.revision_id else None
            problems = citation_problems(obj) if obj is not None else []
            # Warnings (a repealed law in current material) hold the approval only where the
            # model offers the reviewer an acknowledgement box; errors always do.
            if problems and (any(p.is_error for p in problems)
                             or obj.acknowledged_field and not obj.citations_acknowledged_by_reviewer()):
                return reverse("wagtailadmin_pages:edit", args=[obj.pk])
        return super().on_action(task_state, user, action_name, **kwargs)


def citation_problems(obj):
    """check_text problems of the citations of a CitedContent object (none for other content)."""
    if not isinstance(obj, CitedContent):
        return []
    return [p for text, as_of in obj.citation_sections() for p in check_text(text, as_of)]

