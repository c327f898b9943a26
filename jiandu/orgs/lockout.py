"""Sign-in lockout with django-axes: by account and client address together (a stranger
elsewhere cannot lock a real user out), plus a higher limit per address across accounts.

axes counts a failure after the password check; two parallel attempts at the 5th failure
would both pass the check and a 6th, 7th, ... password would be tried. `attempt_lock`
serialises the attempts of one account from one address around the whole check, so the
limit holds under parallel attempts (tests/orgs/test_lockout.py, bench/lockout_bench.py)."""

import fcntl
import hashlib
from contextlib import contextmanager
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum

from jiandu.audit.log import client_ip, log
from jiandu.orgs.models import User


def failure_limit(request=None, credentials=None) -> int:
    return settings.LOGIN_MAX_FAILURES


def cool_off(request=None) -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def messages() -> dict[str, str]:
    """The login page's messages state the configured numbers, not a copy of them."""
    failures, minutes = settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCK_MINUTES
    return {
        "invalid_login": f"用户名或密码不正确。连续失败 {failures} 次后账号将被锁定 {minutes} 分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
        "locked": f"该账号因连续登录失败已被临时锁定，请 {minutes} 分钟后再试，或联系系统管理员解锁。",
    }


def _address_failures(request) -> int:
    since = request.axes_attempt_time - cool_off(request)
    return (
        AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=since
        ).aggregate(n=Sum("failures_since_start"))["n"]
        or 0
    )


def _user(username):
    return (
        User.objects.filter(username=username).select_related("unit").first() if username else None
    )


class LockoutHandler(AxesDatabaseHandler):
    """axes's database handler with the per-address limit and the audit rows."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return _address_failures(request) >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is None:
            return
        already_locked = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        username = (get_client_username(request, credentials) or "")[:150]
        user = _user(username)
        where = {"obj": user, "unit": user.unit if user else None, "request": request}
        if already_locked:
            log("orgs.login_failed", **where, data={"username": username, "reason": "locked"})
            return
        failures = getattr(request, "axes_failures_since_start", None)
        data = {"username": username, "failures": failures}
        if user is None:
            data["reason"] = "unknown"
        log("orgs.login_failed", **where, data=data)
        if request.axes_locked_out:
            reason = "account"
        elif _address_failures(request) >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
            reason = "address"
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )
        else:
            return
        until = request.axes_attempt_time + cool_off(request)
        log(
            "orgs.login_locked",
            **where,
            data={"username": username, "until": until.isoformat(), "by": reason},
        )


@contextmanager
def attempt_lock(request, username):
    """One sign-in attempt at a time per account and address, from the lockout check to
    the recorded failure. Other pairs are not held up."""
    key = f"jiandu-login\0{username}\0{client_ip(request)}".encode()
    digest = hashlib.blake2b(key, digest_size=8).digest()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
            )
            yield
        return
    # SQLite lives on one host. A transaction here would hold its single write lock
    # through the password hash and stall every writer of the site; a file lock per pair
    # (256 buckets) serialises the attempts across the server's processes and threads.
    folder = settings.DATA_DIR / "locks"
    folder.mkdir(exist_ok=True)
    with open(folder / f"login-{digest[0]:02x}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
