"""The platform's own secret keys, kept in the data directory and never in the code.

`jiandu init` writes DATA_DIR/secrets.json once (mode 0600, owner only) with a random
SECRET_KEY and a random Fernet key for the complainants' identity; later runs reuse it.
The environment wins over the file, key by key, so a deployment that manages its own
secrets (SECRET_KEY, JIANDU_FIELD_KEY) never needs the file. A database copied without
this file (or the environment's keys) cannot reveal an identity.

Imported by settings before Django is configured: standard library and cryptography only.
"""

import base64
import hashlib
import json
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE_NAME = "secrets.json"
# The names are the environment variables that override each entry.
NAMES = ("SECRET_KEY", "JIANDU_FIELD_KEY")
# Published in the code before keys were generated: never acceptable for a real install.
PUBLISHED_SECRET_KEYS = frozenset(
    {"jiandu-local-development-key-change-me-in-production-0123456789"}
)


def data_dir() -> Path:
    return Path(os.environ.get("JIANDU_DATA_DIR") or ROOT / "data")


def keys_path(directory: Path | None = None) -> Path:
    return Path(directory or data_dir()) / FILE_NAME


def read(directory: Path | None = None) -> dict[str, str]:
    """The keys kept in the data directory; {} when there is no file yet."""
    path = keys_path(directory)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"密钥文件 {path} 无法读取（不是有效的 JSON）：{exc}") from exc
    return {name: str(data[name]) for name in NAMES if data.get(name)}


def generate(name: str) -> str:
    if name == "JIANDU_FIELD_KEY":
        from cryptography.fernet import Fernet

        return Fernet.generate_key().decode()
    return secrets.token_urlsafe(64)


def ensure(directory: Path | None = None) -> tuple[Path, list[str]]:
    """Create the keys file, or add what it lacks; return its path and the names written.
    Existing keys are never replaced: replacing the field key would make every stored
    identity unreadable."""
    path = keys_path(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    current = read(path.parent)
    missing = [name for name in NAMES if not current.get(name)]
    if missing:
        current.update({name: generate(name) for name in missing})
        tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        # Created 0600 from the start so the keys are never readable by others, even briefly.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(current, out, indent=2)
            out.write("\n")
        os.replace(tmp, path)
    os.chmod(path, 0o600)
    return path, missing


def readable_by_others(directory: Path | None = None) -> bool:
    path = keys_path(directory)
    return path.exists() and bool(path.stat().st_mode & 0o077)


def from_environment_only() -> bool:
    """Whether the environment gives every key, so no file is needed."""
    return all(os.environ.get(name) for name in NAMES)


def derived_key(secret: str) -> bytes:
    """The key earlier versions derived from SECRET_KEY when JIANDU_FIELD_KEY was empty;
    only for moving such an install to a real key (README: 密钥的备份与更换)."""
    digest = hashlib.sha256(b"jiandu-field-encryption:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)
