import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from tests.orgs.factories import PASSWORD


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_login_with_right_password_reaches_home_and_is_audited(personas, client):
    response = _login(client, "clerk_a", PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="orgs.login", actor=personas["clerk_a"]).count() == 1


def test_wrong_password_shows_chinese_message_and_is_audited(personas, client):
    response = _login(client, "clerk_a", "wrong-Pass1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(action="orgs.login_failed").count() == 1


def test_five_failures_lock_the_account_even_for_the_right_password(personas, client):
    for _ in range(5):
        _login(client, "clerk_a", "wrong-Pass1")
    response = _login(client, "clerk_a", PASSWORD)
    assert response.status_code == 429
    assert "已被临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    user = personas["clerk_a"]
    locked = AuditEvent.objects.get(action="orgs.login_locked", object_id=str(user.pk))
    assert locked.data["by"] == "account"
    refused = AuditEvent.objects.filter(action="orgs.login_failed").order_by("-id").first()
    assert refused.data["reason"] == "locked"


def test_four_failures_then_success_resets_the_counter(personas, client):
    from axes.models import AccessAttempt

    for _ in range(4):
        _login(client, "clerk_a", "wrong-Pass1")
    assert AccessAttempt.objects.get(username="clerk_a").failures_since_start == 4
    assert _login(client, "clerk_a", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="clerk_a").exists()
    client.logout()
    for _ in range(4):
        _login(client, "clerk_a", "wrong-Pass1")
    assert _login(client, "clerk_a", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["short1A", "alllowercase", "lower123456", "NOLOWER!!!!"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Password1!", "P@ssw0rd", "1qaz@WSX", "Abcdefg1"])
def test_common_passwords_are_refused_though_they_have_three_classes(password):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert "password_too_common" in [e.code for e in exc.value.error_list]


@pytest.mark.parametrize("password", ["Abcdefg9x", "abc123!@#", "ABC!!!abc"])
def test_passwords_with_three_classes_are_accepted(password):
    assert validate_password(password) is None  # raises ValidationError when refused


def test_session_expires_after_thirty_idle_minutes(personas, client):
    from datetime import timedelta

    from django.contrib.sessions.models import Session

    assert _login(client, "clerk_a", PASSWORD).status_code == 302
    session = Session.objects.get()
    # Each request pushes the expiry 30 minutes ahead ...
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    client.get("/notifications/")
    assert client.get("/notifications/").status_code == 200
    # ... and 30 idle minutes later the session is gone.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_audit_rows_cannot_be_changed_or_deleted(personas, client):
    _login(client, "clerk_a", PASSWORD)
    event = AuditEvent.objects.get(action="orgs.login")
    event.action = "x"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="y")


def test_the_login_messages_state_the_configured_lockout(personas, client, settings):
    settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCK_MINUTES = 3, 30
    html = _login(client, "clerk_a", "wrong-Pass1").content.decode()
    assert "连续失败 3 次后账号将被锁定 30 分钟" in html
    for _ in range(2):
        _login(client, "clerk_a", "wrong-Pass1")
    html = _login(client, "clerk_a", PASSWORD).content.decode()
    assert "已被临时锁定，请 30 分钟后再试" in html


def test_guessing_the_password_on_the_change_page_is_locked_out_too(personas, client_for):
    """A signed-in session (a computer left open) cannot try passwords without limit
    through the change form's 原密码: the same lockout as the sign-in page."""
    user = personas["clerk_a"]
    client = client_for(user)

    def change(old):
        new = "Nq8#vTe3pLx7"
        data = {"old_password": old, "new_password1": new, "new_password2": new}
        return client.post("/me/password/", data)

    for attempt in range(4):
        assert "旧密码不正确" in change(f"Guess@{attempt}xyz").content.decode()
    assert "已被临时锁定" in change("Guess@4xyz").content.decode()  # the 5th, as at sign-in
    response = change(PASSWORD)
    assert "已被临时锁定" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # not changed
    assert AuditEvent.objects.filter(action="orgs.login_failed").count() == 6
    assert AuditEvent.objects.filter(action="orgs.login_locked").count() == 1
    assert not AuditEvent.objects.filter(action="orgs.password_changed").exists()


def test_the_admin_password_change_is_the_site_s(personas, client_for):
    """/admin/password_change/ would check 原密码 without the lockout and leave a
    temporary password marked as such: it is the site's page."""
    staff = personas["supervisor"]
    staff.is_staff = True
    staff.save()
    response = client_for(staff).get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == "/me/password/"
