from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    """A written reason, required for every manual status change."""

    reason = forms.CharField(label=_("原因"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self):
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise ValidationError(_("请填写原因。"), code="reason_required")
        return reason
