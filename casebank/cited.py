"""Which fields of a model hold statute citations, declared once.

A model whose text cites statutes (a case, a power-list item, a discretion benchmark)
inherits :class:`CitedContent` and sets its attributes, in the way Wagtail's
``AbstractForm`` pages set theirs::

    class CasePage(CitedContent, Page):
        citation_fields = ("summary", "facts", …)
        current_fields = ("teaching_points", "discussion_questions")
        citation_date_field = "decision_date"
        acknowledged_field = "citations_acknowledged"

Everything that checks or indexes citations reads these attributes: the admin form
(``casebank.admin_forms.CitationCheckMixin``), the editor's citation report
(``casebank.panels``), the 法制审核 review task (``casebank.pages``) and the article
index (法条联想, registered in ``casebank.signal_handlers``).

This module imports nothing, so any app's models may use the mixin."""


class CitedContent:
    """Mixin of a model whose text fields cite statutes."""

    #: Text fields judged at ``citation_date()``: the material as of its date (current material
    #: when the model has no date).
    citation_fields: tuple = ()
    #: Text fields that speak for today (commentary): always judged as current material.
    current_fields: tuple = ()
    #: The date field ``citation_fields`` speak for (a case's decision date); None: no date.
    citation_date_field: str | None = None
    #: The boolean field a legal reviewer ticks once citations of repealed laws have been checked.
    acknowledged_field: str | None = None

    def citation_date(self):
        """The date the ``citation_fields`` are judged at (None: as current material)."""
        return getattr(self, self.citation_date_field) if self.citation_date_field else None

    def citation_sections(self):
        """[(text, as_of)]: the ``citation_fields`` at ``citation_date()``, then the
        ``current_fields`` as current material."""
        sections = [("\n".join(getattr(self, f) or "" for f in self.citation_fields), self.citation_date())]
        if self.current_fields:
            sections.append(("\n".join(getattr(self, f) or "" for f in self.current_fields), None))
        return sections

    def citation_field_texts(self):
        """[(field, text, as_of)] of every citing field, for the article index (法条联想)."""
        day = self.citation_date()
        return ([(name, getattr(self, name) or "", day) for name in self.citation_fields]
                + [(name, getattr(self, name) or "", None) for name in self.current_fields])

    def citations_acknowledged_by_reviewer(self):
        """Whether a legal reviewer has acknowledged the warned citations (``acknowledged_field``)."""
        return bool(getattr(self, self.acknowledged_field)) if self.acknowledged_field else False
