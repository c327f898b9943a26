"""An offline CAPTCHA: a small sum drawn by Pillow. The answer stays in the database,
keyed by a random id that the form carries; a challenge is deleted on its first use,
right or wrong, and expires after a few minutes."""

import io
import random
import secrets
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone

from jiandu.portal.models import CaptchaChallenge

LIFETIME = timedelta(minutes=15)
_rng = random.SystemRandom()


def new_challenge() -> CaptchaChallenge:
    a, b = _rng.randint(1, 19), _rng.randint(1, 9)
    if _rng.random() < 0.5 or a < b:
        question, answer = f"{a} + {b} = ?", a + b
    else:
        question, answer = f"{a} - {b} = ?", a - b
    # Old challenges are swept now and then instead of by a scheduled job.
    if _rng.random() < 0.02:
        CaptchaChallenge.objects.filter(created_at__lt=timezone.now() - LIFETIME).delete()
    return CaptchaChallenge.objects.create(
        id=secrets.token_urlsafe(24), question=question, answer=str(answer)
    )


def verify(challenge_id: str, answer: str) -> bool:
    """True once for a correct, fresh answer; the challenge is gone afterwards either way."""
    if not challenge_id or len(challenge_id) > 40:
        return False
    # Read and delete in one statement: of two posts racing with the same challenge,
    # only one gets the row back.
    table = connection.ops.quote_name(CaptchaChallenge._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM {table} WHERE "id" = %s RETURNING "answer", "created_at"',
            [challenge_id],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    expected, created_at = row
    if isinstance(created_at, str):  # SQLite hands back text from a raw cursor
        created_at = datetime.fromisoformat(created_at)
    if timezone.is_naive(created_at):
        created_at = timezone.make_aware(created_at, UTC)
    if created_at < timezone.now() - LIFETIME:
        return False
    return (answer or "").strip() == expected


def render_png(challenge: CaptchaChallenge) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(challenge.pk)
    width, height = 180, 60
    img = Image.new("RGB", (width, height), (245, 247, 250))
    draw = ImageDraw.Draw(img)
    for _ in range(8):
        draw.line(
            [(rng.randint(0, width), rng.randint(0, height)) for _ in range(2)],
            fill=(rng.randint(150, 210),) * 3,
            width=1,
        )
    font = ImageFont.load_default(size=30)
    x = 10
    for ch in challenge.question:
        if ch == " ":
            x += 6
            continue
        color = (rng.randint(10, 90), rng.randint(30, 90), rng.randint(90, 160))
        draw.text((x, rng.randint(8, 18)), ch, font=font, fill=color)
        x += 21
    for _ in range(120):
        draw.point((rng.randint(0, width - 1), rng.randint(0, height - 1)), fill=(120, 120, 120))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()
