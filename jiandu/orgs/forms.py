from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from jiandu.core.forms import Form, ProjectForm
from jiandu.orgs.lockout import attempt_lock, messages


class LoginForm(ProjectForm, AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # The numbers are the lockout's settings, not a copy of them.
        self.error_messages = messages()
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs["autofocus"] = True

    def clean(self):
        # The error leaves the locked block as a value: raising inside would roll back
        # the failure axes has just counted.
        error = None
        with attempt_lock(self.request, self.cleaned_data.get("username")):
            try:
                super().clean()
            except ValidationError as exc:
                error = exc
        if getattr(self.request, "axes_locked_out", False):
            raise ValidationError(self.error_messages["locked"], code="locked")
        if error is not None:
            raise error
        return self.cleaned_data


class ChinesePasswordChangeForm(ProjectForm, PasswordChangeForm):
    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        for name, label in [
            ("old_password", "原密码"),
            ("new_password1", "新密码"),
            ("new_password2", "确认新密码"),
        ]:
            self.fields[name].label = label

    def clean_old_password(self):
        """原密码 is checked as a sign-in is (django-axes): a session left open cannot be
        used to try passwords without limit."""
        if self.request is None:
            return super().clean_old_password()
        old = self.cleaned_data["old_password"]
        username = self.user.get_username()
        with attempt_lock(self.request, username):
            found = authenticate(self.request, username=username, password=old)
        if getattr(self.request, "axes_locked_out", False):
            raise ValidationError(messages()["locked"], code="locked")
        if found is None or found.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password2")
        if new and new == cleaned.get("old_password"):
            self.add_error("new_password2", ValidationError("新密码不能与原密码相同。"))
        return cleaned


class OtpTokenForm(Form):
    token = forms.CharField(
        label="验证码",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
        help_text="身份验证器应用中的 6 位数字，或一个未用过的恢复码。",
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())
