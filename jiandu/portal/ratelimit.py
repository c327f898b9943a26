"""Per-address rate limits kept in the database, so every gunicorn worker counts the
same requests (the default cache is per process). Fixed windows: one row per
(scope, address, window); old rows are swept now and then."""

import random
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jiandu.audit.log import client_ip
from jiandu.env import env_int
from jiandu.portal.models import RateCounter

# scope -> (requests allowed per window, window in seconds). Overridable per deploy
# with JIANDU_PORTAL_LIMIT_<SCOPE> (requests per window), or settings.PORTAL_RATE_LIMITS.
DEFAULT_LIMITS = {
    "submit": (10, 3600),  # complaints filed
    "track": (30, 600),  # tracking-code lookups (against enumeration)
    "verify": (30, 600),  # inspection-code lookups
    "captcha": (60, 600),  # new challenges
    "feedback": (20, 3600),  # supplements and ratings
}


def limits() -> dict[str, tuple[int, int]]:
    configured = getattr(settings, "PORTAL_RATE_LIMITS", None) or {}
    out = {}
    for scope, (count, window) in DEFAULT_LIMITS.items():
        count = env_int(f"JIANDU_PORTAL_LIMIT_{scope.upper()}", count)
        out[scope] = configured.get(scope, (count, window))
    return out


def hit(request, scope: str) -> bool:
    """Count one request; False when the address has used up its allowance."""
    allowed, window = limits()[scope]
    now = timezone.now()
    start = int(now.timestamp()) // window * window
    key = f"{scope}:{client_ip(request) or '-'}:{start}"[:120]
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(
                        key=key,
                        count=1,
                        window_start=datetime.fromtimestamp(start, tz=UTC),
                    )
            except IntegrityError:
                RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        count = RateCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0
    if random.random() < 0.01:
        RateCounter.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    return count <= allowed


LIMITED_MESSAGE = "操作过于频繁，请稍后再试。"
