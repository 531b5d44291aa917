"""Question bank, exams, sittings and answers.

A question is edited in place until someone has answered it; from then on an
edit creates a new immutable ``QuestionVersion`` so every past sitting keeps
the exact text, options and key it was graded against. Sittings reference
versions, never the live question.
"""
import hashlib
import json
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from casebank.domain import CATEGORY_CHOICES, CATEGORY_LABELS
from casebank.models import DutyArea
from officers.models import TIER_LABELS

# The question types live in exams.questiontypes (shared with exams.validation); re-exported here.
from .questiontypes import (  # noqa: F401
    CHOICE_TYPES, DEDUCTION_KINDS, QTYPE_LABELS, SECTION_POINTS, CaseFileConclusion, QuestionType, ReviewItemKind,
)
from .validation import question_errors

# --- Difficulty, status -------------------------------------------------------------


class Difficulty(models.IntegerChoices):
    EASY = 1, _("易")
    MEDIUM = 2, _("中")
    HARD = 3, _("难")


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("启用")
    RETIRED = "retired", _("停用")


TRUE_KEY = "T"
FALSE_KEY = "F"


def money(value):
    """A decimal as a canonical string ("500.00"), so a version's digest does not depend on
    whether a value came from a form or the database."""
    if value in (None, ""):
        return None
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def category_label(code):
    return CATEGORY_LABELS.get(code, code)


class Question(ClusterableModel):
    """A question of the bank (题库)."""

    qtype = models.CharField(_("题型"), max_length=16, choices=QuestionType.choices, default=QuestionType.SINGLE)
    text = models.TextField(_("题干"))
    #: Duty area or subject code (casebank.domain.CATEGORY_CHOICES).
    category = models.CharField(_("类别"), max_length=32, choices=CATEGORY_CHOICES, db_index=True)
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Difficulty.choices,
                                                  default=Difficulty.MEDIUM)
    explanation = models.TextField(_("解析"), blank=True)
    reference_answer = models.TextField(_("参考答案"), blank=True, help_text=_("案例分析题的参考答案"))
    #: For true/false questions: the right answer.
    truefalse_answer = models.BooleanField(_("判断题答案"), null=True, blank=True)
    #: Discretion questions: the levels offered (order, name, fine band), the right level and amount band.
    discretion_levels = models.JSONField(
        _("裁量等级"), default=list, blank=True,
        help_text=_('如 [{"order": 1, "name": "轻微", "fine_min": 0, "fine_max": 500}]；关联裁量基准时自动取基准等级'),
    )
    discretion_correct_level = models.PositiveSmallIntegerField(_("正确裁量等级（序号）"), null=True, blank=True)
    discretion_amount_min = models.DecimalField(_("罚款下限（元）"), max_digits=12, decimal_places=2, null=True,
                                                blank=True)
    discretion_amount_max = models.DecimalField(_("罚款上限（元）"), max_digits=12, decimal_places=2, null=True,
                                                blank=True)
    #: The duty area / subject record of ``category`` (kept in step on save).
    duty_area = models.ForeignKey("casebank.DutyArea", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", editable=False)
    #: A discretion question graded by a published benchmark: its levels are offered.
    discretion_benchmark = models.ForeignKey(
        "casebank.DiscretionBenchmark", null=True, blank=True, on_delete=models.SET_NULL, related_name="questions",
        verbose_name=_("裁量基准"),
    )
    #: 案卷评查: the trainer's reference conclusion (the documents and the 评查标准 items with the
    #: reference findings are CaseFileDocument and ReviewItem children).
    casefile_conclusion = models.CharField(_("参考评查结论"), max_length=8, choices=CaseFileConclusion.choices,
                                           blank=True, help_text=_("案卷评查题：认定一票否决项的案卷只能是不合格卷"))
    #: Statute citations as text, e.g. ["中华人民共和国行政处罚法 第三十三条"].
    article_refs = models.JSONField(_("法条依据"), default=list, blank=True)
    #: Real tags (taggit, like case tags): draw rules and the bank filter match a tag exactly.
    tags = ClusterTaggableManager(through="QuestionTag", blank=True, verbose_name=_("标签"),
                                  help_text=_("每个标签单独输入；抽题规则和题库筛选按标签完全匹配"))
    status = models.CharField(_("状态"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.ACTIVE,
                              db_index=True)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("配图"))
    #: The version new sittings use.
    current_version = models.ForeignKey("QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", editable=False)
    #: sha256 of the normalised text: duplicates (same text) are found with it.
    text_hash = models.CharField(max_length=64, db_index=True, editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "qtype", "category", "difficulty"])]

    def __str__(self):
        return f"[{self.get_qtype_display()}] {self.text[:40]}"

    @staticmethod
    def hash_text(text):
        normal = "".join((text or "").split())
        return hashlib.sha256(normal.encode("utf-8")).hexdigest()

    def save(self, *args, **kwargs):
        self.text_hash = self.hash_text(self.text)
        if self.category and (self.duty_area_id is None or self.duty_area.code != self.category):
            self.duty_area = DutyArea.objects.filter(code=self.category).first()
        super().save(*args, **kwargs)

    @property
    def tag_list(self):
        """Tag names, sorted (uses prefetched tags when there are)."""
        return sorted(t.name for t in self.tags.all())

    def clean(self):
        """The question must be gradeable (exams.validation.validate_question); the admin form hands
        over the options and rubric points being edited before this runs."""
        super().clean()
        errors = question_errors(self)
        if errors:
            raise ValidationError(errors)

    def category_label(self):
        return category_label(self.category)

    # -- versions --------------------------------------------------------------

    def content(self):
        """The graded content as a plain dict: what a version freezes."""
        data = {
            "qtype": self.qtype,
            "text": self.text,
            "category": self.category,
            "difficulty": self.difficulty,
            "explanation": self.explanation,
            "reference_answer": self.reference_answer,
            "articles": list(self.article_refs or []),
            "article_links": [
                {"label": f"{link.article.law.short_name or link.article.law.full_name} {link.article.number_text}",
                 "url": link.article.get_absolute_url()}
                for link in self.article_links.select_related("article__law") if link.article_id
            ] if self.pk else [],
            "case_links": [
                {"label": link.case.title, "url": link.case.url or ""}
                for link in self.case_links.select_related("case") if link.case_id
            ] if self.pk else [],
            "image_id": self.image_id,
        }
        if self.qtype in CHOICE_TYPES:
            data["options"] = [
                {"key": str(i + 1), "text": o.text, "correct": bool(o.is_correct)}
                for i, o in enumerate(self.options.all())
            ]
        elif self.qtype == QuestionType.TRUEFALSE:
            data["options"] = [
                {"key": TRUE_KEY, "text": str(_("正确")), "correct": self.truefalse_answer is True},
                {"key": FALSE_KEY, "text": str(_("错误")), "correct": self.truefalse_answer is False},
            ]
        elif self.qtype == QuestionType.CASE:
            data["rubric"] = [
                {"key": str(i + 1), "text": p.text, "score": money(p.score)}
                for i, p in enumerate(self.rubric_points.all())
            ]
        elif self.qtype == QuestionType.DISCRETION:
            data["discretion"] = {
                "levels": self.discretion_level_list(),
                "correct_level": self.discretion_correct_level,
                "amount_min": money(self.discretion_amount_min),
                "amount_max": money(self.discretion_amount_max),
            }
        elif self.qtype == QuestionType.CASEFILE:
            data["casefile"] = {
                "documents": [doc.content(i) for i, doc in enumerate(self.casefile_documents.all(), start=1)],
                "items": [item.content(i) for i, item in enumerate(self.review_items.all(), start=1)],
                "conclusion": self.casefile_conclusion,
            }
        return data

    def discretion_level_list(self):
        """Levels offered to the officer: [{order, name, fine_min, fine_max}]. Override point for
        a linked discretion benchmark."""
        levels = []
        if self.discretion_benchmark_id:
            for i, lv in enumerate(self.discretion_benchmark.levels.all(), start=1):
                levels.append({
                    "order": i, "name": lv.name,
                    "fine_min": money(lv.fine_min),
                    "fine_max": money(lv.fine_max),
                })
            return levels
        for lv in self.discretion_levels or []:
            levels.append({
                "order": int(lv.get("order")),
                "name": str(lv.get("name", "")),
                "fine_min": money(lv.get("fine_min")),
                "fine_max": money(lv.get("fine_max")),
            })
        return sorted(levels, key=lambda lv: lv["order"])

    @transaction.atomic
    def publish_version(self):
        """Freeze the current content. The current version is updated in place while no
        sitting references it; otherwise a new version is created. Returns the version."""
        data = self.content()
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        current = self.current_version
        if current is not None and current.digest == digest:
            return current
        if current is not None and not current.answers.exists():
            current.content = data
            current.digest = digest
            current.save(update_fields=["content", "digest"])
            return current
        number = (self.versions.aggregate(m=models.Max("number"))["m"] or 0) + 1
        version = QuestionVersion.objects.create(question=self, number=number, content=data, digest=digest)
        Question.objects.filter(pk=self.pk).update(current_version=version)
        self.current_version = version
        return version


class QuestionTag(TaggedItemBase):
    """A tag of a question (the tags themselves are shared with case tags)."""

    content_object = ParentalKey(Question, on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("试题标签")
        verbose_name_plural = _("试题标签")


class Option(models.Model):
    """A choice of a single- or multiple-choice question."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    text = models.CharField(_("选项内容"), max_length=500)
    is_correct = models.BooleanField(_("正确"), default=False)

    #: The admin's inline form orders options by dragging (modelcluster fills sort_order).
    sort_order_field = "sort_order"
    panels = [FieldPanel("text"), FieldPanel("is_correct")]

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.text


class RubricPoint(models.Model):
    """A scored point of a case-analysis question's rubric (评分要点)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="rubric_points")
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    text = models.CharField(_("评分要点"), max_length=500)
    score = models.DecimalField(_("分值"), max_digits=6, decimal_places=1, default=Decimal("1"))

    sort_order_field = "sort_order"
    panels = [FieldPanel("text"), FieldPanel("score")]

    class Meta:
        verbose_name = _("评分要点")
        verbose_name_plural = _("评分要点")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return f"{self.text}（{self.score}）"


class CaseFileDocument(models.Model):
    """A document of a 案卷评查 question's case file (立案审批表, 询问笔录, 处罚决定书 …): its text,
    an attachment (a scan, a PDF), or both."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="casefile_documents")
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("文书名称"), max_length=100)
    text = models.TextField(_("文书内容"), blank=True)
    attachment = models.ForeignKey("wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("附件"))

    sort_order_field = "sort_order"
    panels = [FieldPanel("title"), FieldPanel("text"), FieldPanel("attachment")]

    class Meta:
        verbose_name = _("案卷材料")
        verbose_name_plural = _("案卷材料")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.title

    def content(self, number):
        attachment = None
        if self.attachment_id and self.attachment is not None:
            attachment = {"title": self.attachment.title, "url": self.attachment.url}
        return {"key": str(number), "title": self.title, "text": self.text, "attachment": attachment}


class ReviewItem(models.Model):
    """An item of a 案卷评查 question's 评查标准, with the trainer's reference evaluation: whether
    the case file has this problem and, for a 卷面 / 内容 item, the deduction."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="review_items")
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    kind = models.CharField(_("类别"), max_length=8, choices=ReviewItemKind.choices, default=ReviewItemKind.CONTENT)
    text = models.CharField(_("评查项目"), max_length=300)
    max_deduction = models.DecimalField(_("最高扣分"), max_digits=5, decimal_places=1, null=True, blank=True,
                                        help_text=_("卷面、内容项目填写；一票否决项目留空"))
    finding = models.BooleanField(_("参考评查：存在该问题"), default=False)
    deduction = models.DecimalField(_("参考扣分"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.TextField(_("评析"), blank=True, help_text=_("评查后向考生显示：问题所在的文书、依据"))

    sort_order_field = "sort_order"
    panels = [FieldPanel("kind"), FieldPanel("text"), FieldPanel("max_deduction"), FieldPanel("finding"),
              FieldPanel("deduction"), FieldPanel("note")]

    class Meta:
        verbose_name = _("评查项目")
        verbose_name_plural = _("评查项目")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.text

    def content(self, number):
        deducts = self.kind in DEDUCTION_KINDS
        return {
            "key": str(number), "kind": self.kind, "text": self.text,
            "max": money(self.max_deduction) if deducts else None,
            "finding": bool(self.finding),
            "deduction": money(self.deduction) if deducts and self.finding else None,
            "note": self.note,
        }


class QuestionArticle(Orderable):
    """A statute article behind a question (linked in review and the wrong-question book)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="article_links")
    article = models.ForeignKey("casebank.Article", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("条文"))

    class Meta(Orderable.Meta):
        verbose_name = _("关联条文")
        verbose_name_plural = _("关联条文")


class QuestionCase(Orderable):
    """A case of the case bank behind a question."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey("casebank.CasePage", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("案例"))

    class Meta(Orderable.Meta):
        verbose_name = _("关联案例")
        verbose_name_plural = _("关联案例")


class QuestionVersion(models.Model):
    """An immutable snapshot of a question as sittings saw it."""

    #: Deleting an unanswered question removes its versions; answered ones are protected by the answers.
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    content = models.JSONField(_("内容"))
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("试题版本")
        verbose_name_plural = _("试题版本")
        ordering = ["question", "number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="exams_version_unique")]

    def __str__(self):
        return f"{self.question_id} v{self.number}"

    @property
    def qtype(self):
        return self.content["qtype"]


# --- Exams ---------------------------------------------------------------------------

class ExamKind(models.TextChoices):
    QUALIFICATION = "qualification", _("资格考试")
    ANNUAL = "annual", _("年度考试")
    FINAL = "final", _("课程结业考试")
    MOCK = "mock", _("模拟考试")
    PRACTICE = "practice", _("练习")


class PaperMode(models.TextChoices):
    """How an exam's paper is made (组卷方式)."""
    FIXED = "fixed", _("固定试题")
    RULES = "rules", _("按规则随机抽题（卷卷不同）")


class Counting(models.TextChoices):
    """Which attempt counts (计分次数)."""
    HIGHEST = "highest", _("取最高分")
    LAST = "last", _("取最后一次")


class AnswerOrder(models.TextChoices):
    """Order of a choice question's options on the paper."""
    NONE = "none", _("按录入顺序")
    CONTENT = "content", _("按选项内容排序")
    RANDOM = "random", _("每次随机")


class Feedback(models.TextChoices):
    END = "end", _("交卷后统一显示")
    EACH = "each", _("每题作答后即时反馈（练习）")


class ReviewPolicy(models.TextChoices):
    """When an officer may see the key of a graded paper (答卷查看)."""
    NEVER = "never", _("不允许查看答卷")
    AFTER_SUBMIT = "after_submit", _("成绩发布后可查看答案与解析")
    AFTER_CLOSE = "after_close", _("考试关闭后可查看答案与解析")


class MultiScoring(models.TextChoices):
    """How a multiple-choice answer is scored."""
    ALL = "all", _("全对才得分")
    PARTIAL = "partial", _("少选按比例得分，错选不得分")


class Exam(ClusterableModel):
    """An exam, a mock exam or a practice set."""

    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=ExamKind.choices, default=ExamKind.MOCK)
    mode = models.CharField(_("组卷方式"), max_length=8, choices=PaperMode.choices, default=PaperMode.FIXED)
    draft = models.BooleanField(_("草稿"), default=True, help_text=_("草稿不对学员显示"))
    time_limit_minutes = models.PositiveIntegerField(_("时限（分钟）"), null=True, blank=True,
                                                     help_text=_("留空表示不限时"))
    opens_at = models.DateTimeField(_("开放时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(_("允许次数"), default=0, help_text=_("0 表示不限"))
    single_attempt = models.BooleanField(_("仅限一次"), default=False)
    counting = models.CharField(_("计分次数"), max_length=8, choices=Counting.choices, default=Counting.HIGHEST)
    pass_mark = models.PositiveSmallIntegerField(_("及格线（%）"), default=60)
    answer_order = models.CharField(_("选项顺序"), max_length=8, choices=AnswerOrder.choices,
                                    default=AnswerOrder.RANDOM)
    random_order = models.BooleanField(_("题目乱序"), default=True)
    max_questions = models.PositiveIntegerField(_("最多题数"), null=True, blank=True,
                                                help_text=_("固定试题时每次最多抽取的题数；留空为全部"))
    feedback = models.CharField(_("反馈方式"), max_length=8, choices=Feedback.choices, default=Feedback.END)
    review = models.CharField(_("答卷查看"), max_length=16, choices=ReviewPolicy.choices,
                              default=ReviewPolicy.AFTER_SUBMIT)
    multi_scoring = models.CharField(_("多选题计分"), max_length=8, choices=MultiScoring.choices,
                                     default=MultiScoring.ALL)
    success_text = models.TextField(_("通过提示"), blank=True)
    fail_text = models.TextField(_("未通过提示"), blank=True)
    blind_marking = models.BooleanField(_("匿名阅卷"), default=False)
    one_per_page = models.BooleanField(_("逐题作答"), default=True, help_text=_("否则整卷一页"))
    # -- 考试纪律 (integrity controls): all off unless a trainer switches them on ---------------
    #: Leaving the paper (switching tab or app, the window losing focus) more often than this
    #: submits the paper. None: not limited.
    leave_limit = models.PositiveSmallIntegerField(
        _("切屏次数上限"), null=True, blank=True,
        help_text=_("离开考试页面（切换标签页或应用、窗口失去焦点）超过此次数即强制交卷；留空为不限"))
    away_limit_seconds = models.PositiveIntegerField(
        _("离开时长上限（秒）"), null=True, blank=True,
        help_text=_("离开考试页面累计超过此秒数即强制交卷；留空为不限"))
    idle_minutes = models.PositiveSmallIntegerField(
        _("无操作时限（分钟）"), null=True, blank=True,
        help_text=_("无任何操作达到此分钟数时弹出倒计时提醒，倒计时结束仍无操作即强制交卷；留空为不限"))
    block_copy = models.BooleanField(_("禁止复制粘贴"), default=False,
                                     help_text=_("试卷页面禁止复制、剪切、粘贴和右键菜单"))
    watermark = models.BooleanField(_("显示水印"), default=False,
                                    help_text=_("试卷页面铺满考生姓名和当前时间的水印"))
    hours = models.DecimalField(_("通过后计学时"), max_digits=5, decimal_places=1, default=Decimal("0"))
    eligible_units = models.ManyToManyField("officers.Unit", blank=True, related_name="+",
                                            verbose_name=_("适用单位"), help_text=_("含下级单位；留空为全部"))
    #: Training tier codes (officers.models.TIER_CHOICES) of the officers who may sit it; empty = all.
    eligible_tiers = models.JSONField(_("适用培训层级"), default=list, blank=True,
                                      help_text=_("只有培训层级在其中的人员可以参加；留空为全部"))
    #: A course final exam: passing it completes the course (courses listens to exam_passed).
    course = models.ForeignKey("courses.CoursePage", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="final_exams", verbose_name=_("所属课程（结业考试）"))
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="managed_exams",
                                      verbose_name=_("管理教官"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        ordering = ["-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exams:exam_detail", args=[self.pk])

    @property
    def is_practice(self):
        return self.kind == ExamKind.PRACTICE or self.feedback == Feedback.EACH

    def attempts_allowed(self):
        """0 = unlimited."""
        if self.single_attempt:
            return 1
        return self.max_attempts

    @property
    def tracks_leaving(self):
        """Whether the paper reports leaving the page (a leave limit or an away limit is set)."""
        return self.leave_limit is not None or self.away_limit_seconds is not None

    @property
    def has_integrity_rules(self):
        return self.tracks_leaving or bool(self.idle_minutes) or self.block_copy or self.watermark

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("关闭时间须晚于开放时间。")}, code="close_before_open")
        if self.pass_mark > 100:
            raise ValidationError({"pass_mark": _("及格线不能超过 100。")}, code="pass_mark")
        tiers = self.eligible_tiers or []
        if not isinstance(tiers, list) or any(t not in TIER_LABELS for t in tiers):
            raise ValidationError({"eligible_tiers": _("培训层级无效。")}, code="bad_tier")
        if self.feedback == Feedback.EACH and self.review != ReviewPolicy.AFTER_SUBMIT:
            raise ValidationError({"feedback": _("每题即时反馈会在作答时显示答案，只能用于“成绩发布后可查看答案与解析”的考试。")},
                                  code="feedback_review")

    def eligible_tier_labels(self):
        return [str(TIER_LABELS.get(t, t)) for t in self.eligible_tiers or []]


class ExamQuestion(models.Model):
    """A question of a fixed-list exam, with its points."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="exam_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("试题"))
    sort_order = models.PositiveIntegerField(_("顺序"), default=0)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1, default=Decimal("1"))

    class Meta:
        verbose_name = _("试卷题目")
        verbose_name_plural = _("试卷题目")
        ordering = ["sort_order", "id"]


class DrawRule(models.Model):
    """Draw N questions of a type × category × difficulty, each worth ``points``."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="draw_rules")
    sort_order = models.PositiveIntegerField(_("顺序"), default=0)
    count = models.PositiveIntegerField(_("题数"))
    qtype = models.CharField(_("题型"), max_length=16, choices=QuestionType.choices, blank=True)
    category = models.CharField(_("类别"), max_length=32, choices=CATEGORY_CHOICES, blank=True)
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Difficulty.choices, null=True, blank=True)
    tag = models.CharField(_("标签"), max_length=100, blank=True, help_text=_("只抽带有这个标签的试题（完全匹配）"))
    points = models.DecimalField(_("每题分值"), max_digits=6, decimal_places=1, default=Decimal("1"))

    class Meta:
        verbose_name = _("抽题规则")
        verbose_name_plural = _("抽题规则")
        ordering = ["sort_order", "id"]

    def __str__(self):
        parts = [self.get_qtype_display() or _("任意题型"), category_label(self.category) or _("任意类别")]
        return f"{self.count} × {' / '.join(str(p) for p in parts)}"

    def candidates(self):
        qs = Question.objects.filter(status=QuestionStatus.ACTIVE)
        if self.qtype:
            qs = qs.filter(qtype=self.qtype)
        if self.category:
            qs = qs.filter(category=self.category)
        if self.difficulty:
            qs = qs.filter(difficulty=self.difficulty)
        if self.tag:
            qs = qs.filter(tags__name=self.tag)
        return qs


# --- Sittings ----------------------------------------------------------------------------

class SittingStatus(models.TextChoices):
    OPEN = "open", _("作答中")
    MARKING = "marking", _("待阅卷")
    GRADED = "graded", _("已出成绩")


class EndReason(models.TextChoices):
    """How a sitting ended."""
    SUBMIT = "submit", _("交卷")
    TIMEOUT = "timeout", _("超时自动交卷")
    COMMAND = "command", _("系统收卷")
    FORCED = "forced", _("违反考试纪律强制交卷")


class ForcedReason(models.TextChoices):
    """Which integrity rule a forced submission enforced."""
    LEAVES = "leaves", _("离开考试页面次数超过上限")
    AWAY = "away", _("离开考试页面累计时间超过上限")
    IDLE = "idle", _("长时间无操作")


# Old constant names still imported outside the app (tests/browser, tests/security, tests/casebank, bench/).
SINGLE, MULTI, TRUEFALSE, CASE, DISCRETION = (
    QuestionType.SINGLE, QuestionType.MULTI, QuestionType.TRUEFALSE, QuestionType.CASE, QuestionType.DISCRETION)
KIND_FINAL = ExamKind.FINAL
MODE_FIXED = PaperMode.FIXED
S_OPEN = SittingStatus.OPEN


class Sitting(models.Model):
    """One attempt of an officer at an exam, with its paper frozen at start."""

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="sittings", verbose_name=_("考试"))
    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="sittings",
                                verbose_name=_("考生"))
    attempt = models.PositiveSmallIntegerField(_("第几次"))
    status = models.CharField(_("状态"), max_length=8, choices=SittingStatus.choices, default=SittingStatus.OPEN,
                              db_index=True)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    #: Server-side deadline: start + time limit, capped by the exam's close time. None = no limit.
    deadline = models.DateTimeField(_("截止时间"), null=True, blank=True, db_index=True)
    ended_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    ended_by = models.CharField(_("结束方式"), max_length=8, choices=EndReason.choices, blank=True)
    score = models.DecimalField(_("得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("满分"), max_digits=8, decimal_places=2, default=Decimal("0"))
    percent = models.DecimalField(_("得分率"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("通过"), null=True, blank=True)
    released_at = models.DateTimeField(_("成绩发布时间"), null=True, blank=True)
    #: Set by the one request that fired the exam_passed event (conditional update).
    pass_notified = models.BooleanField(default=False, editable=False)
    current_position = models.PositiveIntegerField(default=1, editable=False)
    #: Extra minutes of an accommodation (ExtraTime) applied to the deadline at start.
    extra_minutes = models.PositiveSmallIntegerField(_("延长时间（分钟）"), default=0)
    #: Integrity counts kept by the server from the paper's events (SittingEvent).
    leave_count = models.PositiveIntegerField(_("离开次数"), default=0)
    away_seconds = models.PositiveIntegerField(_("离开时长（秒）"), default=0)
    forced_reason = models.CharField(_("强制交卷原因"), max_length=8, choices=ForcedReason.choices, blank=True)
    #: The token of the newest rendered paper page: events of any other page are refused.
    page_token = models.CharField(max_length=32, blank=True, editable=False)
    #: The highest event sequence number accepted (events are numbered by the paper, in order).
    event_seq = models.PositiveIntegerField(default=0, editable=False)

    @staticmethod
    def new_page_token():
        """A token for a newly rendered paper page (``page_token``)."""
        return secrets.token_hex(12)

    class Meta:
        verbose_name = _("考试记录")
        verbose_name_plural = _("考试记录")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "officer", "attempt"], name="exams_sitting_attempt_unique"),
            # at most one open sitting per officer and exam, even under concurrent starts
            models.UniqueConstraint(fields=["exam", "officer"], condition=models.Q(status="open"),
                                    name="exams_sitting_one_open"),
        ]
        indexes = [models.Index(fields=["officer", "exam", "status"]), models.Index(fields=["exam", "status"])]

    def __str__(self):
        return f"{self.exam} · {self.officer} · #{self.attempt}"

    def get_absolute_url(self):
        return reverse("exams:sitting", args=[self.pk])

    @staticmethod
    def grace():
        return timezone.timedelta(seconds=getattr(settings, "EXAM_GRACE_SECONDS", 30))

    def is_overdue(self, now=None):
        """Past the deadline plus grace: no more answers, to be finalised."""
        if self.deadline is None:
            return False
        return (now or timezone.now()) > self.deadline + self.grace()

    def seconds_left(self, now=None):
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - (now or timezone.now())).total_seconds()))

    @property
    def is_open(self):
        return self.status == SittingStatus.OPEN

    @property
    def time_limit_minutes(self):
        """The officer's own time limit: the exam's plus any extra time, or None."""
        limit = self.exam.time_limit_minutes
        return limit + self.extra_minutes if limit else None

    @property
    def released(self):
        return self.status == SittingStatus.GRADED


class Answer(models.Model):
    """One line of a sitting's frozen paper: the question version, its points and option
    order, and the officer's answer. ``revision`` increases with every save, and a save
    must name the revision it was based on, so stale or replayed posts cannot overwrite a
    newer answer."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveIntegerField(_("题号"))
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=1)
    #: Option keys in the order shown to this officer.
    option_order = models.JSONField(default=list)
    response = models.JSONField(_("作答"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    #: Practice with feedback after each question: once checked the answer is locked.
    locked = models.BooleanField(default=False)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    correct = models.BooleanField(_("正确"), null=True, blank=True)
    needs_marking = models.BooleanField(default=False, db_index=True)
    #: Case analysis: {rubric key: {"score": "1.5", "comment": "..."}}
    marks = models.JSONField(default=dict, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("答题")
        verbose_name_plural = _("答题")
        ordering = ["sitting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "position"], name="exams_answer_position_unique")
        ]

    def __str__(self):
        return f"{self.sitting_id}/{self.position}"

    @property
    def content(self):
        return self.version.content

    @property
    def answered(self):
        return has_response(self.content["qtype"], self.response)


def has_response(qtype, response):
    if not response:
        return False
    if qtype in (QuestionType.SINGLE, QuestionType.TRUEFALSE):
        return bool(response.get("choice"))
    if qtype == QuestionType.MULTI:
        return bool(response.get("choices"))
    if qtype == QuestionType.CASE:
        return bool((response.get("text") or "").strip())
    if qtype == QuestionType.DISCRETION:
        return response.get("level") not in (None, "")
    if qtype == QuestionType.CASEFILE:
        return bool(response.get("conclusion") or response.get("items"))
    return False


class EventKind(models.TextChoices):
    """What the paper reported, or what the server decided (FORCED)."""
    LEAVE = "leave", _("离开考试页面")
    RETURN = "return", _("返回考试页面")
    IDLE_WARNING = "idle_warning", _("无操作提醒")
    IDLE_RESUME = "idle_resume", _("继续作答")
    IDLE_TIMEOUT = "idle_timeout", _("无操作倒计时结束")
    FORCED = "forced", _("强制交卷")


class SittingEvent(models.Model):
    """One integrity event of a sitting, in the order the paper numbered them (``seq``).
    Events the server decides itself (a forced submission) have no number."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="events", verbose_name=_("考试记录"))
    seq = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    kind = models.CharField(_("事件"), max_length=16, choices=EventKind.choices)
    #: Seconds away (RETURN) or idle (IDLE_WARNING, IDLE_TIMEOUT), as the paper measured them.
    seconds = models.PositiveIntegerField(_("时长（秒）"), null=True, blank=True)
    #: A forced submission's reason (ForcedReason).
    reason = models.CharField(_("原因"), max_length=8, choices=ForcedReason.choices, blank=True)
    at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考试纪律事件")
        verbose_name_plural = _("考试纪律事件")
        ordering = ["sitting", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "seq"], name="exams_event_seq_unique")]

    def __str__(self):
        return f"{self.sitting_id}#{self.seq}: {self.kind}"


class ExtraTime(models.Model):
    """A documented accommodation: an officer gets extra minutes on one exam (set by a
    trainer managing the exam or by HR of the officer's unit; every change is audited)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="extra_times", verbose_name=_("考试"))
    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("考生"))
    minutes = models.PositiveSmallIntegerField(_("延长时间（分钟）"))
    reason = models.CharField(_("理由"), max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("设置人"))
    set_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("延长考试时间")
        verbose_name_plural = _("延长考试时间")
        ordering = ["exam", "officer"]
        constraints = [models.UniqueConstraint(fields=["exam", "officer"], name="exams_extra_time_unique")]

    def __str__(self):
        return f"{self.exam} · {self.officer} +{self.minutes}"


# --- Wrong-question book --------------------------------------------------------------------


class WrongItem(models.Model):
    """A question in an officer's wrong-question book (错题本). It leaves the book
    (``resolved_at`` set) after being answered correctly twice in a row."""

    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="wrong_items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    #: The sitting of the latest wrong answer: its exam's review policy decides when the book may
    #: show the question and its key (exams.review). Null: not shown.
    sitting = models.ForeignKey(Sitting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_response = models.JSONField(null=True, blank=True)
    times_wrong = models.PositiveIntegerField(default=1)
    streak = models.PositiveSmallIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now)
    last_wrong_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("错题")
        verbose_name_plural = _("错题本")
        ordering = ["-last_wrong_at"]
        constraints = [models.UniqueConstraint(fields=["officer", "question"], name="exams_wrong_unique")]

    def __str__(self):
        return f"{self.officer_id}: {self.question_id}"


# --- Practice: favourites, progress, error reports (题目纠错) ----------------------------------


class Favourite(models.Model):
    """A question an officer keeps (收藏) to practise again."""

    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="favourite_questions")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("试题"))
    created_at = models.DateTimeField(_("收藏时间"), default=timezone.now)

    class Meta:
        verbose_name = _("收藏")
        verbose_name_plural = _("收藏")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["officer", "question"], name="exams_favourite_unique")]

    def __str__(self):
        return f"{self.officer_id}: {self.question_id}"


class PracticeProgress(models.Model):
    """Where an officer stopped in a sequential practice (顺序练习, 章节练习, 收藏练习):
    the last question answered in that scope, so the next visit resumes after it."""

    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="+")
    #: "seq" (the whole bank), "cat:<category code>" (a chapter), "fav" (favourites).
    scope = models.CharField(max_length=48)
    last_question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("练习进度")
        verbose_name_plural = _("练习进度")
        constraints = [models.UniqueConstraint(fields=["officer", "scope"], name="exams_practice_progress_unique")]

    def __str__(self):
        return f"{self.officer_id}: {self.scope}"


class ReportKind(models.TextChoices):
    ANSWER = "answer", _("答案错误")
    STEM = "stem", _("题干有误")
    EXPLANATION = "explanation", _("解析有误")
    LAW_CHANGED = "law_changed", _("法条已修改")
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("未采纳")


class ErrorReport(models.Model):
    """An officer's report of an error in a question (题目纠错), answered by a trainer."""

    officer = models.ForeignKey("officers.Officer", on_delete=models.CASCADE, related_name="error_reports",
                                verbose_name=_("报告人"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="error_reports",
                                 verbose_name=_("试题"))
    #: The version the officer saw (its text is shown to the trainer beside the current one).
    version = models.ForeignKey(QuestionVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("问题类型"), max_length=16, choices=ReportKind.choices)
    text = models.TextField(_("说明"), max_length=2000)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN,
                              db_index=True)
    reply = models.TextField(_("回复"), blank=True, max_length=2000)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("处理人"))
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("题目纠错")
        verbose_name_plural = _("题目纠错")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.question_id}"
