"""Encryption of the complainant's identity at rest (Fernet, AES-128-CBC + HMAC).

The key comes from settings.FIELD_ENCRYPTION_KEY (env JIANDU_FIELD_KEY): one or more
urlsafe-base64 Fernet keys separated by commas; the first encrypts, all decrypt, so a
key can be rotated. When it is empty (a laptop demo) a key is derived from SECRET_KEY,
which means changing SECRET_KEY makes earlier identities unreadable: production sets
JIANDU_FIELD_KEY and keeps it out of the repository.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def derived_key(secret: str) -> bytes:
    digest = hashlib.sha256(b"jiandu-field-encryption:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet(raw: str, secret: str) -> MultiFernet:
    keys = [k.strip() for k in raw.split(",") if k.strip()] or [derived_key(secret)]
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "JIANDU_FIELD_KEY must be Fernet keys (urlsafe base64 of 32 bytes), comma-separated"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY or "", settings.SECRET_KEY)


def encrypt(text: str) -> str:
    if not text:
        return ""
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # A token from another key: say so instead of failing the page.
        return "（无法解密：密钥已更换）"
