"""The demo county holds the 条例's instruments in every state, each with its 公文, and
leads in the four dispositions (slow: the whole demo county is loaded)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiandu.ledger.models import Lead
from jiandu.supervision.models import Circular, Instrument, Interview, Proposal

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_demo_county_has_instruments_in_every_state():
    call_command("seed_demo", stdout=io.StringIO())
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
