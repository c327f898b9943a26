import base64
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.intake.models import ApiToken
from jiandu.integrations.keys import problem_ref
from jiandu.ledger.models import Problem, ProgressNote
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def get(client, path, raw, **params):
    return client.get(f"/api/v1/{path}", params, headers=bearer(raw))


def keys_of(response, key):
    assert response.status_code == 200, response.content
    return sorted(item[key] for item in response.json()["items"])


def test_a_unit_token_reads_only_its_own_records(client, tokens, county_data):
    for path, key in (("problems", "unit"), ("alerts", "unit"), ("complaints", "unit")):
        assert keys_of(get(client, path, tokens["a"]), key) == ["T-A"]
        assert keys_of(get(client, path, tokens["county"]), key) == ["T-A", "T-B"]
    assert keys_of(get(client, "units", tokens["a"]), "code") == ["T-A"]
    # Another unit's problem is 404, as on the pages: its number reveals nothing.
    other = problem_ref(county_data["problem_b"].pk)
    assert get(client, f"problems/{other}", tokens["a"]).status_code == 404
    own = problem_ref(county_data["problem_a"].pk)
    assert get(client, f"problems/{own}", tokens["a"]).json()["ref"] == own
    # County-wide data is not a unit's: 403 (the token is known, the scope is not enough).
    assert get(client, "rule-runs", tokens["a"]).status_code == 403
    assert get(client, "rule-runs", tokens["county"]).status_code == 200


def test_scopes_401_403(client, tokens, county_data):
    assert client.get("/api/v1/problems").status_code == 401
    assert get(client, "problems", "jd_wrong").status_code == 401
    response = get(client, "problems", tokens["import_only"])
    assert response.status_code == 403 and "read" in response.json()["detail"]


def test_complaints_never_carry_identity_or_tracking_code(client, tokens, county_data):
    text = get(client, "complaints", tokens["county"]).content.decode()
    assert "SECRETA123" not in text and "SECRETB123" not in text
    assert "cipher" not in text and "JB" in text


def test_alerts_carry_their_evidence_and_natural_key(client, tokens, county_data):
    item = get(client, "alerts", tokens["a"]).json()["items"][0]
    assert item["key"] == "PROC-01/T-A/案-1"
    assert item["evidence"]["决定日期"] == "2026-03-01"
    assert "id" not in item


def test_cursor_pages_and_updated_since_sync(client, tokens, units, county_data):
    area = county_data["problem_a"].focus_area
    for i in range(5):
        Problem.objects.create(
            unit=units["a"], focus_area=area, description=f"p{i}", source="other"
        )
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = get(client, "problems", tokens["county"], **params).json()
        seen += [item["ref"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 7
    # A transition moves updated_at: the next sync returns just the changed problem.
    mark = timezone.now()
    problem = county_data["problem_b"]
    problem.state = Problem.State.AWAITING_ACCEPTANCE
    problem.save(update_fields=["state"])
    since = get(client, "problems", tokens["county"], updated_since=mark.isoformat())
    assert keys_of(since, "ref") == [problem_ref(problem.pk)]
    # A progress note (history) moves its problem too.
    later = timezone.now()
    ProgressNote.objects.create(problem=county_data["problem_a"], text="进展")
    since = get(client, "problems", tokens["county"], updated_since=later.isoformat())
    assert keys_of(since, "ref") == [problem_ref(county_data["problem_a"].pk)]
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert get(client, "problems", tokens["county"], updated_since=future).json()["items"] == []
    assert get(client, "problems", tokens["county"], cursor="nonsense").status_code == 422
    # Any offset ISO 8601 allows, even one PostgreSQL would refuse (schemathesis found it).
    odd = get(client, "problems", tokens["county"], updated_since="6212-05-17T19:13:04+23:51")
    assert odd.status_code == 200 and odd.json()["items"] == []


def post_progress(client, ref, raw, body):
    return client.post(
        f"/api/v1/problems/{ref}/progress",
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(raw),
    )


def png() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_a_unit_system_attaches_evidence_through_the_ledger_action(client, tokens, county_data):
    problem = county_data["problem_a"]
    ref = problem_ref(problem.pk)
    body = {
        "text": "已补齐执法记录仪",
        "attachments": [{"name": "照片.png", "content_base64": png()}],
    }
    response = post_progress(client, ref, tokens["a"], body)
    assert response.status_code == 200, response.content
    assert response.json()["attachments"] == ["照片.png"]
    note = ProgressNote.objects.get(problem=problem)
    assert note.author.username.startswith("api-") and note.author.unit == problem.unit
    event = AuditEvent.objects.get(action="ledger.problem.progress")
    assert event.data["attachments"] == ["照片.png"] and event.actor == note.author
    # The same refusals as the page, as statuses: another unit's problem 404; a read
    # token 403; a problem not in rectification 409; a file that is not evidence 400.
    other = problem_ref(county_data["problem_b"].pk)
    assert post_progress(client, other, tokens["a"], body).status_code == 404
    assert post_progress(client, ref, tokens["read_a"], body).status_code == 403
    problem.state = Problem.State.PENDING
    problem.save(update_fields=["state"])
    assert post_progress(client, ref, tokens["a"], body).status_code == 409
    problem.state = Problem.State.IN_PROGRESS
    problem.save(update_fields=["state"])
    bad = {"text": "x", "attachments": [{"name": "a.exe", "content_base64": "TVqQAAMAAAAEAAAA"}]}
    assert post_progress(client, ref, tokens["a"], bad).status_code == 400
    assert ProgressNote.objects.count() == 1


def run(*args):
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_token_cli_creates_lists_and_revokes_audited(client, units):
    out = run("create", "市场监管局办案系统", "--unit", "T-B", "--scope", "read,write")
    raw = out.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert raw.startswith("jd_") and token.scope_list == ["read", "write"]
    assert token.unit == units["b"] and raw not in run("list")
    assert token.prefix in run("list")
    assert client.get("/api/v1/units", headers=bearer(raw)).status_code == 200
    run("revoke", token.prefix)
    assert client.get("/api/v1/units", headers=bearer(raw)).status_code == 401
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["intake.token.issued", "intake.token.revoked"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="未知的权限范围"):
        run("create", "x", "--scope", "admin")
    with pytest.raises(CommandError, match="限定单位"):
        run("create", "x", "--scope", "write")
