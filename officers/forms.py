from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import audit
from .auth import LOCKED, LOGIN_LOCKED, login_block, normalise
from .models import MODE_SELF_STUDY, HoursCategory, HoursMode, Officer


class LoginForm(AuthenticationForm):
    """Login form with one answer for every failure, and the lockout message for a
    blocked user name and address (existing or not; rules in officers.auth)."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。从同一地址连续失败 %(attempts)s 次后，该地址将暂停登录此账号 %(minutes)s 分钟。"),
        "inactive": _("用户名或密码不正确。从同一地址连续失败 %(attempts)s 次后，该地址将暂停登录此账号 %(minutes)s 分钟。"),
        "locked": _("登录失败次数过多，该账号已被暂时锁定，请 %(minutes)s 分钟后再试。"),
        "throttled": _("该账号近期登录失败次数过多，已被暂时锁定，暂不接受从新的地址登录，请 %(minutes)s 分钟后再试，"
                       "或在您常用的设备上登录。"),
    }

    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def _params(self):
        return {"attempts": settings.LOGIN_LOCKOUT_ATTEMPTS, "minutes": settings.LOGIN_LOCKOUT_MINUTES}

    def _blocked_error(self, block):
        reason, minutes = block
        code = "locked" if reason == LOCKED else "throttled"
        return ValidationError(self.error_messages[code], code=code, params={"minutes": minutes})

    def clean(self):
        username = self.cleaned_data.get("username")
        block = login_block(username, self.request) if username else None
        if block:
            audit.record(LOGIN_LOCKED, request=self.request, username=normalise(username), outcome="refused")
            raise self._blocked_error(block)
        try:
            return super().clean()
        except ValidationError as exc:
            block = login_block(username, self.request) if username else None
            if block:
                raise self._blocked_error(block) from None
            raise exc

    def get_invalid_login_error(self):
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login", params=self._params())

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise self.get_invalid_login_error()


class IsoDateInput(forms.DateInput):
    """``<input type="date">``: browsers accept only ISO dates (2026-12-06) in its value, whatever
    the page's language (the localized 2026/12/06 would leave the field empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ManualHoursForm(forms.Form):
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=200, decimal_places=1)
    date = forms.DateField(label=_("日期"), widget=IsoDateInput())
    category = forms.ModelChoiceField(label=_("学时分类"), queryset=HoursCategory.objects.all(), required=False,
                                      empty_label=_("不分类（只计入年度合计）"))
    mode = forms.ChoiceField(label=_("培训方式"), choices=HoursMode.choices, initial=MODE_SELF_STUDY, required=False)

    def clean_mode(self):
        return self.cleaned_data.get("mode") or MODE_SELF_STUDY
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class ReverseHoursForm(forms.Form):
    reason = forms.CharField(label=_("冲销原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class PersonnelCategoryForm(forms.ModelForm):
    """HR records whether a person is a 执法人员 or a 辅助执法人员 (协管员)."""

    class Meta:
        model = Officer
        fields = ["personnel_category"]


class TrainingTierForm(forms.ModelForm):
    """HR records an officer's training tier (培训层级)."""

    class Meta:
        model = Officer
        fields = ["training_tier"]
