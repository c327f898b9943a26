import pytest
from django.utils import timezone

from jiandu.demo import county as org_demo
from jiandu.demo import portal as demo
from jiandu.portal.models import Complaint, PublishedCase

pytestmark = pytest.mark.slow  # the demo county


def test_demo_seeds_complaints_in_every_state(db):
    ctx = {"today": timezone.localdate()}
    org_demo.seed(ctx)
    demo.seed(ctx)
    assert Complaint.objects.count() == 13
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states == set(Complaint.State.values)
    assert Complaint.objects.overdue().filter(state="received").exists()
    assert any(c.assignments.count() == 4 for c in Complaint.objects.all())
    assert Complaint.objects.filter(rating__isnull=False).count() == 1
    assert PublishedCase.objects.visible().count() == 1
