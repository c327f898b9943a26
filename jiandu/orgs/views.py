import time

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from jiandu.lib.lists import Listing
from jiandu.orgs import actions, lockout
from jiandu.orgs.forms import ChinesePasswordChangeForm, LoginForm, OtpTokenForm
from jiandu.orgs.models import Role, User

PENDING = "jiandu_pending_login"


class LoginView(auth_views.LoginView):
    """The password; then, when the account has or needs a second factor, the session
    only remembers who is half-way (PENDING) and nobody is signed in until the code."""

    template_name = "orgs/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if user.otp_required or actions.has_second_factor(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "at": time.time(),
            }
            return redirect("second_factor")
        return super().form_valid(form)


class AdminLoginView(LoginView):
    """/admin/login/: a signed-in account without admin rights sees the form (and why)
    instead of being sent back to /admin/ and round again."""

    redirect_authenticated_user = False
    extra_context = {"admin_login": True}


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > settings.LOGIN_OTP_PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _finish_login(request, user, pending, device):
    del request.session[PENDING]
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)


def second_factor(request):
    """After the password: the code from the authenticator app (or a recovery code); an
    account that must have a second factor and has none binds one here first."""
    user, pending = _pending_user(request)
    if user is None:
        messages.error(request, "验证已超时，请重新输入用户名和密码。")
        return redirect("login")
    if not actions.has_second_factor(user):
        return _enrol(request, user, layout="login", pending=pending)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = actions.verify_second_factor(user, form.cleaned_data["token"], request)
        if device is not None:
            _finish_login(request, user, pending, device)
            return redirect(pending["next"])
        form.add_error("token", _wrong_code_message(user))
    return render(request, "orgs/second_factor.html", {"form": form, "who": user})


def _wrong_code_message(user) -> str:
    wait = actions.second_factor_wait(user)
    if wait >= 60:
        return f"验证码错误次数过多，请在 {actions.wait_text(wait)}后再试。"
    if wait > 0:
        return f"验证码不正确或已使用。请在 {actions.wait_text(wait)}后再试。"
    return "验证码不正确或已使用。"


def _enrol(request, user, layout, pending=None):
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.confirm_totp(user, form.cleaned_data["token"], request)
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            if pending is not None:
                next_url = pending["next"]
                _finish_login(request, user, pending, actions.totp_device(user))
            else:
                next_url = reverse("orgs:security")
            return render(
                request,
                "orgs/recovery_codes.html",
                {"codes": codes, "next_url": next_url, "layout": layout},
            )
    device = actions.pending_totp_device(user)
    context = {
        "form": form,
        "qr": actions.qr_svg(device),
        "secret": _grouped_secret(device),
        "layout": layout,
        "who": user,
    }
    return render(request, "orgs/otp_enrol.html", context)


def _grouped_secret(device):
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def home(request):
    """Each role starts where its work is; an account without unit or role is told so."""
    user = request.user
    if user.is_supervisor:
        return redirect("dashboard:cockpit")
    if user.is_discipline:
        return redirect("ledger:leads")
    if user.unit_id:
        return redirect("dashboard:todo")
    return render(request, "orgs/home.html")


@login_required
def notifications(request):
    # One's own notifications, newest first (ties by id, so pages are stable).
    listing = Listing(request, request.user.notifications.order_by("-created_at", "-id"))
    return render(request, "orgs/notifications.html", {"page": listing.page(), "listing": listing})


@login_required
@require_POST
def notification_read(request, pk):
    note = get_object_or_404(request.user.notifications, pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if note.url and request.POST.get("follow"):
        return redirect(note.url)
    return redirect("orgs:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    request.user.notifications.unread().update(read_at=timezone.now())
    return redirect("orgs:notifications")


@login_required
def password_change(request):
    form = ChinesePasswordChangeForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = actions.change_password(form, request)
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改。")
        return redirect("home")
    return render(request, "orgs/password_change.html", {"form": form})


@login_required
def security(request):
    """The user's own second factor; for the supervisor also which roles must use one."""
    user = request.user
    context = {
        "enabled": actions.has_second_factor(user),
        "required": user.otp_required,
        "disable_form": OtpTokenForm(),
        "recovery_left": _recovery_left(user),
    }
    if user.is_supervisor:
        context["roles"] = actions.roles_for_settings()
    return render(request, "orgs/security.html", context)


def _recovery_left(user):
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user).count()


@login_required
def otp_enrol(request):
    if actions.has_second_factor(request.user):
        messages.info(request, "双因素认证已启用。")
        return redirect("orgs:security")
    return _enrol(request, request.user, layout="page")


@login_required
@require_POST
def recovery_codes(request):
    form = OtpTokenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请输入验证码。")
        codes = actions.regenerate_recovery_codes(request.user, form.cleaned_data["token"], request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("orgs:security")
    context = {"codes": codes, "next_url": reverse("orgs:security"), "layout": "page"}
    return render(request, "orgs/recovery_codes.html", context)


@login_required
@require_POST
def otp_disable(request):
    form = OtpTokenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请输入验证码。")
        actions.disable_otp(request.user, form.cleaned_data["token"], request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
    else:
        messages.success(request, "双因素认证已停用。")
    return redirect("orgs:security")


@login_required
@require_POST
def role_otp(request):
    """The supervisor sets which roles must sign in with a second factor."""
    actions.check_set_role_otp_required(request.user)
    wanted = set(request.POST.getlist("otp_required"))
    for role in Role.objects.all():
        actions.set_role_otp_required(role, role.code in wanted, request.user, request)
    messages.success(request, "角色的双因素认证要求已保存。")
    return redirect("orgs:security")


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lock's message (also for /admin/login/); axes calls
    it (settings.AXES_LOCKOUT_CALLABLE)."""
    form = LoginForm(request, initial={"username": get_client_username(request, credentials)})
    context = {"form": form, "lockout_message": lockout.messages()["locked"], "next": ""}
    return render(request, "orgs/login.html", context, status=429)
