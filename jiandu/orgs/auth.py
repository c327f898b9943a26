"""Login with lockout: after N consecutive failures an account is locked for a while."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from jiandu.audit.log import log


class AccountLocked(Exception):
    pass


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        from jiandu.orgs.models import User

        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            log(
                "orgs.login_failed",
                request=request,
                data={"username": username[:150], "reason": "unknown"},
            )
            return None
        if user.is_locked():
            log(
                "orgs.login_failed",
                actor=None,
                obj=user,
                unit=user.unit,
                request=request,
                data={"username": username, "reason": "locked"},
            )
            raise AccountLocked()
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        record_failure(user, request)
        return None


@transaction.atomic
def record_failure(user, request):
    from jiandu.orgs.models import User

    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    log(
        "orgs.login_failed",
        obj=user,
        unit=user.unit,
        request=request,
        data={"username": user.username, "failures": user.failed_logins},
    )
    if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
        until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
        log(
            "orgs.login_locked",
            obj=user,
            unit=user.unit,
            request=request,
            data={"until": until.isoformat()},
        )


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    log("orgs.login", actor=user, obj=user, unit=user.unit, request=request)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        log("orgs.logout", actor=user, obj=user, unit=user.unit, request=request)
