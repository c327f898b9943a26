"""Where the real published material lives: ../shared/realdata beside the repository.

The files are read in place (never copied into the repository); tests that need them are
skipped with the reason when the folder is absent.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _realdata() -> Path:
    """../shared/realdata beside the repository; for a git worktree, beside its main
    checkout (the .git file names it: gitdir: <main>/.git/worktrees/<name>)."""
    roots = [ROOT]
    git = ROOT / ".git"
    if git.is_file():
        gitdir = Path(git.read_text().split("gitdir:", 1)[-1].strip())
        roots.append(gitdir.parents[2])
    for root in roots:
        path = (root / ".." / "shared" / "realdata").resolve()
        if path.exists():
            return path
    return (ROOT / ".." / "shared" / "realdata").resolve()


REALDATA = _realdata()
ECO = REALDATA / "guangdong-jiangmen-eco"
JIANGMEN_XLS = ECO / "jmzyclb.xls"
JIANGMEN_LIST_MD = ECO / "jmssthjyfbyxzcfdqwhjwfxwqd.md"
GUANGDONG_LIST_PDF = ECO / "gdssthjbyxzcfdqwwfxwml.pdf"
GUANGDONG_TABLE_PDF = ECO / "gdssthjwfxwxzcffkjeclb.pdf"
CASES = REALDATA / "fyt-admin-cases"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"真实材料不在：{path}（../shared/realdata 未提供）")
    return path
