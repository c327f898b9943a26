"""An existing database upgrades across the split of `campaigns` with `jiandu init`: the
demo county is built by the code of main before the split (taken from git history), then
the current code runs `jiandu init` on it. Nothing is copied or lost, and every problem's
stored origin (content type + id) still names the same visit or review."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# main just before SupervisionVisit and CaseFileReview left `campaigns`.
BEFORE_SPLIT = "d55bee60d0efb15218fa60f741e55c53e58ce38b"
MOVED_TABLES = [
    "campaigns_supervisionvisit",
    "campaigns_supervisionvisit_team",
    "campaigns_supervisionvisit_domains",
    "campaigns_casefilereview",
]
# Where each model that left `campaigns` since then lives now (self-check followed later).
MOVED_SINCE = {
    "supervisionvisit": "supervision",
    "casefilereview": "supervision",
    "selfcheckreport": "selfcheck",
    "selfcheckanswer": "selfcheck",
}


def _jiandu(cwd, db, data, *args):
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


def _snapshot(db):
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


@pytest.mark.slow
def test_jiandu_init_upgrades_the_demo_county_built_before_the_split(tmp_path):
    present = subprocess.run(
        ["git", "cat-file", "-e", f"{BEFORE_SPLIT}^{{commit}}"], cwd=REPO, capture_output=True
    )
    if present.returncode:
        pytest.skip(f"the code before the split ({BEFORE_SPLIT[:7]}) is not in this checkout")
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(
        ["git", "archive", BEFORE_SPLIT], cwd=REPO, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    db = tmp_path / "jiandu.sqlite3"
    _jiandu(old, db, tmp_path / "data", "demo", "--no-serve")
    before, origins_before, applied = _snapshot(db)
    assert "supervision" not in applied  # the old code built it

    _jiandu(REPO, db, tmp_path / "data", "init")
    after, origins_after, applied = _snapshot(db)

    assert "supervision" in applied
    for table in MOVED_TABLES:
        assert before[table] > 0, table
    assert after == before  # every table, moved or not, has the rows it had
    moved = {"supervisionvisit", "casefilereview"}
    expected = {
        pk: (ct_id, MOVED_SINCE.get(model, app), model, origin_id)
        for pk, (ct_id, app, model, origin_id) in origins_before.items()
    }
    assert origins_after == expected
    kinds = {model for _, _, model, _ in origins_after.values()}
    assert moved <= kinds  # the demo has problems from visits and from reviews

    # The current code reads them back as the same objects.
    script = (
        "from jiandu.ledger.models import Problem\n"
        "from jiandu.supervision.models import CaseFileReview, SupervisionVisit\n"
        "ps = Problem.objects.filter(origin_type__app_label='supervision')\n"
        "print(sum(isinstance(p.origin, (SupervisionVisit, CaseFileReview)) for p in ps),"
        " ps.count())\n"
        "v = SupervisionVisit.objects.filter(state='done').first()\n"
        "print(v.findings().count())\n"
    )
    out = _jiandu(REPO, db, tmp_path / "data", "manage", "shell", "-c", script).stdout.split()
    resolved, total, findings = map(int, out[-3:])
    assert resolved == total > 0
    assert findings > 0
