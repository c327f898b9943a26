"""Files of a public form kept across an error elsewhere in the form, so the person
does not have to choose them again (browsers empty a file input on every page load).

A held file is already checked (type, size, metadata stripped); the page carries only
its random token, and a later submission of the same form takes it back by that token.
Rows older than a day are swept now and then."""

import random
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from jiandu.documents.uploads import CheckedFile
from jiandu.portal.models import HeldUpload

LIFETIME = timedelta(days=1)


def hold(checked_files) -> list[HeldUpload]:
    if random.random() < 0.05:
        sweep()
    held = []
    for checked in checked_files:
        h = HeldUpload(
            token=secrets.token_urlsafe(24),
            name=checked.name,
            extension=checked.extension,
            content_type=checked.content_type,
            sha256=checked.sha256,
        )
        h.file.save("x", ContentFile(checked.data), save=False)
        if checked.original is not None:
            h.original.save("x", ContentFile(checked.original), save=False)
        h.save()
        held.append(h)
    return held


def find(tokens, limit) -> list[HeldUpload]:
    tokens = [t for t in tokens if t and len(t) <= 40][:limit]
    if not tokens:
        return []
    fresh = HeldUpload.objects.filter(token__in=tokens, created_at__gte=timezone.now() - LIFETIME)
    return list(fresh.order_by("id"))


def as_checked(h: HeldUpload) -> CheckedFile:
    with h.file.open("rb") as f:
        data = f.read()
    original = None
    if h.original:
        with h.original.open("rb") as f:
            original = f.read()
    return CheckedFile(
        name=h.name,
        extension=h.extension,
        content_type=h.content_type,
        data=data,
        sha256=h.sha256,
        original=original,
    )


def release(held):
    for h in held:
        h.file.delete(save=False)
        if h.original:
            h.original.delete(save=False)
        h.delete()


def sweep():
    release(HeldUpload.objects.filter(created_at__lt=timezone.now() - LIFETIME))
