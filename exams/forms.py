"""Admin forms of questions and exams."""
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from officers.models import TIER_CHOICES


def _live_instances(formset):
    """The child objects a formset will keep (not deleted, not left empty), as edited."""
    formset.is_valid()  # the parent form is cleaned before its formsets: clean them now
    return [f.instance for f in formset.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
            and (f.cleaned_data.get("text") or f.cleaned_data.get("title") or "").strip()]


class QuestionAdminForm(WagtailAdminModelForm):
    """The key must make sense for the type before a question is saved. The rules are
    exams.validation's, run by ``Question.clean()``; this form only hands the model the
    options, rubric points, case-file documents and 评查 items being edited (inline formsets
    are saved after the model is validated, so the model would otherwise see the old ones)."""

    def _post_clean(self):
        for name in ("options", "rubric_points", "casefile_documents", "review_items"):
            if name in self.formsets:
                getattr(self.instance, name).set(_live_instances(self.formsets[name]))
        super()._post_clean()


class ExamAdminForm(WagtailAdminModelForm):
    """Training tiers as checkboxes (the model keeps the list of tier codes)."""

    eligible_tiers = forms.MultipleChoiceField(
        label=_("适用培训层级"), choices=TIER_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("只有培训层级在其中的人员可以参加（人员的培训层级由人事登记）；都不选为全部"))
