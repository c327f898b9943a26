"""Upgrade tests' shared steps: build the demo county with the code of an earlier commit
(taken from git history), then run the current `jiandu init` on the same database, and
read what the database holds before and after (row counts, problems' stored origins,
migrated apps). The `upgraded_demo` fixture (conftest.py) builds it once per test run."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def jiandu(cwd, db, data, *args, settings="jiandu.settings"):
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db}",
        JIANDU_DATA_DIR=str(data),
        PYTHONPATH=str(cwd),
        DJANGO_SETTINGS_MODULE=settings,
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


# main before the house's moves began (issue 10): SupervisionVisit, CaseFileReview, the
# self-check reports, UnitAcceptance, Showcase and FocusArea all still lived in
# `campaigns`. One demo county built by this code serves every upgrade test.
BEFORE_THE_MOVES = "d55bee60d0efb15218fa60f741e55c53e58ce38b"

# Where each model that has left `campaigns` since then lives now.
MOVED_FROM_CAMPAIGNS = {
    "supervisionvisit": "supervision",
    "casefilereview": "supervision",
    "selfcheckreport": "selfcheck",
    "selfcheckanswer": "selfcheck",
    "unitacceptance": "acceptance",
    "showcase": "acceptance",
    "focusarea": "orgs",
}


@dataclass(frozen=True)
class Upgraded:
    """The demo county as the old code built it (`old_db`, kept as it was) and the same
    database after the current `jiandu init` (`db`); `before` and `after` are each
    (row counts, origins, applied apps)."""

    old_db: Path
    db: Path
    data: Path
    before: tuple
    after: tuple
    _read: dict = field(default_factory=dict, compare=False, repr=False)

    def run(self, *args):
        """The current code's `jiandu` on the upgraded database."""
        return jiandu(REPO, self.db, self.data, *args)

    def read_back(self, name):
        """What the script registered under `name` (read_back_script) printed, run by the
        current code on the upgraded database. Every registered script runs in the one
        `jiandu manage shell` that the first caller starts: a process per upgrade test
        paid Django's start-up once for each."""
        if not self._read:
            self._read.update(_read_back(self))
        result = self._read[name]
        if result["error"]:
            raise AssertionError(f"read-back script {name!r} failed:\n{result['error']}")
        return result["out"]

    def expected_origins(self):
        """The problems' origins as they were, under the apps their models live in now."""
        return {
            pk: (
                ct_id,
                MOVED_FROM_CAMPAIGNS.get(model, app) if app == "campaigns" else app,
                model,
                origin_id,
            )
            for pk, (ct_id, app, model, origin_id) in self.before[1].items()
        }


# The upgrade tests' read-back scripts by name, registered as their modules are imported.
READ_BACK = {}


def read_back_script(name: str, script: str) -> str:
    """Register `script` (Python for the current code's `manage shell`) to read back the
    upgraded database; Upgraded.read_back(name) gives what it printed."""
    READ_BACK[name] = script
    return name


# Runs every script in its own namespace, capturing what each prints; a script that fails
# fails only its own test. The last line printed is the JSON of all of them.
_READ_BACK_RUNNER = """import contextlib, io, json, traceback
results = {}
for name, script in json.loads(SCRIPTS).items():
    out = io.StringIO()
    error = ""
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(script, name, "exec"), {"__name__": "__main__"})
    except Exception:
        error = traceback.format_exc()
    results[name] = {"out": out.getvalue(), "error": error}
print(json.dumps(results))
"""


def _read_back(up: Upgraded) -> dict:
    script = f"SCRIPTS = {json.dumps(json.dumps(READ_BACK))}\n{_READ_BACK_RUNNER}"
    out = up.run("manage", "shell", "-c", script).stdout
    return json.loads(out.strip().splitlines()[-1])


# The old code's settings with its own test suite's password hasher. Its `seed_demo` hashes
# the demo accounts' password with PBKDF2 one account at a time, two thirds of what the
# old code spends building the county; no migration and no upgrade check reads a hash
# (the upgrade keeps the column as it is), so a cheap one builds the same county.
OLD_SETTINGS = """from jiandu.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""


def build_upgraded_demo(folder: Path, commit: str = BEFORE_THE_MOVES) -> None:
    """Build the demo county in `folder` with `commit`'s code (taken from git history), keep
    a copy as the old code left it, then upgrade it with the current `jiandu init`. Skips,
    saying why, where the checkout lacks the commit (a shallow clone)."""
    present = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=REPO, capture_output=True
    )
    if present.returncode:
        pytest.skip(f"the code of {commit[:7]} is not in this checkout")
    old = folder / "old"
    old.mkdir(exist_ok=True)
    archive = subprocess.run(
        ["git", "archive", commit], cwd=REPO, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    (old / "upgrade_settings.py").write_text(OLD_SETTINGS)
    db, data = folder / "jiandu.sqlite3", folder / "data"
    jiandu(old, db, data, "demo", "--no-serve", settings="upgrade_settings")
    # One file, no WAL beside it, kept as the old code left it.
    with closing(sqlite3.connect(db)) as con:
        con.execute("PRAGMA journal_mode=DELETE")
    shutil.copyfile(db, folder / "old.sqlite3")
    jiandu(REPO, db, data, "init")


def upgraded_demo(folder: Path) -> Upgraded:
    """What build_upgraded_demo left in `folder`."""
    old_db, db = folder / "old.sqlite3", folder / "jiandu.sqlite3"
    before, after = snapshot(old_db), snapshot(db)
    return Upgraded(old_db, db, folder / "data", before, (_kept(before[0], after[0]), *after[1:]))


# Registries that grow with every model added since the old code (a content type and its
# permissions per model): they may only grow.
GROWING = ("django_content_type", "auth_permission")


def _kept(before: dict, after: dict) -> dict:
    """The row counts after the upgrade as the checks compare them: a table added since
    the old code counts only if it holds rows (an upgrade fills no new table by itself),
    and the registries that grow with new models read as before unless they shrank."""
    kept = {t: n for t, n in after.items() if t in before or n}
    for table in GROWING:
        if table in before and kept.get(table, 0) >= before[table]:
            kept[table] = before[table]
    return kept
