"""An editor panel that reports the citations of the page being edited
(as last saved: it updates on every save and preview)."""
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel

from .citations import find_citations


class CitationReportPanel(Panel):
    """Lists every citation of a CitedContent instance (its ``citation_sections()``) with its status."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "casebank/admin/citation_report_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            instance = self.instance
            sections = instance.citation_sections()
            citations = [c for text, when in sections for c in find_citations(text, when)] if instance.pk else []
            context.update({"citations": citations, "as_of": instance.citation_date(),
                            "bad": [c for c in citations if c.status != "ok"]})
            return context


#: Who may tick "已核对废止法律引用": legal reviewers, who keep the statute library's
#: successions (a permission trainers do not hold). Others neither see nor submit the box.
ACKNOWLEDGE_PERMISSION = "casebank.change_lawsuccession"


def citation_check_panel(acknowledged_field=None):
    """The editor's 法条引用核验 panel: the citation report and, where the model has one,
    the reviewer-only acknowledgement box."""
    children = [CitationReportPanel()]
    if acknowledged_field:
        children.append(FieldPanel(acknowledged_field, permission=ACKNOWLEDGE_PERMISSION))
    return MultiFieldPanel(children, heading=_("法条引用核验"))
