"""Forms of officers' work on cases: setting a 类案检索报告, one comparison of a report, marking,
and a squad's case recommendation (the case page's own fields)."""
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officers.forms import IsoDateInput
from officers.scoping import visible_units

from .casework import MAX_COMPARISONS, SimilarCaseAssignment
from .library import DutyArea
from .similar_reports import TEXT_MAX

REQUIRED = _("请填写此项。")


class ReportAssignmentForm(forms.ModelForm):
    """Set a 类案检索报告 on a case for a unit within the trainer's scope (or one position in it)."""

    class Meta:
        model = SimilarCaseAssignment
        fields = ["unit", "include_subunits", "position", "due_date", "min_cases", "instructions"]
        widgets = {"due_date": IsoDateInput(), "instructions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A unit outside the user's scope is not a choice, so it is refused as invalid_choice.
        self.fields["unit"].queryset = visible_units(user).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: "　" * (u.depth - 1) + u.name
        self.fields["unit"].error_messages.update(
            invalid_choice=_("只能布置给本人管辖范围内的单位。"), required=_("请选择单位。"))
        self.fields["due_date"].error_messages.update(required=_("请填写完成期限。"),
                                                      invalid=_("请按 年-月-日 填写完成期限。"))
        self.fields["min_cases"].error_messages.update(
            min_value=_("至少比对 1 个类案。"), max_value=_("最多比对 %(limit_value)s 个类案。"),
            invalid=_("请填写整数。"), required=_("请填写至少比对类案数。"))
        self.fields["min_cases"].widget.attrs.update(min=1, max=MAX_COMPARISONS)
        self.fields["instructions"].help_text = _("例如：检索近三年同类案件，比较裁量幅度。")

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise ValidationError(_("完成期限不能早于今天。"), code="due_in_past")
        return due


def _text(label, required=False, rows=4, max_length=TEXT_MAX, **kwargs):
    return forms.CharField(
        label=label, required=required, max_length=max_length, strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": REQUIRED, "max_length": _("最多 %(limit_value)d 字（现为 %(show_value)d 字）。")},
        **kwargs)


class ComparisonForm(forms.Form):
    """The three texts comparing one similar case with the assigned case (blank allowed in a draft)."""

    facts = _text(_("案情异同"), rows=3)
    outcome = _text(_("裁量结果异同"), rows=3)
    conclusion = _text(_("参考结论"), rows=3)


class SummaryForm(forms.Form):
    summary = _text(_("总体结论"), rows=3, help_text=_("可选：综合各类案，本案应如何裁量。"))


class MarkForm(forms.Form):
    score = forms.IntegerField(label=_("得分（0–100）"), min_value=0, max_value=100, error_messages={
        "required": _("请填写分数。"), "invalid": _("请填写 0 到 100 之间的整数分数。"),
        "min_value": _("请填写 0 到 100 之间的整数分数。"), "max_value": _("请填写 0 到 100 之间的整数分数。")})
    comment = _text(_("批阅意见"), rows=4)


#: Personal data a recommended case must not carry: an 18-digit ID number, a mobile number.
PERSONAL_DATA = [
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), _("身份证号")),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), _("手机号")),
]


class RecommendationForm(forms.Form):
    """A local case in the case template (the case page's fields), with the reason to recommend it."""

    title = forms.CharField(label=_("标题"), max_length=120, error_messages={
        "required": _("请填写标题。"), "max_length": _("标题最多 %(limit_value)d 字。")},
        help_text=_("例如：某餐饮店占道经营拒不改正案"))
    case_number = forms.CharField(label=_("案号"), max_length=80, required=False,
                                  error_messages={"max_length": _("案号最多 %(limit_value)d 字。")})
    decision_date = forms.DateField(label=_("决定日期"), widget=IsoDateInput(), error_messages={
        "required": _("请填写决定日期。"), "invalid": _("请按 年-月-日 填写决定日期。")})
    district = forms.CharField(label=_("区域"), max_length=60, required=False)
    duty_areas = forms.ModelMultipleChoiceField(
        label=_("职责领域"), queryset=DutyArea.objects.filter(kind=DutyArea.AREA), required=False, to_field_name="code",
        widget=forms.CheckboxSelectMultiple, error_messages={"invalid_choice": _("请选择列出的职责领域。"),
                                                             "invalid_pk_value": _("请选择列出的职责领域。")})
    violation_type = forms.CharField(label=_("违法行为类型"), max_length=255, required=False,
                                     help_text=_("例如：擅自占用城市道路经营"))
    fine_amount = forms.DecimalField(label=_("罚款金额（元）"), required=False, min_value=Decimal("0"),
                                     max_digits=14, decimal_places=2, error_messages={
                                         "invalid": _("请填写数字。"), "min_value": _("罚款金额不能为负数。")})
    facts = _text(_("基本案情"), required=True, rows=6)
    issues = _text(_("争议焦点"), rows=3)
    legal_basis_text = _text(_("法律依据"), required=True, rows=3,
                             help_text=_("写明法律法规名称和条款，如《中华人民共和国行政处罚法》第五十一条。"))
    outcome = _text(_("处理结果"), required=True, rows=3)
    review_result = _text(_("复议/诉讼结果"), rows=2)
    reason = _text(_("推荐理由"), rows=2, max_length=1000, help_text=_("本案对全局执法的参考价值。"))

    TEXT_FIELDS = ("title", "case_number", "facts", "issues", "legal_basis_text", "outcome", "review_result",
                   "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty_areas"].label_from_instance = lambda a: a.label

    def clean_decision_date(self):
        date = self.cleaned_data["decision_date"]
        if date > timezone.localdate():
            raise ValidationError(_("决定日期不能晚于今天。"), code="date_in_future")
        return date

    def clean(self):
        data = super().clean()
        for name in self.TEXT_FIELDS:
            value = data.get(name) or ""
            for pattern, what in PERSONAL_DATA:
                if pattern.search(value):
                    self.add_error(name, ValidationError(
                        _("请隐去当事人的%(what)s等个人信息（可写作“某某”）。"), code="personal_data",
                        params={"what": what}))
                    break
        return data
