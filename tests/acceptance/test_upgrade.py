"""An existing database upgrades across the move of 总结验收 and the showcases out of
`campaigns` with `jiandu init`, as tests/selfcheck/test_upgrade.py checks the self-check
move: the demo county built by the code of main before the moves (tests/upgrade.py) is
upgraded by the current code. Every table keeps its rows, the
moved models keep their content type rows (renamed, same ids), and audit rows stored under
the old names still read in Chinese."""

import sqlite3

import pytest

from tests.upgrade import read_back_script

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


# The current code's read-back on the upgraded database (tests/upgrade.py runs it).
READ_BACK = read_back_script(
    "acceptance",
    (
        "from jiandu.acceptance.models import Showcase\n"
        "from jiandu.audit.labels import details, label_for\n"
        "from jiandu.audit.models import AuditEvent\n"
        "print(Showcase.objects.published().count(), Showcase.objects.count())\n"
        "e = AuditEvent.objects.get(action='campaigns.showcase.published')\n"
        "print(e.object_type, Showcase.objects.filter(pk=e.object_id).exists())\n"
        "p = AuditEvent.objects.filter(action='campaigns.showcase.proposed').first()\n"
        "print(label_for(p.action), dict(details(p.action, p.data, p.object_type))['类型'])\n"
    ),
)


@pytest.mark.slow
def test_jiandu_init_upgrades_the_demo_county_built_before_the_acceptance_move(upgraded_demo):
    up = upgraded_demo
    assert "acceptance" not in up.before[2] and "acceptance" in up.after[2]
    assert up.before[0]["campaigns_showcase"] > 0  # the demo has a published and a draft one
    assert up.after[0] == up.before[0]  # every table, moved or not, has the rows it had
    assert up.after[1] == up.expected_origins()
    assert {m: app for m, (_, app) in _content_types(up.old_db).items()} == {
        "unitacceptance": "campaigns",
        "showcase": "campaigns",
    }
    types = _content_types(up.db)
    assert {model: app for model, (_, app) in types.items()} == {
        "unitacceptance": "acceptance",
        "showcase": "acceptance",
    }

    # The current code reads them back: the published showcase, its audit rows (stored as
    # campaigns.showcase) in Chinese, and the acceptance page's figures.
    out = up.read_back(READ_BACK)
    lines = out.strip().splitlines()[-3:]
    assert lines[0] == "1 2"
    assert lines[1] == "campaigns.showcase True"
    assert lines[2] in {"推荐最佳案例或实践 最佳实践", "推荐最佳案例或实践 最佳案例"}
