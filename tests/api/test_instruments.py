import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.intake.models import ApiToken
from jiandu.integrations.keys import instrument_ref
from jiandu.integrations.models import Delivery, Webhook
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea
from jiandu.supervision.models import Instrument, InstrumentReply
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


def _instrument_with_problem_and_reply(unit, n):
    area = FocusArea.objects.get(code="procedure")
    inst = Instrument.objects.create(
        kind=Instrument.Kind.SUPERVISION_LETTER,
        unit=unit,
        title=f"督办函 {n}",
        facts="抽查发现",
        basis="《条例》第二十七条",
        required_action="补齐执法记录",
        focus_area=area,
        reply_workdays=10,
        state=Instrument.State.REPLIED,
        number=f"平司督〔2026〕{n}号",
        issued_at=timezone.now(),
    )
    Problem.objects.create(
        unit=unit,
        focus_area=area,
        description=f"问题 {n}",
        source=Problem.Source.SUPERVISION,
        state=Problem.State.IN_PROGRESS,
        origin=inst,
    )
    InstrumentReply.objects.create(instrument=inst, kind=InstrumentReply.Kind.REPLY, text="已整改")
    return inst


def test_the_instrument_list_takes_the_same_queries_for_2_rows_as_for_10(client, tokens, units):
    """Each row's problems and replies come with the page, not one query per row."""

    def queries_for(rows):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/instruments", headers=bearer(tokens["county"]))
        assert response.status_code == 200
        items = response.json()["items"]
        assert len(items) == rows
        assert all(len(i["problems"]) == 1 and len(i["replies"]) == 1 for i in items)
        return len(ctx.captured_queries)

    for n in range(2):
        _instrument_with_problem_and_reply(units["a"], n)
    client.get("/api/v1/instruments", headers=bearer(tokens["county"]))  # warm caches
    two = queries_for(2)
    for n in range(2, 10):
        _instrument_with_problem_and_reply(units["a" if n % 2 else "b"], n)
    assert queries_for(10) == two


def test_a_nul_character_in_a_write_is_a_422_naming_the_field_and_nothing_is_written(
    client, tokens, issued, county_data
):
    """PostgreSQL cannot store a NUL in text: refused before the transition, not a 500."""
    from jiandu.integrations.keys import problem_ref
    from jiandu.ledger.models import ProgressNote

    problem = problem_ref(county_data["problem_a"].pk)
    instrument = instrument_ref(issued["a"].pk)
    attached = {"text": "已整改", "attachments": [{"name": "a\x00.png", "content_base64": png()}]}
    for path, body, field in (
        (f"/api/v1/problems/{problem}/progress", {"text": "补齐\x00记录"}, "text"),
        (f"/api/v1/problems/{problem}/progress", attached, "name"),
        (f"/api/v1/instruments/{instrument}/reply", {"text": "已\x00整改"}, "text"),
        (f"/api/v1/instruments/{instrument}/reply", attached, "name"),
    ):
        response = client.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            headers=bearer(tokens["a"]),
        )
        assert response.status_code == 422, (path, response.content)
        issue = response.json()["detail"][0]
        assert issue["loc"][-1] == field and "NUL" in issue["msg"]
    assert not ProgressNote.objects.exists() and not InstrumentReply.objects.exists()


def test_a_file_name_without_a_name_in_it_is_a_400_with_the_reason(
    client, tokens, issued, county_data
):
    """ "a/" or ".." leaves no file name: the API's JSON 400, not Django's HTML page."""
    from jiandu.integrations.keys import problem_ref

    problem = problem_ref(county_data["problem_a"].pk)
    instrument = instrument_ref(issued["a"].pk)
    for path in (f"/api/v1/problems/{problem}/progress", f"/api/v1/instruments/{instrument}/reply"):
        for name in ("/", "a/", ".."):
            body = {"text": "已整改", "attachments": [{"name": name, "content_base64": png()}]}
            response = client.post(
                path,
                data=json.dumps(body),
                content_type="application/json",
                headers=bearer(tokens["a"]),
            )
            assert response.status_code == 400, (path, name)
            assert f"文件名“{name}”无效" in response.json()["detail"]
    assert not InstrumentReply.objects.exists()
