"""An existing database upgrades across the move of the self-check reports out of
`campaigns` with `jiandu init`, the way tests/supervision/test_upgrade.py checks the move
of supervision: the demo county is built by main's code just before the move (taken from
git history), then the current code runs `jiandu init` on it. Every table keeps its rows
and every problem's stored origin (content type + id) still names the same answer."""

import subprocess

import pytest

from tests.supervision.test_upgrade import REPO, _jiandu, _snapshot

# main just before SelfCheckReport and SelfCheckAnswer left `campaigns`.
BEFORE_MOVE = "124a0288c2034445504fdcad708281c6f66b59ff"
MOVED_TABLES = ["campaigns_selfcheckreport", "campaigns_selfcheckanswer"]
MOVED = {"selfcheckreport", "selfcheckanswer"}


@pytest.mark.slow
def test_jiandu_init_upgrades_the_demo_county_built_before_the_self_check_move(tmp_path):
    present = subprocess.run(
        ["git", "cat-file", "-e", f"{BEFORE_MOVE}^{{commit}}"], cwd=REPO, capture_output=True
    )
    if present.returncode:
        pytest.skip(f"the code before the move ({BEFORE_MOVE[:7]}) is not in this checkout")
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(
        ["git", "archive", BEFORE_MOVE], cwd=REPO, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    db = tmp_path / "jiandu.sqlite3"
    _jiandu(old, db, tmp_path / "data", "demo", "--no-serve")
    before, origins_before, applied = _snapshot(db)
    assert "selfcheck" not in applied  # the old code built it

    _jiandu(REPO, db, tmp_path / "data", "init")
    after, origins_after, applied = _snapshot(db)

    assert "selfcheck" in applied
    for table in MOVED_TABLES:
        assert before[table] > 0, table
    assert after == before  # every table, moved or not, has the rows it had
    expected = {
        pk: (ct_id, "selfcheck" if model in MOVED else app, model, origin_id)
        for pk, (ct_id, app, model, origin_id) in origins_before.items()
    }
    assert origins_after == expected
    kinds = {model for _, _, model, _ in origins_after.values()}
    assert "selfcheckanswer" in kinds  # the demo has problems from accepted self-checks

    # The current code reads them back as the same objects, and the pages' data with them.
    script = (
        "from jiandu.ledger.models import Problem\n"
        "from jiandu.selfcheck.models import SelfCheckAnswer, SelfCheckReport\n"
        "ps = Problem.objects.filter(origin_type__app_label='selfcheck')\n"
        "print(sum(isinstance(p.origin, SelfCheckAnswer) and p.origin.problem_id == p.pk"
        " for p in ps), ps.count())\n"
        "print(SelfCheckReport.objects.submitted().count())\n"
    )
    out = _jiandu(REPO, db, tmp_path / "data", "manage", "shell", "-c", script).stdout.split()
    resolved, total, submitted = map(int, out[-3:])
    assert resolved == total > 0
    assert submitted > 0
