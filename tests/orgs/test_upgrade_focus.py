"""An existing database upgrades across the move of FocusArea (and the base data) from
`campaigns` down to `orgs` with `jiandu init`, like tests/selfcheck/test_upgrade.py: the
demo county built by the code of main before the moves (tests/upgrade.py) is upgraded by
the current code. The focus areas keep their ids, problems and self-check items keep
theirs, and the content type is the same row under its new app."""

import json
import sqlite3

import pytest

from tests.upgrade import read_back_script


def _focus(db):
    con = sqlite3.connect(db)
    try:
        rows = lambda sql: sorted(con.execute(sql).fetchall())  # noqa: E731
        return {
            "areas": rows("SELECT id, code, name, description, [order] FROM campaigns_focusarea"),
            "problems": rows("SELECT id, focus_area_id FROM ledger_problem"),
            "items": rows("SELECT id, focus_area_id FROM campaigns_selfcheckitem"),
            "campaigns": rows(
                "SELECT campaign_id, focusarea_id FROM campaigns_campaign_focus_areas"
            ),
            "content_type": rows(
                "SELECT id, app_label FROM django_content_type WHERE model = 'focusarea'"
            ),
            "orgs_0003": rows(
                "SELECT name FROM django_migrations"
                " WHERE app = 'orgs' AND name = '0003_focusarea_from_campaigns'"
            ),
        }
    finally:
        con.close()


# The current code's read-back on the upgraded database (tests/upgrade.py runs it).
READ_BACK = read_back_script(
    "focus",
    (
        "import json\n"
        "from django.contrib.contenttypes.models import ContentType\n"
        "from jiandu.campaigns.models import Campaign, SelfCheckItem\n"
        "from jiandu.ledger.models import Problem\n"
        "from jiandu.orgs.models import FocusArea\n"
        "print(json.dumps({\n"
        " 'areas': sorted(FocusArea.objects.values_list('code', flat=True)),\n"
        " 'problems': sorted((p.pk, p.focus_area.pk) for p in Problem.objects.all()),\n"
        " 'items': sorted((i.pk, i.focus_area.pk) for i in SelfCheckItem.objects.all()),\n"
        " 'campaigns': sorted((c.pk, a.pk) for c in Campaign.objects.all()"
        " for a in c.focus_areas.all()),\n"
        " 'content_type': ContentType.objects.get_for_model(FocusArea).pk}))\n"
    ),
)


@pytest.mark.slow
def test_jiandu_init_upgrades_the_demo_county_built_before_the_focus_area_move(upgraded_demo):
    up = upgraded_demo
    old = _focus(up.old_db)
    assert up.after[0] == up.before[0]  # every table has the rows it had

    moved = _focus(up.db)
    assert len(old["areas"]) == 6
    assert old["problems"] and old["items"] and old["campaigns"]
    for key in ("areas", "problems", "items", "campaigns"):
        assert moved[key] == old[key], key  # same ids, same codes, same links
    assert old["orgs_0003"] == [] and moved["orgs_0003"] == [("0003_focusarea_from_campaigns",)]
    [(ct_id, app)] = old["content_type"]
    assert app == "campaigns"
    assert moved["content_type"] == [(ct_id, "orgs")]  # the same row renamed, none stale

    # The current code reads them through orgs.FocusArea: every problem, item and campaign
    # still names one of the six, and `jiandu init` (which reloads the base data) added none.
    out = up.read_back(READ_BACK)
    read = json.loads(out.strip().splitlines()[-1])
    assert read["areas"] == sorted(code for _, code, *_ in old["areas"])
    for key in ("problems", "items", "campaigns"):
        assert [tuple(row) for row in read[key]] == old[key], key
    assert read["content_type"] == ct_id
