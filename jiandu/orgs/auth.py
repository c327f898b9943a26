"""Sign-in and sign-out are audited. Lockout is django-axes (orgs/lockout.py)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from jiandu.audit.log import log


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    log("orgs.login", actor=user, obj=user, unit=user.unit, request=request)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        log("orgs.logout", actor=user, obj=user, unit=user.unit, request=request)
