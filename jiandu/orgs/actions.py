"""State changes of accounts: password, second factor (django-otp), the per-role second
factor requirement. Each checks who may do it, writes, and audits in one transaction."""

import io
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiandu.audit.log import log
from jiandu.lib.locking import lock
from jiandu.orgs.models import Role

RECOVERY_CODES = 10


# -- password ---------------------------------------------------------------------


@transaction.atomic
def change_password(form, request):
    """`form` is a valid ChinesePasswordChangeForm of the signed-in user."""
    user = form.save(commit=False)
    user.must_change_password = False
    user.save()
    log("orgs.password_changed", actor=user, obj=user, request=request)
    return user


# -- lockout ----------------------------------------------------------------------


def check_unlock(actor):
    if not (actor is not None and actor.is_authenticated and actor.is_superuser):
        raise PermissionDenied("只有系统管理员可以解除登录锁定。")


@transaction.atomic
def unlock(users, actor, request) -> int:
    """Forget the sign-in failures of these accounts, from every address."""
    from axes.utils import reset

    check_unlock(actor)
    cleared = 0
    for user in users:
        count = reset(username=user.username)
        cleared += count
        log(
            "orgs.login_unlocked",
            actor=actor,
            obj=user,
            unit=user.unit,
            request=request,
            data={"username": user.username, "attempts": count},
        )
    return cleared


# -- second factor ----------------------------------------------------------------


def totp_device(user, confirmed=True):
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user):
    """The device being enrolled: a fresh secret until a code confirms it."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def qr_svg(device) -> str:
    """The enrolment QR code as inline SVG: made here, nothing fetched."""
    # qrcode (and the Pillow and lxml it pulls in) is imported when a code is drawn.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def confirm_totp(user, token, request) -> list[str]:
    """The code from the app confirms the pending secret; returns the recovery codes,
    which are shown once and kept only as one-time tokens."""
    device = totp_device(user, confirmed=False)
    if device is None:
        raise ValidationError("请先打开绑定页面扫描二维码。")
    lock(device)
    if not device.verify_token(token):
        raise ValidationError("验证码不正确，请核对手机时间后输入当前显示的 6 位数字。")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    log("orgs.otp_enabled", actor=user, obj=user, request=request)
    return codes


def regenerate_recovery_codes(user, token, request) -> list[str]:
    """New recovery codes are a second factor of their own: like switching it off, they
    take a current code, so a session left open cannot mint them."""
    if not has_second_factor(user):
        raise ValidationError("尚未启用双因素认证。")
    # Checked before the transaction: a wrong code's throttling and audit row must stay.
    if verify_second_factor(user, token, request) is None:
        raise ValidationError("验证码不正确，恢复码未重新生成。")
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        log("orgs.recovery_codes_regenerated", actor=user, obj=user, request=request)
    return codes


def check_disable_otp(user):
    if user.otp_required:
        raise PermissionDenied("您的账号须使用双因素认证，不能停用。")


def disable_otp(user, token, request):
    check_disable_otp(user)
    # Checked before the transaction: a wrong code's throttling and audit row must stay.
    if verify_second_factor(user, token, request) is None:
        raise ValidationError("验证码不正确，双因素认证未停用。")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        log("orgs.otp_disabled", actor=user, obj=user, request=request)


def verify_second_factor(user, token, request):
    """The device that accepts `token` (a TOTP code, or a recovery code, used up), or None.
    Each device is locked while it checks, so a recovery code works once even when sent
    twice at the same moment; TOTPDevice throttles repeated wrong codes."""
    token = "".join((token or "").split()).lower()
    kinds = (TOTPDevice,) if token.isdigit() else (StaticDevice,)
    with transaction.atomic():
        for kind in kinds:
            for device in kind.objects.filter(user=user, confirmed=True):
                lock(device)
                if device.verify_token(token):
                    return device
    log(
        "orgs.otp_failed",
        obj=user,
        unit=user.unit,
        request=request,
        data={"username": user.username},
    )
    return None


def second_factor_wait(user) -> int:
    """Seconds until django-otp lets `user` try a code again (0: now). Its throttle
    doubles the wait after each wrong code in a row, so it can reach hours."""
    now = timezone.now()
    wait = 0.0
    for kind in (TOTPDevice, StaticDevice):
        for device in kind.objects.filter(user=user, confirmed=True):
            allowed, data = device.verify_is_allowed()
            if not allowed and data and data.get("locked_until"):
                wait = max(wait, (data["locked_until"] - now).total_seconds())
    return math.ceil(wait)


def wait_text(seconds: int) -> str:
    """A wait in Chinese, rounded up: 45 秒, 9 分钟, 2 小时 17 分钟, 3 天 4 小时."""
    if seconds < 60:
        return f"{seconds} 秒"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"{minutes} 分钟"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} 小时 {minutes} 分钟" if minutes else f"{hours} 小时"
    days, hours = divmod(hours, 24)
    return f"{days} 天 {hours} 小时" if hours else f"{days} 天"


def check_reset_otp_throttle(actor):
    if not (actor is not None and actor.is_authenticated and actor.is_superuser):
        raise PermissionDenied("只有系统管理员可以解除验证码错误等待。")


@transaction.atomic
def reset_otp_throttle(users, actor, request) -> int:
    """Let these accounts try a second-factor code at once again (the owner has found the
    right phone, or someone guessed at the codes and the owner must not be kept out)."""
    check_reset_otp_throttle(actor)
    reset = 0
    for user in users:
        failures = 0
        for kind in (TOTPDevice, StaticDevice):
            for device in kind.objects.filter(user=user):
                lock(device)
                failures = max(failures, device.throttling_failure_count)
                device.throttle_reset()
        reset += 1
        log(
            "orgs.otp_throttle_reset",
            actor=actor,
            obj=user,
            unit=user.unit,
            request=request,
            data={"username": user.username, "failures": failures},
        )
    return reset


# -- the per-role requirement ----------------------------------------------------------


def check_set_role_otp_required(actor):
    if not (actor is not None and actor.is_authenticated and actor.is_supervisor):
        raise PermissionDenied("只有监督管理员可以设置角色的双因素认证要求。")


@transaction.atomic
def set_role_otp_required(role, required: bool, actor, request):
    check_set_role_otp_required(actor)
    lock(role)
    if role.otp_required == required:
        return role
    role.otp_required = required
    role.save(update_fields=["otp_required"])
    log(
        "orgs.role_otp_changed",
        actor=actor,
        obj=role,
        unit=actor.unit,
        request=request,
        data={"role": role.code, "otp_required": required},
    )
    return role


def roles_for_settings():
    return Role.objects.order_by("id")
