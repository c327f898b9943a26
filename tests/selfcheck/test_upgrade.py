"""An existing database upgrades across the move of the self-check reports out of
`campaigns` with `jiandu init`: the demo county built by the code of main before the moves
(tests/upgrade.py) is upgraded by the current code. Every table keeps its rows and every
problem's stored origin (content type + id) still names the same answer."""

import pytest

from tests.upgrade import read_back_script

MOVED_TABLES = ["campaigns_selfcheckreport", "campaigns_selfcheckanswer"]


# The current code's read-back on the upgraded database (tests/upgrade.py runs it).
READ_BACK = read_back_script(
    "selfcheck",
    (
        "from jiandu.ledger.models import Problem\n"
        "from jiandu.selfcheck.models import SelfCheckAnswer, SelfCheckReport\n"
        "ps = Problem.objects.filter(origin_type__app_label='selfcheck')\n"
        "print(sum(isinstance(p.origin, SelfCheckAnswer) and p.origin.problem_id == p.pk"
        " for p in ps), ps.count())\n"
        "print(SelfCheckReport.objects.submitted().count())\n"
    ),
)


@pytest.mark.slow
def test_jiandu_init_upgrades_the_demo_county_built_before_the_self_check_move(upgraded_demo):
    up = upgraded_demo
    assert "selfcheck" not in up.before[2] and "selfcheck" in up.after[2]
    for table in MOVED_TABLES:
        assert up.before[0][table] > 0, table
    assert up.after[0] == up.before[0]  # every table, moved or not, has the rows it had
    assert up.after[1] == up.expected_origins()
    kinds = {model for _, _, model, _ in up.after[1].values()}
    assert "selfcheckanswer" in kinds  # the demo has problems from accepted self-checks

    # The current code reads them back as the same objects, and the pages' data with them.
    resolved, total, submitted = map(int, up.read_back(READ_BACK).split()[-3:])
    assert resolved == total > 0
    assert submitted > 0
