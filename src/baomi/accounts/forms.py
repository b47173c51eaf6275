"""Forms of the account pages (labels and ids are stable: browser tests type into them)."""

from __future__ import annotations

from django import forms

from baomi.accounts.actions import OTP_DIGITS, OTP_STEPS, SETTING_LIMITS
from baomi.accounts.selectors import AccountState
from baomi.web.forms import BootstrapMixin


class PasswordChangeForm(BootstrapMixin, forms.Form):
    current_password = forms.CharField(
        label="当前口令",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password = forms.CharField(
        label="新口令",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="再次输入新口令",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新口令不一致。")
        return data


class OtpTokenForm(BootstrapMixin, forms.Form):
    token = forms.CharField(
        label="动态口令",
        max_length=8,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
        help_text="口令牌当前显示的 6 位（或 8 位）数字。",
    )

    def clean_token(self):
        value = self.cleaned_data["token"].strip().replace(" ", "")
        if not value.isdigit():
            raise forms.ValidationError("动态口令只含数字。")
        return value


class CreateAccountForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=None)
    username = forms.CharField(label="用户名", max_length=150)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.name}（{p.unit.name}{' · ' + p.department.name if p.department_id else ''}"
            f"{' · ' + p.number if p.number else ''}）"
        )


class AccountFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    unit = forms.ModelChoiceField(label="单位", queryset=None, required=False)
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *AccountState.choices]
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class HardwareTokenForm(BootstrapMixin, forms.Form):
    serial = forms.CharField(label="口令牌序列号", max_length=60)
    seed = forms.CharField(
        label="种子", max_length=200, help_text="厂商随口令牌提供的种子（十六进制或 Base32）。"
    )
    digits = forms.TypedChoiceField(
        label="位数", coerce=int, choices=[(d, f"{d} 位") for d in OTP_DIGITS], initial=6
    )
    step = forms.TypedChoiceField(
        label="时间步长", coerce=int, choices=[(s, f"{s} 秒") for s in OTP_STEPS], initial=30
    )


SETTING_LABELS = {
    "min_length": "口令最短长度（字符）",
    "character_classes": "口令至少包含的字符种类（大写、小写、数字、符号）",
    "max_age_days": "口令有效期（天）",
    "history_count": "不得与最近几次口令相同",
    "failure_limit": "账号登录失败锁定次数（锁定时长内累计）",
    "address_failure_limit": "同一地址登录失败锁定次数（不论账号）",
    "lockout_minutes": "锁定时长（分钟）",
    "idle_timeout_minutes": "无操作自动退出（分钟）",
    "token_lifetime_days": "API 令牌有效期（天）",
}


class SecuritySettingsForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in SETTING_LIMITS.items():
            self.fields[name] = forms.IntegerField(
                label=SETTING_LABELS[name], min_value=low, max_value=high, disabled=disabled
            )
