"""Encryption of the complainant's identity at rest (Fernet, AES-128-CBC + HMAC).

The key comes from settings.FIELD_ENCRYPTION_KEY (env JIANDU_FIELD_KEY, else the keys
file `jiandu init` writes in the data directory, see jiandu/keys.py): one or more
urlsafe-base64 Fernet keys separated by commas; the first encrypts, all decrypt, so a
key can be rotated (`jiandu manage rotate_field_key`). No key is derived from anything
in the code or the database: a database copied without the key reveals no identity.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(raw: str) -> MultiFernet:
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "缺少身份信息加密密钥：请先运行 jiandu init（在数据目录生成密钥），"
            "或设置 JIANDU_FIELD_KEY"
        )
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "JIANDU_FIELD_KEY must be Fernet keys (urlsafe base64 of 32 bytes), comma-separated"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY or "")


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
