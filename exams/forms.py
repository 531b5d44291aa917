"""Admin form of a question: the key must make sense for the type before it is saved."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import CASE, DISCRETION, MULTI, SINGLE, TRUEFALSE


def _live_forms(formset):
    formset.is_valid()  # the parent form is cleaned before its formsets: clean them now
    return [f for f in formset.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
            and (f.cleaned_data.get("text") or "").strip()]


class QuestionAdminForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        qtype = data.get("qtype")
        if qtype in (SINGLE, MULTI) and "options" in self.formsets:
            options = _live_forms(self.formsets["options"])
            n_correct = sum(1 for f in options if f.cleaned_data.get("is_correct"))
            if len(options) < 2:
                self.add_error(None, ValidationError(_("选择题至少需要两个选项。"), code="too_few_options"))
            elif qtype == SINGLE and n_correct != 1:
                self.add_error(None, ValidationError(_("单选题必须恰有一个正确选项。"), code="single_correct"))
            elif qtype == MULTI and n_correct < 1:
                self.add_error(None, ValidationError(_("多选题至少需要一个正确选项。"), code="multi_correct"))
        if qtype == TRUEFALSE and data.get("truefalse_answer") is None:
            self.add_error("truefalse_answer", ValidationError(_("判断题须设置答案。"), code="truefalse_answer"))
        if qtype == CASE and "rubric_points" in self.formsets and not _live_forms(self.formsets["rubric_points"]):
            self.add_error(None, ValidationError(_("案例分析题至少需要一个评分要点。"), code="rubric_required"))
        if qtype == DISCRETION and data.get("discretion_correct_level") is None:
            self.add_error("discretion_correct_level",
                           ValidationError(_("裁量题须设置正确裁量等级。"), code="discretion_level"))
        return data
