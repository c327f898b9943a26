import re

import pytest

from jiandu.portal.models import CaptchaChallenge, Complaint


def captcha_from(html: str) -> tuple[str, str]:
    """The challenge id in the page, and its answer read from the server-side table."""
    challenge_id = re.search(r'name="captcha_id" value="([^"]+)"', html).group(1)
    return challenge_id, CaptchaChallenge.objects.get(pk=challenge_id).answer


def report_form_data(client, **fields):
    page = client.get("/public/report/")
    assert page.status_code == 200
    challenge_id, answer = captcha_from(page.content.decode())
    data = {
        "category": "inspection",
        "description": "检查人员一个月来了三次，每次查同样的内容。",
        "identity": "anonymous",
        "captcha_id": challenge_id,
        "captcha_answer": answer,
    }
    data.update(fields)
    return data


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
    from jiandu import base_data
    from jiandu.orgs.models import Role

    if not Role.objects.exists():
        base_data.load()
