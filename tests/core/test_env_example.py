"""README: every environment variable the platform reads is listed in .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(
    r"""(?:env_(?:str|bool|int|list)|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)
LISTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]+)=", re.MULTILINE)


def test_every_environment_variable_read_is_listed_in_env_example():
    read = set()
    for path in (ROOT / "jiandu").rglob("*.py"):
        read |= set(READ.findall(path.read_text(encoding="utf-8")))
    listed = set(LISTED.findall((ROOT / ".env.example").read_text(encoding="utf-8")))
    assert "JIANDU_TRUSTED_PROXIES" in read  # the scan finds what settings read
    assert sorted(read - listed) == []
