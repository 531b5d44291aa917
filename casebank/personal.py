"""What an officer keeps and sends about the case bank: bookmarks (收藏) of cases and law articles
with a private note (笔记), and feedback (反馈) on a case to the trainers.

Plain data; the rules are in casebank.bookmarks and casebank.case_feedback. Case pages are named
by label (``"casebank.CasePage"``): the pages sit in a layer above this one."""
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .library import Article

#: The longest private note, in characters.
NOTE_MAX = 1000
#: The longest feedback text and the longest reply, in characters.
FEEDBACK_TEXT_MAX = 1000


class Bookmark(models.Model):
    """A case or an article an officer keeps (收藏), with a note only its author ever sees."""

    officer = models.ForeignKey("officers.Officer", verbose_name=_("人员"), on_delete=models.CASCADE,
                                related_name="casebank_bookmarks")
    case = models.ForeignKey("casebank.CasePage", verbose_name=_("案例"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, verbose_name=_("条文"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    note = models.TextField(_("笔记"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    created_at = models.DateTimeField(_("收藏时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("收藏的案例或法条")
        verbose_name_plural = _("收藏的案例或法条")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "case"], condition=models.Q(case__isnull=False),
                                    name="casebank_bookmark_unique_case"),
            models.UniqueConstraint(fields=["officer", "article"], condition=models.Q(article__isnull=False),
                                    name="casebank_bookmark_unique_article"),
            models.CheckConstraint(condition=models.Q(case__isnull=False, article__isnull=True)
                                   | models.Q(case__isnull=True, article__isnull=False),
                                   name="casebank_bookmark_case_or_article"),
        ]

    def __str__(self):
        return f"{self.officer_id} {'case' if self.case_id else 'article'} {self.case_id or self.article_id}"


class CaseFeedbackKind(models.TextChoices):
    CONTENT = "content", _("内容有误")
    CITATION = "citation", _("法条引用问题")
    SUGGESTION = "suggestion", _("建议")
    OTHER = "other", _("其他")


class CaseFeedbackStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("未采纳")


class CaseFeedback(models.Model):
    """An officer's feedback (反馈) on a case; trainers and legal reviewers resolve it with a reply."""

    case = models.ForeignKey("casebank.CasePage", verbose_name=_("案例"), on_delete=models.CASCADE,
                             related_name="feedback")
    officer = models.ForeignKey("officers.Officer", verbose_name=_("反馈人"), on_delete=models.CASCADE,
                                related_name="case_feedback")
    kind = models.CharField(_("反馈类型"), max_length=20, choices=CaseFeedbackKind.choices)
    text = models.TextField(_("反馈内容"), validators=[MaxLengthValidator(FEEDBACK_TEXT_MAX)])
    status = models.CharField(_("状态"), max_length=20, choices=CaseFeedbackStatus.choices,
                              default=CaseFeedbackStatus.OPEN)
    reply = models.TextField(_("回复"), blank=True, validators=[MaxLengthValidator(FEEDBACK_TEXT_MAX)])
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案例反馈")
        verbose_name_plural = _("案例反馈")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()}"
