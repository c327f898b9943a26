"""Read-only checks of the whole demo county as `seed_demo` loads it, seeded once for the
module (tests/demo_county.py) instead of once per test: keep checks that only read the
full county here, so that under `--dist worksteal` they share one seeding per worker.

Every page gives the same number (issue 9): the demo county's campaign's problems read
off the rendered cockpit (KPIs, the unit table and its chart data), the campaign page,
the acceptance page, the ledger filtered by the campaign and the Word summary report read
back with python-docx. They must all agree.

Before, the same campaign showed 54 on the cockpit and in the report, 49 on the campaign
page and in the ledger, and 北湖镇 (whose five problems are confirmed alerts, filed under
no campaign) 0 problems and a green 100 % on the acceptance page.

The county also holds the 条例's instruments in every state, each with its 公文, and leads
in the four dispositions."""

import io
import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document
from lxml import html as lxml_html

from jiandu.campaigns.models import Campaign
from jiandu.ledger.models import Lead, Problem
from jiandu.orgs.models import Unit, User
from jiandu.supervision.models import Circular, Instrument, Interview, Proposal
from tests.demo_county import seed_demo_county, seeded_once

# Not transactional: the tests run in savepoints inside the module's seeding transaction.
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.usefixtures("demo_county")]


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker):
    yield from seeded_once(django_db_blocker, seed_demo_county)


def _tree(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _int(element) -> int:
    return int(_text(element))


def _kpi(tree, label) -> str:
    (value,) = tree.xpath(
        f'//div[@class="jd-kpi-label"][normalize-space()="{label}"]'
        '/following-sibling::div[contains(@class, "jd-kpi")][1]'
    )
    return _text(value)


def _ledger_count(client, **params) -> int:
    tree = _tree(client.get("/ledger/", params))
    (count,) = tree.xpath('//*[@id="ledger-count"]')
    return int(re.match(r"共 (\d+) 条", _text(count)).group(1))


def _cockpit(client, campaign=None):
    """Totals, per-unit rows and per-unit chart totals as the cockpit renders them."""
    tree = _tree(client.get("/dashboard/", {"campaign": campaign.pk} if campaign else {}))
    totals = {
        "total": int(_kpi(tree, "问题总数")),
        "rate": _kpi(tree, "整改完成率"),
        "overdue": int(_kpi(tree, "逾期未整改")),
    }
    closed_line = tree.xpath('//div[@class="jd-kpi-label"][.="整改完成率"]/following-sibling::div')
    totals["closed"] = int(re.search(r"已销号 (\d+)", _text(closed_line[-1])).group(1))
    units = {}
    for tr in tree.xpath('//*[@id="units"]//tbody/tr'):
        td = tr.xpath("./td")
        units[_text(td[0])] = {
            "total": _int(td[2]),
            "closed": _int(td[3]),
            "rate": _text(td[4]),
            "overdue": _int(td[5]),
        }
    chart_totals, chart_closed = {}, {}
    for chart in tree.xpath('//div[@id="chart-units"]/@data-chart'):  # the county's only
        option = json.loads(chart)
        names = option["yAxis"]["data"]
        for series in option["series"]:
            for name, item in zip(names, series["data"], strict=True):
                chart_totals[name] = chart_totals.get(name, 0) + item["value"]
                if series["name"] == Problem.State.CLOSED.label:
                    chart_closed[name] = item["value"]
    return totals, units, chart_totals, chart_closed


def _acceptance(client, campaign):
    tree = _tree(client.get(f"/campaigns/{campaign.pk}/acceptance/"))
    rows = {}
    for tr in tree.xpath('//tr[starts-with(@id, "unit-")]'):
        td = tr.xpath("./td")
        rows[td[0].text.strip()] = {  # the name, before the unit kind's line
            "pk": int(tr.get("id").removeprefix("unit-")),
            "total": _int(td[1]),
            "closed": _int(td[2]),
            "rate": _text(td[3]),
            "open": _int(td[4]),
            "overdue": _int(td[5]),
        }
    return rows


def _summary(client, campaign):
    response = client.get(f"/files/summary/{campaign.pk}/")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    found = re.search(r"共查摆问题 (\d+) 个", text)
    figures = re.search(r"已销号 (\d+) 个，整改完成率 (\S+?)；逾期未完成 (\d+) 个", text)
    totals = {
        "total": int(found.group(1)),
        "closed": int(figures.group(1)),
        "rate": figures.group(2),
        "overdue": int(figures.group(3)),
    }
    (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "单位"]
    units = {}
    for row in table.rows[1:]:
        name, total, closed, overdue, rate = (c.text for c in row.cells)
        units[name] = {
            "total": int(total),
            "closed": int(closed),
            "rate": rate,
            "overdue": int(overdue),
        }
    return totals, units


def test_every_page_gives_the_same_numbers_for_the_demo_county():
    campaign = Campaign.objects.get(is_active=True)
    supervisor = User.objects.get(username="jiandu")
    client = Client()
    client.force_login(supervisor)

    # Every problem of this year was registered during this year's campaign, whether or
    # not it was filed under it; last year's are filed under last year's campaign.
    this_year = Problem.objects.exclude(campaign__is_active=False)
    total = this_year.count()
    closed = this_year.filter(state=Problem.State.CLOSED).count()
    overdue = this_year.overdue(timezone.localdate()).count()
    # Every problem made while a campaign runs (confirmed alerts included) is filed under it.
    assert not Problem.objects.filter(campaign__isnull=True).exists()
    rate = f"{round(closed * 100 / total, 1):g}%"

    totals, cockpit_units, chart_totals, chart_closed = _cockpit(client)
    assert totals == {"total": total, "closed": closed, "rate": rate, "overdue": overdue}

    detail = _text(_tree(client.get(f"/campaigns/{campaign.pk}/")))
    assert f"问题 {total} 个，已销号 {closed} 个，完成率 {rate}" in detail

    assert _ledger_count(client, campaign=campaign.pk) == total
    assert _ledger_count(client, campaign=campaign.pk, state="closed") == closed
    assert _ledger_count(client, campaign=campaign.pk, overdue=1) == overdue

    summary_totals, summary_units = _summary(client, campaign)
    assert summary_totals == totals

    accepted = _acceptance(client, campaign)
    units = Unit.objects.enforcement().active()
    names = {u.name for u in units}
    assert set(accepted) == names and set(cockpit_units) == names and set(summary_units) == names
    assert sum(r["total"] for r in accepted.values()) == total
    for name, row in accepted.items():
        same = {k: row[k] for k in ("total", "closed", "rate", "overdue")}
        assert cockpit_units[name] == same, name
        assert summary_units[name] == same, name
        assert (chart_totals[name], chart_closed[name]) == (row["total"], row["closed"]), name
        assert row["open"] == row["total"] - row["closed"], name
        unit = row["pk"]
        assert _ledger_count(client, campaign=campaign.pk, unit=unit) == row["total"], name
        assert (
            _ledger_count(client, campaign=campaign.pk, unit=unit, overdue=1) == row["overdue"]
        ), name
        if row["total"] == 0:
            assert row["rate"] == "—", name  # no problem is not 100 % done
        else:
            assert row["rate"] == f"{round(row['closed'] * 100 / row['total'], 1):g}%", name

    # 北湖镇's problems are confirmed alerts (once filed under no campaign, and missed):
    # they count, and the town is not done.
    beihu = accepted["北湖镇人民政府"]
    assert beihu["total"] == this_year.filter(unit__name="北湖镇人民政府").count() > 0
    assert beihu["rate"] == "0%" and beihu["open"] == beihu["total"]
    assert any(row["total"] == 0 for row in accepted.values())  # a clean unit shows "—"

    # A unit's own user sees the same figures for their unit.
    clerk = User.objects.get(username="cgz_tb")
    own = Client()
    own.force_login(clerk)
    own_totals, own_units, _, _ = _cockpit(own)
    row = accepted[clerk.unit.name]
    assert own_units == {
        clerk.unit.name: {k: row[k] for k in ("total", "closed", "rate", "overdue")}
    }
    assert (own_totals["total"], own_totals["overdue"]) == (row["total"], row["overdue"])
    assert _acceptance(own, campaign)[clerk.unit.name]["total"] == row["total"]


def test_last_years_campaign_keeps_its_own_numbers():
    """The demo's finished campaign of last year: the cockpit reads it by its id with its
    own problems (all 销号), and this year's figures do not include them."""
    old = Campaign.objects.get(is_active=False)
    current = Campaign.objects.get(is_active=True)
    client = Client()
    client.force_login(User.objects.get(username="jiandu"))

    problems = Problem.objects.filter(campaign=old)
    assert problems.count() > 0 and not problems.exclude(state=Problem.State.CLOSED).exists()
    totals, units, _, _ = _cockpit(client, old)
    assert totals == {
        "total": problems.count(),
        "closed": problems.count(),
        "rate": "100%",
        "overdue": 0,
    }
    assert sum(row["total"] for row in units.values()) == problems.count()
    now, _, _, _ = _cockpit(client)
    assert now["total"] == Problem.objects.exclude(campaign=old).count()
    assert old.template.items.count() == current.template.items.count()
    assert client.get("/dashboard/", {"campaign": 999999}).status_code == 404


def test_the_demo_county_has_instruments_in_every_state():
    today = timezone.localdate()
    states = set(Instrument.objects.values_list("state", flat=True))
    assert {"issued", "replied", "objected", "accepted", "withdrawn", "escalated"} <= states
    assert Instrument.objects.overdue(today).exists()
    assert all(i.number and i.document_id for i in Instrument.objects.all())
    decided = Proposal.objects.get(state="decided")
    assert decided.decision_number and decided.instrument.state == "escalated"
    held = Interview.objects.get(state="held")
    assert held.problems().count() == 2 and held.number and held.document_id
    assert Interview.objects.filter(state="planned").exists()
    assert Circular.objects.filter(audience="public").exists()
    assert set(Lead.objects.exclude(disposal="").values_list("disposal", flat=True)) == {
        "talk",
        "verify",
        "shelve",
        "close",
    }
    assert Lead.objects.filter(state="returned").exists()
    # The 文号 register runs in the order of the dates, per kind.
    for kind in ("supervision_letter", "opinion_letter"):
        numbers = [i.number for i in Instrument.objects.filter(kind=kind).order_by("issued_at")]
        assert numbers == sorted(numbers, key=lambda n: int(n.split("〕")[1].rstrip("号")))
    # Real law names only.
    for i in Instrument.objects.all():
        assert i.basis.startswith("《") and "相关法律" not in i.basis
