"""The course page's admin form (CoursePage.base_form_class).

Below the pages (courses.pages uses it), so it reaches the page model through the
form's own model, never by importing the pages module."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .choices import Position


class CoursePageForm(WagtailAdminPageForm):
    """Edits the audience positions (a list of position codes) as checkboxes."""

    audience_positions = forms.MultipleChoiceField(
        label=_("面向岗位"), choices=Position.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )

    def clean_prerequisites(self):
        prerequisites = self.cleaned_data.get("prerequisites")
        if not prerequisites or not self.instance.pk:
            return prerequisites
        if any(p.pk == self.instance.pk for p in prerequisites):
            raise ValidationError(_("课程不能以自身为先修课程。"), code="self_prerequisite")
        # Walk the prerequisites' own prerequisites: reaching this course would make a cycle.
        through = self._meta.model.prerequisites.through
        seen, frontier = set(), {p.pk for p in prerequisites}
        while frontier:
            if self.instance.pk in frontier:
                raise ValidationError(_("先修课程不能形成循环（所选课程直接或间接要求先修本课程）。"),
                                      code="prerequisite_cycle")
            seen |= frontier
            frontier = set(through.objects.filter(from_coursepage_id__in=frontier)
                           .values_list("to_coursepage_id", flat=True)) - seen
        return prerequisites
