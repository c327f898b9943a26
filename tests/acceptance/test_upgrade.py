"""An existing database upgrades across the move of 总结验收 and the showcases out of
`campaigns` with `jiandu init`, as tests/selfcheck/test_upgrade.py checks the self-check
move: the demo county is built by main's code just before the move (taken from git
history), then the current code runs `jiandu init` on it. Every table keeps its rows, the
moved models keep their content type rows (renamed, same ids), and audit rows stored under
the old names still read in Chinese."""

import sqlite3

import pytest

from tests.upgrade import REPO, jiandu, upgrade_demo_built_by

# main just before UnitAcceptance and Showcase left `campaigns`.
BEFORE_MOVE = "cb11b3b"
MOVED = ("unitacceptance", "showcase")


def _content_types(db):
    con = sqlite3.connect(db)
    try:
        return {
            model: (pk, app)
            for pk, app, model in con.execute(
                "SELECT id, app_label, model FROM django_content_type"
            )
            if model in MOVED
        }
    finally:
        con.close()


@pytest.mark.slow
def test_jiandu_init_upgrades_the_demo_county_built_before_the_acceptance_move(tmp_path):
    db, (before, origins_before, _), (after, origins_after, _) = upgrade_demo_built_by(
        BEFORE_MOVE, tmp_path, "acceptance"
    )

    assert before["campaigns_showcase"] > 0  # the demo has a published and a draft one
    assert after == before  # every table, moved or not, has the rows it had
    assert origins_after == origins_before
    types = _content_types(db)
    assert {model: app for model, (_, app) in types.items()} == {
        "unitacceptance": "acceptance",
        "showcase": "acceptance",
    }

    # The current code reads them back: the published showcase, its audit rows (stored as
    # campaigns.showcase) in Chinese, and the acceptance page's figures.
    script = (
        "from jiandu.acceptance.models import Showcase\n"
        "from jiandu.audit.labels import details, label_for\n"
        "from jiandu.audit.models import AuditEvent\n"
        "print(Showcase.objects.published().count(), Showcase.objects.count())\n"
        "e = AuditEvent.objects.get(action='campaigns.showcase.published')\n"
        "print(e.object_type, Showcase.objects.filter(pk=e.object_id).exists())\n"
        "p = AuditEvent.objects.filter(action='campaigns.showcase.proposed').first()\n"
        "print(label_for(p.action), dict(details(p.action, p.data, p.object_type))['类型'])\n"
    )
    out = jiandu(REPO, db, tmp_path / "data", "manage", "shell", "-c", script).stdout
    lines = out.strip().splitlines()[-3:]
    assert lines[0] == "1 2"
    assert lines[1] == "campaigns.showcase True"
    assert lines[2] in {"推荐最佳案例或实践 最佳实践", "推荐最佳案例或实践 最佳案例"}
