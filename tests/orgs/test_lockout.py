"""Lockout (django-axes): by account and address together, per address, 5 means 5 even
when the attempts arrive at the same moment, and the admin's login page."""

import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.db import connection
from django.test import Client

from jiandu.audit.models import AuditEvent
from jiandu.orgs.models import Role, Unit
from tests.orgs.factories import PASSWORD, make_user


def _login(client, username, password, path="/login/"):
    return client.post(path, {"username": username, "password": password})


def test_a_stranger_elsewhere_cannot_lock_the_real_user_out(personas):
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        _login(stranger, "clerk_a", "wrong-Pass1")
    assert _login(stranger, "clerk_a", PASSWORD).status_code == 429
    office = Client(REMOTE_ADDR="10.1.2.3")
    assert _login(office, "clerk_a", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="orgs.login_locked")
    assert event.ip == "203.0.113.9" and event.data["username"] == "clerk_a"


def test_one_address_trying_many_accounts_is_locked_as_a_whole(personas, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    for name in ["clerk_a", "leader_a", "clerk_b"]:
        for _ in range(2):
            response = _login(sprayer, name, "wrong-Pass1")
    assert response.status_code == 429  # the 6th failure from this address
    # Every account from this address is refused now, even with the right password ...
    response = _login(sprayer, "supervisor", PASSWORD)
    assert response.status_code == 429 and "已被临时锁定" in response.content.decode()
    # ... while the same account signs in from another address.
    assert _login(Client(REMOTE_ADDR="10.1.2.3"), "supervisor", PASSWORD).status_code == 302
    assert AuditEvent.objects.get(action="orgs.login_locked").data["by"] == "address"


def test_unknown_usernames_are_audited_and_counted(db):
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        response = _login(client, "nobody", "wrong-Pass1")
    assert response.status_code == 429
    failed = AuditEvent.objects.filter(action="orgs.login_failed")
    assert failed.count() == 5 and failed.first().data["reason"] == "unknown"


def test_admin_login_with_a_locked_account_shows_the_lockout_message(personas):
    client = Client()
    for _ in range(5):
        _login(client, "supervisor", "wrong-Pass1", path="/admin/login/")
    response = _login(client, "supervisor", PASSWORD, path="/admin/login/?next=/admin/")
    assert response.status_code == 429
    assert "已被临时锁定，请 15 分钟后再试" in response.content.decode()


def test_admin_login_page_is_the_platform_login(db):
    response = Client().get("/admin/", follow=True)
    assert response.status_code == 200
    assert "行政执法监督平台" in response.content.decode()


def _post_login(base, username, password, forwarded_for=None):
    """One sign-in through real HTTP, with its own cookies (CSRF) like a browser."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"{base}/login/", data=data, headers={"Referer": base})
    try:
        with opener.open(request) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel connections need PostgreSQL: the SQLite test database is in memory, "
    "where concurrent writers fail at once (bench/lockout_bench.py covers a SQLite file)",
)
@pytest.mark.django_db(transaction=True)
def test_five_means_five_under_parallel_attempts(live_server):
    """20 wrong passwords at once from one address: exactly 5 are checked and counted,
    the other 15 are refused as locked without a password check."""
    unit = Unit.objects.create(code="L-A", name="甲镇人民政府", kind=Unit.Kind.TOWNSHIP)
    make_user("target", unit, Role.CLERK)
    barrier = threading.Barrier(20)
    statuses = []

    def attempt():
        barrier.wait()
        statuses.append(_post_login(live_server.url, "target", "wrong-Pass1"))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 20 and 500 not in statuses
    checked = [
        e
        for e in AuditEvent.objects.filter(action="orgs.login_failed")
        if e.data.get("reason") != "locked"
    ]
    assert len(checked) == 5
    assert sorted(e.data["failures"] for e in checked) == [1, 2, 3, 4, 5]
    assert AuditEvent.objects.filter(action="orgs.login_locked").count() == 1
    assert statuses.count(429) == 16  # the 5th failure already answers with the lock


def test_a_system_administrator_unlocks_an_account_in_admin_and_it_is_audited(personas, client_for):
    from jiandu.orgs.models import User

    locked_out = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        _login(locked_out, "clerk_a", "wrong-Pass1")
    assert _login(locked_out, "clerk_a", PASSWORD).status_code == 429
    root = User.objects.create_superuser("root", password=PASSWORD)
    response = client_for(root).post(
        "/admin/orgs/user/",
        {"action": "unlock", "_selected_action": [personas["clerk_a"].pk]},
        follow=True,
    )
    assert "已解除 1 个用户的登录锁定" in response.content.decode()
    assert _login(locked_out, "clerk_a", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="orgs.login_unlocked")
    assert event.actor == root and event.data["attempts"] == 1
