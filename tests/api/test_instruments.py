import json
from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.intake.models import ApiToken
from jiandu.integrations.keys import instrument_ref
from jiandu.integrations.models import Delivery, Webhook
from jiandu.orgs.models import FocusArea
from jiandu.supervision.models import Instrument
from tests.api.helpers import bearer
from tests.api.test_reads_and_scopes import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(units):
    out = {}
    for key in ("a", "b"):
        out[key] = Instrument.objects.create(
            kind=Instrument.Kind.SUPERVISION_LETTER,
            unit=units[key],
            title="关于执法记录不全的督办函",
            facts="抽查发现",
            basis="《条例》第二十七条",
            required_action="补齐执法记录",
            focus_area=FocusArea.objects.get(code="procedure"),
            reply_workdays=10,
            deadline=timezone.localdate() + timedelta(days=14),
            state=Instrument.State.ISSUED,
            number=f"平司督〔2026〕{key}号",
            issued_at=timezone.now(),
        )
    Instrument.objects.create(
        kind=Instrument.Kind.OPINION_LETTER,
        unit=units["a"],
        title="草稿",
        facts="x",
        basis="x",
        required_action="x",
        focus_area=FocusArea.objects.get(code="procedure"),
        reply_workdays=10,
    )
    return out


def reply(client, ref, raw, body):
    return client.post(
        f"/api/v1/instruments/{ref}/reply",
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(raw),
    )


def test_a_unit_reads_its_issued_instruments_and_replies_through_the_transition(
    client, tokens, issued, django_capture_on_commit_callbacks
):
    items = client.get("/api/v1/instruments", headers=bearer(tokens["a"])).json()["items"]
    assert [i["ref"] for i in items] == [instrument_ref(issued["a"].pk)]  # no draft, no B
    assert items[0]["number"] == "平司督〔2026〕a号" and items[0]["state"] == "issued"
    Webhook.objects.create(
        token=ApiToken.objects.get(name="系统-county"),
        url="http://127.0.0.1:9/none",
        events=["instrument.replied"],
        secret="whsec_x",
    )
    ref = instrument_ref(issued["a"].pk)
    body = {"text": "已补齐并整改", "attachments": [{"name": "整改.png", "content_base64": png()}]}
    assert reply(client, instrument_ref(issued["b"].pk), tokens["a"], body).status_code == 404
    assert reply(client, ref, tokens["read_a"], body).status_code == 403
    with django_capture_on_commit_callbacks(execute=False):
        response = reply(client, ref, tokens["a"], body)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["state"] == "replied" and out["replies"][0]["text"] == "已补齐并整改"
    event = AuditEvent.objects.get(action="supervision.instrument.replied")
    assert event.data["attachments"] == ["整改.png"]
    assert Delivery.objects.get().event.type == "instrument.replied"
    assert reply(client, ref, tokens["a"], body).status_code == 409
