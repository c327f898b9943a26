"""An existing database upgrades across the move of the self-check reports out of
`campaigns` with `jiandu init`, the way tests/supervision/test_upgrade.py checks the move
of supervision: the demo county is built by main's code just before the move (taken from
git history), then the current code runs `jiandu init` on it. Every table keeps its rows
and every problem's stored origin (content type + id) still names the same answer."""

import pytest

from tests.upgrade import REPO, jiandu, upgrade_demo_built_by

# main just before SelfCheckReport and SelfCheckAnswer left `campaigns`.
BEFORE_MOVE = "124a0288c2034445504fdcad708281c6f66b59ff"
MOVED_TABLES = ["campaigns_selfcheckreport", "campaigns_selfcheckanswer"]
MOVED = {"selfcheckreport", "selfcheckanswer"}


@pytest.mark.slow
def test_jiandu_init_upgrades_the_demo_county_built_before_the_self_check_move(tmp_path):
    db, (before, origins_before, _), (after, origins_after, _) = upgrade_demo_built_by(
        BEFORE_MOVE, tmp_path, "selfcheck"
    )

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
    out = jiandu(REPO, db, tmp_path / "data", "manage", "shell", "-c", script).stdout.split()
    resolved, total, submitted = map(int, out[-3:])
    assert resolved == total > 0
    assert submitted > 0
