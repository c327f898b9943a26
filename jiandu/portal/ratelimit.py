"""Per-address rate limits kept in the database, so every gunicorn worker counts the
same requests (the default cache is per process). Fixed windows: one row per
(scope, address, window); old rows are swept now and then."""

import random
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
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
    # One statement, atomic on its own (SQLite >= 3.35 and PostgreSQL): this runs on
    # every public request, so it must not hold a write lock any longer than that.
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "count", "window_start") VALUES (%s, 1, %s) '
            f'ON CONFLICT ("key") DO UPDATE SET "count" = {table}."count" + 1 '
            'RETURNING "count"',
            [key, datetime.fromtimestamp(start, tz=UTC)],
        )
        count = cursor.fetchone()[0]
    if random.random() < 0.001:
        RateCounter.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    return count <= allowed


LIMITED_MESSAGE = "操作过于频繁，请稍后再试。"
