"""Models of the search app: the vocabulary legal reviewers maintain.

- ``SynonymGroup``: words that mean the same thing to an officer (摊贩/流动商贩/摆摊);
  applied at query time, so a saved change works at once without re-indexing.
- ``DomainTerm``: a city-management term the segmenter must keep whole
  (占道经营, 门前三包). Queries use it at once; documents indexed before the term
  existed pick it up at the next ``update_index``.
"""
import re

from django.db import models
from django.utils.translation import gettext_lazy as _

_SPLIT = re.compile(r"[\s,，、;；/|]+")


class SynonymGroup(models.Model):
    name = models.CharField(_("名称"), max_length=100, help_text=_("便于查找的名称，例如“流动摊贩”。"))
    terms = models.TextField(
        _("同义词"),
        help_text=_("同一含义的词语，用逗号、顿号、空格或换行分隔，例如：摊贩、流动商贩、摆摊。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词组")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def term_list(self):
        """The distinct words of the group, in the order written."""
        seen = []
        for term in _SPLIT.split(self.terms or ""):
            term = term.strip()
            if term and term not in seen:
                seen.append(term)
        return seen


class DomainTerm(models.Model):
    term = models.CharField(_("术语"), max_length=50, unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("领域术语")
        verbose_name_plural = _("领域术语")
        ordering = ["term"]

    def __str__(self):
        return self.term
