import pytest

from jiandu.portal.models import Complaint
from tests.portal.factories import report_form_data


@pytest.fixture
def submit(db):
    """submit(client, **fields) files a complaint through the public form; returns
    (response, complaint or None)."""

    def run(client, **fields):
        data = report_form_data(client, **fields)
        before = set(Complaint.objects.values_list("pk", flat=True))
        response = client.post("/public/report/", data)
        new = Complaint.objects.exclude(pk__in=before).first()
        return response, new

    return run


@pytest.fixture(autouse=True)
def _base_data(db):
    """Transactional (browser) tests flush every table, base data included; a later test
    in the same worker would then find no roles or focus areas."""
    from jiandu.orgs import base_data
    from jiandu.orgs.models import Role

    if not Role.objects.exists():
        base_data.load()
