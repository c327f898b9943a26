"""An existing database upgrades across the split of `campaigns` with `jiandu init`: the
demo county is built by the code of main before the split (taken from git history), then
the current code runs `jiandu init` on it. Nothing is copied or lost, and every problem's
stored origin (content type + id) still names the same visit or review."""

import pytest

from tests.upgrade import REPO, jiandu, upgrade_demo_built_by

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


@pytest.mark.slow
def test_jiandu_init_upgrades_the_demo_county_built_before_the_split(tmp_path):
    db, (before, origins_before, _), (after, origins_after, _) = upgrade_demo_built_by(
        BEFORE_SPLIT, tmp_path, "supervision"
    )

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
    out = jiandu(REPO, db, tmp_path / "data", "manage", "shell", "-c", script).stdout.split()
    resolved, total, findings = map(int, out[-3:])
    assert resolved == total > 0
    assert findings > 0
