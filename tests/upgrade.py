"""Upgrade tests' shared steps: build the demo county with the code of an earlier commit
(taken from git history), then run the current `jiandu init` on the same database, and
read what the database holds before and after (row counts, problems' stored origins,
migrated apps)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def jiandu(cwd, db, data, *args):
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db}",
        JIANDU_DATA_DIR=str(data),
        PYTHONPATH=str(cwd),
        DJANGO_SETTINGS_MODULE="jiandu.settings",
    )
    return subprocess.run(
        [sys.executable, "-m", "jiandu.cli", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    )


def snapshot(db):
    con = sqlite3.connect(db)
    try:
        tables = [
            name
            for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if name not in {"django_migrations", "sqlite_sequence"}
        ]
        counts = {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        origins = {
            pk: (ct_id, app, model, origin_id)
            for pk, ct_id, app, model, origin_id in con.execute(
                "SELECT p.id, p.origin_type_id, ct.app_label, ct.model, p.origin_id"
                " FROM ledger_problem p LEFT JOIN django_content_type ct"
                " ON ct.id = p.origin_type_id"
            )
        }
        applied = {app for (app,) in con.execute("SELECT DISTINCT app FROM django_migrations")}
        return counts, origins, applied
    finally:
        con.close()


def upgrade_demo_built_by(commit: str, tmp_path, new_app: str | None, before_init=None):
    """The demo county built by `commit`'s code, then upgraded by the current code.
    `new_app`, when given, is an app the old code lacked and the upgrade adds (None for a
    move into an existing app); `before_init(db)`, when given, reads the old code's database
    just before the upgrade. Returns (db, before, after): before and after are each
    (row counts, origins, applied apps). Skips, saying why,
    where the checkout lacks the commit (a shallow clone)."""
    present = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=REPO, capture_output=True
    )
    if present.returncode:
        pytest.skip(f"the code of {commit[:7]} is not in this checkout")
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(
        ["git", "archive", commit], cwd=REPO, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    db = tmp_path / "jiandu.sqlite3"
    jiandu(old, db, tmp_path / "data", "demo", "--no-serve")
    before = snapshot(db)
    if before_init is not None:
        before_init(db)
    assert new_app is None or new_app not in before[2]  # the old code built it
    jiandu(REPO, db, tmp_path / "data", "init")
    after = snapshot(db)
    assert new_app is None or new_app in after[2]
    return db, before, after
