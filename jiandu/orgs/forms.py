from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from jiandu.orgs.auth import AccountLocked


class LoginForm(AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # The numbers are the lockout's settings (LockoutModelBackend), not a copy of them.
        failures, minutes = settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCK_MINUTES
        self.error_messages = {
            "invalid_login": f"用户名或密码不正确。连续失败 {failures} 次后账号将被锁定 {minutes} 分钟。",
            "inactive": "该账号已停用，请联系系统管理员。",
            "locked": f"该账号因连续登录失败已被临时锁定，请 {minutes} 分钟后再试，或联系系统管理员解锁。",
        }
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"class": "form-control", "autofocus": True})
        self.fields["password"].widget.attrs.update({"class": "form-control"})

    def clean(self):
        try:
            return super().clean()
        except AccountLocked:
            raise forms.ValidationError(self.error_messages["locked"], code="locked") from None


class ChinesePasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in [
            ("old_password", "原密码"),
            ("new_password1", "新密码"),
            ("new_password2", "确认新密码"),
        ]:
            self.fields[name].label = label
            self.fields[name].widget.attrs["class"] = "form-control"
