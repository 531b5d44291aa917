"""Searchable choosers of the case form: 适用裁量等级 grouped by discretion benchmark and
权力清单事项 grouped by duty area, each with a type-to-filter box (casebank/choosers.js).

The widgets are plain form widgets (a list box and grouped checkboxes), so they work and can be
used by keyboard without the script; the script only hides what does not match the filter.
Their option lists are built once per form, in two or three queries however many levels or
items there are."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .library import DutyArea

#: The longest option label; the rest of a long measure is cut.
LABEL_CHARS = 60


def _cut(text, limit=LABEL_CHARS):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fine_range(level):
    low, high = level.fine_min, level.fine_max
    if low is None and high is None:
        return ""
    fmt = lambda v: f"{v:,.0f}"  # noqa: E731
    if low is not None and high is not None:
        return _("罚款 %(low)s–%(high)s 元") % {"low": fmt(low), "high": fmt(high)}
    return (_("罚款 %(low)s 元以上") % {"low": fmt(low)}) if low is not None else (
        _("罚款 %(high)s 元以下") % {"high": fmt(high)})


def discretion_level_choices(levels):
    """[(benchmark, [(level pk, "等级：措施（罚款幅度）"), …]), …] for a queryset of discretion levels,
    in the benchmarks' order; one query."""
    groups, current, options = [], None, None
    levels = (levels.select_related("benchmark")
              .order_by("benchmark__sort_order", "benchmark__code", "sort_order", "pk"))
    for level in levels:
        if level.benchmark_id != current:
            current, options = level.benchmark_id, []
            groups.append((str(level.benchmark), options))
        details = "；".join(part for part in (_cut(level.measure, 30), _fine_range(level)) if part)
        options.append((level.pk, _cut(f"{level.label}：{details}" if details else level.label)))
    return groups


def power_item_choices(items):
    """[(duty area, [(item pk, "编码 名称"), …]), …] for a queryset of power-list items, each under
    its first duty area, items without one last; three queries."""
    areas = {area.pk: area for area in DutyArea.objects.all()}
    grouped = {}
    items = items.prefetch_related("duty_areas").order_by("sort_order", "code")
    for item in items:
        own = sorted(item.duty_areas.all(), key=lambda a: (a.sort_order, a.code))
        grouped.setdefault(own[0].pk if own else None, []).append((item.pk, f"{item.code} {item.name}"))
    order = sorted((pk for pk in grouped if pk is not None), key=lambda pk: (areas[pk].sort_order, areas[pk].code))
    groups = [(areas[pk].label, grouped[pk]) for pk in order]
    if None in grouped:
        groups.append((_("未标注职责领域"), grouped[None]))
    return groups


class _Filterable:
    """A widget with a filter box above its grouped options (casebank/choosers.js)."""

    filter_placeholder = _("输入关键词筛选")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["filter_placeholder"] = self.filter_placeholder
        return context

    @property
    def media(self):
        return forms.Media(js=["casebank/choosers.js"], css={"all": ["casebank/choosers.css"]})


class GroupedListBox(_Filterable, forms.Select):
    """One choice from a list box with group headings (<optgroup>): arrow keys move, typing in
    the box above filters by option and group names."""

    template_name = "casebank/widgets/grouped_listbox.html"
    filter_placeholder = _("输入违法行为、等级或编码筛选")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        size = sum(1 + len(options) for _group, options, _index in context["widget"]["optgroups"])
        context["widget"]["attrs"]["size"] = max(4, min(size, 12))
        return context


class GroupedCheckboxes(_Filterable, forms.CheckboxSelectMultiple):
    """Several choices as checkboxes in groups (<fieldset> with a <legend>), filtered by the box above."""

    template_name = "casebank/widgets/grouped_checkboxes.html"
    filter_placeholder = _("输入事项名称或编码筛选")


class _OncePerForm:
    """A choices callable that builds its list the first time it is asked, then reuses it."""

    def __init__(self, build, queryset, first=()):
        self.build, self.queryset, self.first, self.value = build, queryset, list(first), None

    def __call__(self):
        if self.value is None:
            self.value = self.first + self.build(self.queryset)
        return self.value


def use_grouped_choosers(form):
    """Give a case form's 适用裁量等级 and 权力清单事项 fields the searchable grouped choosers."""
    level = form.fields.get("discretion_level")
    if level is not None:
        level.widget = GroupedListBox(attrs=level.widget.attrs)
        level.choices = _OncePerForm(discretion_level_choices, level.queryset, first=[("", _("（不适用）"))])
    items = form.fields.get("power_items")
    if items is not None:
        items.widget = GroupedCheckboxes()
        items.choices = _OncePerForm(power_item_choices, items.queryset)
