from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .auth import is_locked
from .models import Officer


class LoginForm(AuthenticationForm):
    """Login form with one answer for every failure, and the lockout message
    for any locked user name (existing or not)."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败 %(attempts)s 次后，该账号将被锁定 %(minutes)s 分钟。"),
        "inactive": _("用户名或密码不正确。连续失败 %(attempts)s 次后，该账号将被锁定 %(minutes)s 分钟。"),
        "locked": _("登录失败次数过多，该账号已被暂时锁定，请 %(minutes)s 分钟后再试。"),
    }

    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def _params(self):
        return {"attempts": settings.LOGIN_LOCKOUT_ATTEMPTS, "minutes": settings.LOGIN_LOCKOUT_MINUTES}

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and is_locked(username):
            raise ValidationError(self.error_messages["locked"], code="locked", params=self._params())
        try:
            return super().clean()
        except ValidationError as exc:
            if username and is_locked(username):
                raise ValidationError(self.error_messages["locked"], code="locked", params=self._params()) from None
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
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class ReverseHoursForm(forms.Form):
    reason = forms.CharField(label=_("冲销原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class TrainingTierForm(forms.ModelForm):
    """HR records an officer's training tier (培训层级)."""

    class Meta:
        model = Officer
        fields = ["training_tier"]
