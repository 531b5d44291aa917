"""Admin forms: citation checks before a page is published, benchmark validation.

Pages whose text cites statutes (casebank.cited.CitedContent models) use
``CitationCheckedPageForm`` (or the mixin) as ``base_form_class``; the form
checks the fields the model declares. On publish, submit for review, or a reviewer's
approval from the edit view, an unknown law or article is an error listing
each bad citation; a repealed law (or one not in force on the material's date)
must be acknowledged with the "acknowledge_citations" checkbox."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from .choosers import use_grouped_choosers
from .citations import check_text, find_citations
from .numerals import parse_number
from .panels import ACKNOWLEDGE_PERMISSION
from .validation import validate_benchmark_levels

BLOCKING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")


def publishing(data):
    """Whether the POSTed edit form asks to publish, submit or approve (not just save a draft)."""
    if not data:
        return False
    if data.get("action-workflow-action"):
        return data.get("workflow-action-name", "approve") in ("approve", "")
    return any(data.get(name) for name in BLOCKING_ACTIONS)


def citation_errors(text, as_of, acknowledged, *, approving=True):
    """ValidationErrors for the citations of ``text`` (empty list when all is well)."""
    problems = check_text(text, as_of)
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    out = []
    if errors:
        listing = "；".join(f"“{p.citation.text}”：{p.message}" for p in errors)
        out.append(ValidationError(_("引用有误，不能发布或送审：%(list)s"), code="bad_citations",
                                   params={"list": listing}))
    if warnings and approving and not acknowledged:
        listing = "；".join(f"“{p.citation.text}”：{p.message}" for p in warnings)
        out.append(ValidationError(
            _("以下引用的法律已废止或在材料日期未生效，请核对后勾选“已核对废止法律引用”再发布：%(list)s"),
            code="repealed_citations", params={"list": listing}))
    return out


class CitationCheckMixin(forms.Form):
    """Add to the Wagtail admin form of a CitedContent model: the submitted values of the
    model's ``citation_fields`` are judged at its ``citation_date_field`` (or as current
    material), those of its ``current_fields`` as current material."""

    acknowledge_citations = forms.BooleanField(
        label=gettext_lazy("已核对废止法律引用"), required=False,
        help_text=gettext_lazy("材料引用了已废止或未生效的法律时，法制审核员核对后勾选，方可发布。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The acknowledgement is the legal reviewer's: nobody else may submit it.
        user = getattr(self, "for_user", None)
        if user is not None and not user.has_perm(ACKNOWLEDGE_PERMISSION):
            self.fields.pop("acknowledge_citations", None)

    def citation_text(self, cleaned):
        """The submitted text of the model's ``citation_fields``."""
        return "\n".join(str(cleaned.get(f) or "") for f in self._meta.model.citation_fields)

    def citation_sections(self, cleaned):
        cited = self._meta.model
        as_of = cleaned.get(cited.citation_date_field) if cited.citation_date_field else None
        sections = [(self.citation_text(cleaned), as_of)]
        if cited.current_fields:
            sections.append(("\n".join(str(cleaned.get(f) or "") for f in cited.current_fields), None))
        return sections

    def acknowledged(self, cleaned):
        """The form's checkbox, or the model's own acknowledgement field."""
        field = self._meta.model.acknowledged_field
        return cleaned.get("acknowledge_citations") or (cleaned.get(field) if field else None)

    def clean(self):
        cleaned = super().clean()
        if not publishing(self.data):
            return cleaned
        approving = not (self.data.get("action-submit"))
        for text, as_of in self.citation_sections(cleaned):
            acknowledged = self.acknowledged(cleaned)
            for err in citation_errors(text, as_of, acknowledged, approving=approving):
                self.add_error(None, err)
        return cleaned


class CitationCheckedPageForm(CitationCheckMixin, WagtailAdminPageForm):
    pass


class CasePageForm(CitationCheckedPageForm):
    """The case's fields (CasePage declares them) plus the articles chosen in its legal-basis panel;
    适用裁量等级 and 权力清单事项 are searchable grouped choosers (casebank.choosers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_grouped_choosers(self)

    def citation_text(self, cleaned):
        text = super().citation_text(cleaned)
        # Structured legal basis: the cited articles, as "《法》第N条" lines.
        formset = self.formsets.get("legal_basis") if hasattr(self, "formsets") else None
        lines = []
        if formset is not None:
            for f in formset.forms:
                data = getattr(f, "cleaned_data", None) or {}
                art = data.get("article")
                if art is not None and not data.get("DELETE"):
                    lines.append(f"《{art.law.full_name}》{art.number_text}")
        return text + "\n" + "\n".join(lines)


class BenchmarkForm(WagtailAdminModelForm):
    """Checks the levels together: ranges within the law, no overlap, no negative amounts."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("levels")
        if formset is None or not formset.is_valid():
            return cleaned
        # Unsaved DiscretionLevel and DiscretionBenchmark objects (the formset's and the form's models).
        levels = []
        for f in formset.forms:
            data = getattr(f, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            levels.append(formset.model(name=data.get("name") or "", fine_min=data.get("fine_min"),
                                        fine_max=data.get("fine_max")))
        probe = self._meta.model(article_fine_min=cleaned.get("article_fine_min"),
                                 article_fine_max=cleaned.get("article_fine_max"))
        try:
            validate_benchmark_levels(probe, levels)
        except ValidationError as exc:
            for e in exc.error_list:
                self.add_error(None, e)
        return cleaned


class ArticleChooserFilterForm(forms.Form):
    """Chooser search for articles in the database (no search index needed).

    "《行政处罚法》第三十三条" or "行政处罚法 33" finds that article; other words
    match law names and article text."""

    q = forms.CharField(label=gettext_lazy("搜索"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：行政处罚法第三十三条")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_searching = False
        self.is_filtering_by_collection = False
        self.search_query = None

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects.select_related("law").order_by("law__full_name", "position")
        self.is_searching, self.search_query = True, query
        cites = [c for c in find_citations(query) if c.law is not None]
        if cites:
            cond = Q()
            for c in cites:
                cond |= Q(law=c.law, number=c.article) if c.article else Q(law=c.law)
            return objects.filter(cond).select_related("law").order_by("law__full_name", "position")
        words = [w for w in re.split(r"[\s,，、]+", query) if w]
        for word in words:
            number = parse_number(word.removeprefix("第").removesuffix("条"))
            if number:
                objects = objects.filter(number=number)
            else:
                objects = objects.filter(Q(law__full_name__icontains=word) | Q(text__icontains=word))
        return objects.select_related("law").order_by("law__full_name", "position")
