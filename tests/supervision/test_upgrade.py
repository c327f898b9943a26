"""An existing database upgrades across the split of `campaigns` with `jiandu init`: the
demo county built by the code of main before the moves (tests/upgrade.py) is upgraded by
the current code. Nothing is copied or lost, and every problem's stored origin (content
type + id) still names the same visit or review."""

import pytest

from tests.upgrade import read_back_script

MOVED_TABLES = [
    "campaigns_supervisionvisit",
    "campaigns_supervisionvisit_team",
    "campaigns_supervisionvisit_domains",
    "campaigns_casefilereview",
]


# The current code's read-back on the upgraded database (tests/upgrade.py runs it).
READ_BACK = read_back_script(
    "supervision",
    (
        "from jiandu.ledger.models import Problem\n"
        "from jiandu.supervision.models import CaseFileReview, SupervisionVisit\n"
        "ps = Problem.objects.filter(origin_type__app_label='supervision')\n"
        "print(sum(isinstance(p.origin, (SupervisionVisit, CaseFileReview)) for p in ps),"
        " ps.count())\n"
        "v = SupervisionVisit.objects.filter(state='done').first()\n"
        "print(v.findings().count())\n"
    ),
)


@pytest.mark.slow
def test_jiandu_init_upgrades_the_demo_county_built_before_the_split(upgraded_demo):
    up = upgraded_demo
    assert "supervision" not in up.before[2] and "supervision" in up.after[2]
    for table in MOVED_TABLES:
        assert up.before[0][table] > 0, table
    assert up.after[0] == up.before[0]  # every table, moved or not, has the rows it had
    assert up.after[1] == up.expected_origins()
    kinds = {model for _, _, model, _ in up.after[1].values()}
    assert {"supervisionvisit", "casefilereview"} <= kinds  # problems from visits, reviews

    # The current code reads them back as the same objects.
    resolved, total, findings = map(int, up.read_back(READ_BACK).split()[-3:])
    assert resolved == total > 0
    assert findings > 0
