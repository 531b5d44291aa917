"""Forms of the staff views: course assignments and attendance."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officers.forms import IsoDateInput
from officers.scoping import visible_units

from .records import Assignment


class AssignmentForm(forms.ModelForm):
    """Assign a course to a unit (within the assigner's scope) or one position in it."""

    class Meta:
        model = Assignment
        fields = ["course", "unit", "include_subunits", "position", "tier_only", "due_date", "note"]
        widgets = {"due_date": IsoDateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The field's own queryset (every CoursePage): the pages sit above the forms.
        self.fields["course"].queryset = self.fields["course"].queryset.live().order_by("tier_rank", "path")
        self.fields["course"].label_from_instance = lambda c: f"{c.title}（{c.get_tier_display()}）"
        self.fields["unit"].queryset = visible_units(user).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: "　" * (u.depth - 1) + u.name
        self.fields["unit"].error_messages["invalid_choice"] = _("只能指派给本人管辖范围内的单位。")

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise ValidationError(_("完成期限不能早于今天。"), code="due_in_past")
        return due

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if not visible_units(self.user).filter(pk=unit.pk).exists():
            raise ValidationError(_("只能指派给本人管辖范围内的单位。"), code="unit_out_of_scope")
        return unit
