"""Second factor (django-otp TOTP + one-time recovery codes), the first-sign-in password
change, and the demo accounts inside and outside `jiandu demo`."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiandu.audit.models import AuditEvent
from jiandu.orgs.models import Role, User
from tests.orgs.factories import PASSWORD, make_user


def _login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def _code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def _enrol(client, user):
    """Open the enrolment page, read the secret from it, confirm with a computed code."""
    page = client.get("/me/security/totp/").content.decode()
    assert "<svg" in page  # the QR code, inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    assert secret  # what a phone without a camera types in
    response = client.post("/me/security/totp/", {"token": _code(device)})
    return re.findall(
        r'<span class="border rounded[^>]*>([a-z2-7]{8})</span>', response.content.decode()
    )


def test_any_account_enrols_and_then_signs_in_with_password_and_code(personas, client_for):
    user = personas["clerk_a"]
    codes = _enrol(client_for(user), user)
    assert len(codes) == 10
    assert AuditEvent.objects.filter(action="orgs.otp_enabled", actor=user).exists()

    logins = AuditEvent.objects.filter(action="orgs.login", actor=user)
    before = logins.count()
    client = Client()
    response = _login(client, "clerk_a")
    assert response["Location"] == "/login/verify/"
    assert "_auth_user_id" not in client.session  # not signed in by the password alone
    assert client.get("/notifications/").status_code == 302
    response = client.post("/login/verify/", {"token": "000000"})
    assert "验证码不正确" in response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    device.throttling_failure_count = 0  # django-otp makes the next try wait after a miss
    device.save()
    # The code of the enrolment is spent; the app's next code (one step ahead) is accepted.
    response = client.post("/login/verify/", {"token": _code(device, drift=1)})
    assert response.status_code == 302
    assert client.get("/notifications/").status_code == 200
    assert logins.count() == before + 1
    assert AuditEvent.objects.filter(action="orgs.otp_failed").count() == 1


def test_a_recovery_code_works_once(personas, client_for):
    user = personas["clerk_a"]
    codes = _enrol(client_for(user), user)
    first = Client()
    _login(first, "clerk_a")
    assert first.post("/login/verify/", {"token": codes[0].upper()}).status_code == 302
    second = Client()
    _login(second, "clerk_a")
    response = second.post("/login/verify/", {"token": codes[0]})
    assert response.status_code == 200 and "_auth_user_id" not in second.session
    page = client_for(user).get("/me/security/").content.decode()
    assert "剩余恢复码 9 个" in page


def test_superuser_must_bind_an_authenticator_at_first_sign_in(units):
    admin = make_user("root", units["justice"], is_superuser=True, is_staff=True)
    client = Client()
    assert _login(client, "root")["Location"] == "/login/verify/"
    page = client.get("/login/verify/").content.decode()
    assert "须使用双因素认证" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    response = client.post("/login/verify/", {"token": _code(device)})
    assert "只显示这一次" in response.content.decode()
    assert client.get("/admin/").status_code == 200
    # Required: it cannot be switched off.
    response = client.post("/me/security/disable/", {"token": _code(device)}, follow=True)
    assert "不能停用" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


def test_supervisor_requires_the_second_factor_for_a_role_and_it_is_audited(personas, client_for):
    supervisor = client_for(personas["supervisor"])
    assert "各角色是否必须使用双因素认证" in supervisor.get("/me/security/").content.decode()
    supervisor.post("/me/security/roles/", {"otp_required": ["leader"]})
    assert Role.objects.get(code=Role.LEADER).otp_required
    event = AuditEvent.objects.get(action="orgs.role_otp_changed")
    assert event.actor == personas["supervisor"] and event.data["role"] == "leader"
    assert _login(Client(), "leader_a")["Location"] == "/login/verify/"
    assert _login(Client(), "clerk_a")["Location"] == "/"
    # Nobody else may change it.
    assert client_for(personas["clerk_a"]).post("/me/security/roles/", {}).status_code == 403
    assert Role.objects.get(code=Role.LEADER).otp_required


def test_an_optional_second_factor_can_be_switched_off_with_a_code(personas, client_for):
    user = personas["clerk_a"]
    client = client_for(user)
    _enrol(client, user)
    device = TOTPDevice.objects.get(user=user)
    client.post("/me/security/disable/", {"token": _code(device, drift=1)})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert _login(Client(), "clerk_a")["Location"] == "/"


def test_new_account_must_change_its_password_first(units, client):
    user = make_user("newbie", units["a"], Role.CLERK, must_change_password=True)
    response = _login(client, "newbie")
    assert client.get("/notifications/")["Location"] == "/me/password/"
    page = client.get("/me/password/").content.decode()
    assert "首次登录请先修改密码" in page
    response = client.post(
        "/me/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert "新密码不能与原密码相同" in response.content.decode()
    new = "Xin-mima-2027"
    response = client.post(
        "/me/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get("/notifications/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(new)


def test_accounts_made_or_reset_in_admin_must_change_their_password(personas, client_for):
    admin = User.objects.create_superuser("sysadmin", password=PASSWORD)
    client = client_for(admin)
    client.post(
        "/admin/orgs/user/add/",
        {"username": "made", "password1": "Chu-shi-2026", "password2": "Chu-shi-2026"},
    )
    assert User.objects.get(username="made").must_change_password
    clerk = personas["clerk_a"]
    client.post(
        f"/admin/orgs/user/{clerk.pk}/password/",
        {"password1": "Chong-zhi-2026", "password2": "Chong-zhi-2026"},
    )
    clerk.refresh_from_db()
    assert clerk.must_change_password


@pytest.fixture
def demo_account(units):
    return make_user(
        "demo_tb", units["a"], Role.CLERK, demo_account=True, must_change_password=True
    )


def test_demo_accounts_sign_in_as_they_are_while_the_demo_runs(demo_account, settings, client):
    settings.JIANDU_DEMO = True
    assert _login(client, "demo_tb")["Location"] == "/"
    assert client.get("/notifications/").status_code == 200


def test_demo_accounts_outside_the_demo_must_change_their_password(demo_account, settings, client):
    settings.JIANDU_DEMO = False
    assert _login(client, "demo_tb")["Location"] == "/"
    assert client.get("/notifications/")["Location"] == "/me/password/"


@pytest.mark.slow
def test_the_demo_seed_marks_its_accounts(db):
    from jiandu.demo import county as demo

    ctx = {}
    demo.seed(ctx)
    admin = User.objects.get(username="admin")
    assert admin.demo_account and admin.must_change_password
    assert User.objects.filter(demo_account=False).count() == 0


@pytest.mark.slow
def test_demo_admin_outside_the_demo_must_bind_an_authenticator(db, settings, client):
    from jiandu.demo import county as demo

    demo.seed({})
    settings.JIANDU_DEMO = True
    assert _login(client, "admin", demo.PASSWORD)["Location"] == "/"
    client.logout()
    settings.JIANDU_DEMO = False
    assert _login(client, "admin", demo.PASSWORD)["Location"] == "/login/verify/"


def test_the_code_step_expires_and_asks_for_the_password_again(units, client, settings):
    make_user("root", units["justice"], is_superuser=True, is_staff=True)
    settings.LOGIN_OTP_PENDING_SECONDS = 0
    _login(client, "root")
    response = client.get("/login/verify/", follow=True)
    assert "验证已超时，请重新输入用户名和密码" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_the_code_is_limited_also_across_new_password_steps(personas, client_for):
    """With the password known, the 6 digits cannot be tried through: after a few wrong
    codes even the right one is refused for a while, and signing in with the password
    again does not start the count anew."""
    user = personas["clerk_a"]
    _enrol(client_for(user), user)
    device = TOTPDevice.objects.get(user=user)
    client = Client()
    for attempt in range(10):
        if attempt % 5 == 0:
            client = Client()  # a fresh session: the password step again
            assert _login(client, "clerk_a")["Location"] == "/login/verify/"
        # The guesser waits out each wait django-otp imposes (1, 2, 4 ... s), so every
        # guess is checked and counted, however fast or slow the requests run.
        _throttled(user, device.throttling_failure_count, ago_seconds=_wait_after(device))
        wrong = f"{(int(_code(device, drift=1)) + 1 + attempt) % 1_000_000:06d}"
        response = client.post("/login/verify/", {"token": wrong})
        assert response.status_code == 200
        device.refresh_from_db()
        assert device.throttling_failure_count == attempt + 1  # the new session counts on
    # Right after the tenth wrong code the wait is 2**9 = 512 s: the right code is refused.
    response = client.post("/login/verify/", {"token": _code(device, drift=1)})
    assert response.status_code == 200 and "验证码错误次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="orgs.otp_failed").count() == 11


def _wait_after(device):
    """Seconds django-otp makes `device` wait after its wrong codes so far, plus one."""
    failures = device.throttling_failure_count
    return 2 ** (failures - 1) + 1 if failures else 0


def test_new_recovery_codes_need_a_current_code(personas, client_for):
    """A session left open cannot mint recovery codes (a second factor of its own):
    like switching the second factor off, it takes a code from the app."""
    from django_otp.plugins.otp_static.models import StaticToken

    user = personas["clerk_a"]
    client = client_for(user)
    first = set(_enrol(client, user))
    response = client.post("/me/security/recovery-codes/", {})
    assert response.status_code == 302
    assert set(StaticToken.objects.values_list("token", flat=True)) == first
    assert not AuditEvent.objects.filter(action="orgs.recovery_codes_regenerated").exists()
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/me/security/recovery-codes/", {"token": _code(device, drift=1)})
    assert response.status_code == 200
    fresh = set(StaticToken.objects.values_list("token", flat=True))
    assert len(fresh) == 10 and not fresh & first
    assert AuditEvent.objects.filter(action="orgs.recovery_codes_regenerated").count() == 1


def _throttled(user, failures, ago_seconds=0):
    """Set-up: the device as django-otp leaves it after `failures` wrong codes in a row."""
    from datetime import timedelta

    from django.utils import timezone

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    device.throttling_failure_count = failures
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=ago_seconds)
    device.save()
    return device


def test_after_many_wrong_codes_the_message_says_how_long_to_wait(personas, client_for):
    user = personas["clerk_a"]
    _enrol(client_for(user), user)
    device = _throttled(user, failures=10)  # django-otp: 2**9 = 512 s, about 9 minutes
    client = Client()
    _login(client, "clerk_a")
    # Even the right code is refused while the wait lasts, and the page says how long.
    page = client.post("/login/verify/", {"token": _code(device, drift=1)}).content.decode()
    assert "验证码错误次数过多，请在 9 分钟后再试。" in page
    assert "_auth_user_id" not in client.session
    assert "稍等片刻" not in page

    _throttled(user, failures=14)  # 8192 s
    page = client.post("/login/verify/", {"token": "000000"}).content.decode()
    assert "验证码错误次数过多，请在 2 小时 17 分钟后再试。" in page


def test_a_single_wrong_code_says_it_was_wrong(personas, client_for):
    user = personas["clerk_a"]
    _enrol(client_for(user), user)
    client = Client()
    _login(client, "clerk_a")
    page = client.post("/login/verify/", {"token": "000000"}).content.decode()
    assert "验证码不正确或已使用。" in page and "次数过多" not in page


def test_a_system_administrator_resets_the_code_wait_in_admin_and_it_is_audited(
    personas, client_for
):
    user = personas["clerk_a"]
    _enrol(client_for(user), user)
    device = _throttled(user, failures=14)
    root = User.objects.create_superuser("root", password=PASSWORD)
    admin = client_for(root)
    response = admin.post(
        "/admin/orgs/user/",
        {"action": "reset_otp_throttle", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "已解除 1 个用户的验证码错误等待" in response.content.decode()
    event = AuditEvent.objects.get(action="orgs.otp_throttle_reset")
    assert event.actor == root and event.data == {"username": "clerk_a", "failures": 14}
    client = Client()
    _login(client, "clerk_a")
    assert client.post("/login/verify/", {"token": _code(device, drift=1)}).status_code == 302
    audit_page = admin.get("/audit/").content.decode()
    assert "解除验证码错误等待" in audit_page


def test_only_a_system_administrator_resets_the_code_wait(personas):
    from django.core.exceptions import PermissionDenied

    from jiandu.orgs import actions

    with pytest.raises(PermissionDenied):
        actions.reset_otp_throttle([personas["clerk_a"]], personas["supervisor"], None)
