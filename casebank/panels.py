"""An editor panel that reports the citations of the page being edited
(as last saved: it updates on every save and preview)."""
from wagtail.admin.panels import Panel

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
