"""Webhooks against a local HTTP receiver: the signature checked independently of
jiandu's code, a failed delivery retried with back-off, a delivery replayed."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from jiandu.intake.models import ApiToken
from jiandu.integrations.keys import problem_ref
from jiandu.integrations.models import Delivery, Webhook
from jiandu.integrations.webhooks import BACKOFF, deliver_due
from jiandu.ledger import actions as ledger
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea
from tests.api.helpers import bearer
from tests.lib.servers import serve_in_background

pytestmark = pytest.mark.django_db


class Receiver:
    """Records each POST; answers with the next status of `statuses` (then 200)."""

    def __init__(self):
        self.received, self.statuses = [], []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"busy")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        serve_in_background(self.server)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What a receiver does, written from the documented scheme alone."""
    stamp = headers["X-Jiandu-Timestamp"]
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(headers["X-Jiandu-Signature"], "sha256=" + expected.hexdigest())


def register(client, raw, url, events):
    response = client.post(
        "/api/v1/webhooks",
        data=json.dumps({"url": url, "events": events}),
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_signed_event_per_transition_only_of_the_tokens_unit(
    client, tokens, personas, units, receiver, django_capture_on_commit_callbacks
):
    hook = register(client, tokens["a"], receiver.url, ["problem.created"])
    register(client, tokens["b"], receiver.url, ["problem.accepted"])
    area = FocusArea.objects.get(code="procedure")
    with django_capture_on_commit_callbacks(execute=True):
        problem = ledger.create_problem_by_hand(
            actor=personas["supervisor"],
            unit=units["a"],
            focus_area=area,
            description="执法记录不全",
            source=Problem.Source.SUPERVISION,
        )
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert verify(hook["secret"], headers, body)
    assert not verify(hook["secret"], headers, body + b" ")
    payload = json.loads(body)
    assert payload["type"] == "problem.created" and payload["object"] == problem_ref(problem.pk)
    assert payload["unit"] == "T-A" and headers["X-Jiandu-Event"] == "problem.created"
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.DELIVERED and delivery.last_status == 200


def test_a_failed_delivery_is_retried_with_back_off_and_replayed(
    client, tokens, units, receiver, django_capture_on_commit_callbacks
):
    from jiandu.integrations.webhooks import attempt, emit

    hook = register(client, tokens["county"], receiver.url, ["problem.overdue"])
    receiver.statuses = [503]
    with django_capture_on_commit_callbacks(execute=True):
        emit("problem.overdue", "ZG000001", unit=units["a"], dedupe="x")
        assert emit("problem.overdue", "ZG000001", unit=units["a"], dedupe="x") is None
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 503)
    assert delivery.last_response == "busy"
    assert delivery.next_attempt_at > timezone.now() + BACKOFF[0] - timedelta(seconds=5)
    assert deliver_due() == 0  # not yet due
    assert deliver_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 2)
    # Replay: the same body, signed anew.
    attempt(delivery)
    assert len(receiver.received) == 3
    assert receiver.received[1][1] == receiver.received[2][1]
    secret = Webhook.objects.get(key=hook["key"]).secret
    assert all(verify(secret, h, b) for h, b in receiver.received)


def test_the_supervisor_replays_a_delivery_from_the_page(
    client_for, tokens, units, personas, receiver, django_capture_on_commit_callbacks
):
    from jiandu.audit.models import AuditEvent
    from jiandu.integrations.webhooks import emit

    Webhook.objects.create(
        token=ApiToken.objects.get(name="系统-county"),
        url=receiver.url,
        events=["complaint.received"],
        secret="whsec_x",
    )
    receiver.statuses = [500] * 6
    with django_capture_on_commit_callbacks(execute=True):
        emit("complaint.received", "JB000001", unit=units["a"])
    delivery = Delivery.objects.get()
    assert delivery.state == "pending" and delivery.last_status == 500
    assert client_for(personas["clerk_a"]).get("/integrations/deliveries/").status_code == 403
    supervisor = client_for(personas["supervisor"])
    page = supervisor.get("/integrations/deliveries/")
    assert page.status_code == 200 and "JB000001" in page.content.decode()
    receiver.statuses = []
    response = supervisor.post(f"/integrations/deliveries/{delivery.pk}/replay/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 2
    assert AuditEvent.objects.filter(action="integrations.delivery.replayed").count() == 1
    clerk = client_for(personas["clerk_a"])
    assert clerk.post(f"/integrations/deliveries/{delivery.pk}/replay/").status_code == 403


def test_the_webhooks_command_emits_overdue_once_per_deadline(tokens, units, receiver):
    import io

    from django.core.management import call_command

    from jiandu.integrations.models import Event

    Webhook.objects.create(
        token=ApiToken.objects.get(name="系统-read_a"),
        url=receiver.url,
        events=["problem.overdue"],
        secret="whsec_y",
    )
    area = FocusArea.objects.get(code="procedure")
    late = {"state": Problem.State.IN_PROGRESS, "focus_area": area, "source": "other"}
    yesterday = timezone.localdate() - timedelta(days=1)
    mine = Problem.objects.create(unit=units["a"], description="甲", deadline=yesterday, **late)
    Problem.objects.create(unit=units["b"], description="乙", deadline=yesterday, **late)
    call_command("webhooks", stdout=io.StringIO())
    call_command("webhooks", stdout=io.StringIO())
    assert Event.objects.filter(type="problem.overdue").count() == 2  # once each
    # The unit A token's webhook hears of unit A's problem only.
    assert [json.loads(b)["object"] for _h, b in receiver.received] == [problem_ref(mine.pk)]


def test_registering_and_stopping_a_webhook_are_audited_under_the_token(client, tokens, units):
    from jiandu.audit.models import AuditEvent

    hook = register(client, tokens["a"], "http://127.0.0.1:9/hook", ["problem.created"])
    row = AuditEvent.objects.get(action="integrations.webhook.registered")
    assert row.unit == units["a"] and row.actor_name == "接口令牌：系统-a"
    assert row.data["url"] == "http://127.0.0.1:9/hook"
    response = client.delete(f"/api/v1/webhooks/{hook['key']}", headers=bearer(tokens["a"]))
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert not Webhook.objects.get(key=hook["key"]).is_active
    row = AuditEvent.objects.get(action="integrations.webhook.deactivated")
    assert row.unit == units["a"] and row.actor_name == "接口令牌：系统-a"
    again = client.delete(f"/api/v1/webhooks/{hook['key']}", headers=bearer(tokens["a"]))
    assert again.status_code == 404
    assert AuditEvent.objects.filter(action="integrations.webhook.deactivated").count() == 1


def test_a_complaint_is_heard_of_by_its_handling_unit_never_by_the_unit_complained_about(
    tokens, units, personas
):
    from jiandu.portal import actions as portal
    from jiandu.portal.models import Category, Complaint

    hooks = {}
    for key in ("county", "a", "b"):
        hooks[key] = Webhook.objects.create(
            token=ApiToken.objects.get(name=f"系统-{key}"),
            url="http://127.0.0.1:9/none",
            events=["complaint.received", "complaint.closed"],
            secret="whsec_x",
        )

    def heard(key):
        return sorted(d.event.type for d in Delivery.objects.filter(webhook=hooks[key]))

    complaint = portal.submit_complaint(
        category=Category.FINE, description="罚款过重", reported_unit=units["a"]
    )
    # Not yet assigned: the county hears of it, unit A (complained about) does not.
    assert heard("county") == ["complaint.received"] and heard("a") == [] == heard("b")
    Complaint.objects.filter(pk=complaint.pk).update(
        state=Complaint.State.ASSIGNED, unit=units["b"]
    )
    complaint.refresh_from_db()
    portal.close_complaint(complaint, actor=personas["supervisor"], result="已核实处理")
    assert heard("b") == ["complaint.closed"] and heard("a") == []
    assert heard("county") == ["complaint.closed", "complaint.received"]


def test_a_stopped_webhook_or_a_revoked_token_gets_no_retry_and_no_replay(
    client_for, tokens, units, personas, receiver, django_capture_on_commit_callbacks
):
    from jiandu.audit.models import AuditEvent
    from jiandu.integrations.webhooks import emit

    hook = Webhook.objects.create(
        token=ApiToken.objects.get(name="系统-county"),
        url=receiver.url,
        events=["complaint.received"],
        secret="whsec_x",
    )
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        emit("complaint.received", "JB000001", unit=units["a"])
    delivery = Delivery.objects.get()
    assert delivery.state == "pending" and len(receiver.received) == 1
    supervisor = client_for(personas["supervisor"])
    for stop in ("webhook", "token"):
        hook.is_active, hook.token.is_active = stop != "webhook", stop != "token"
        hook.save()
        hook.token.save()
        assert deliver_due(now=delivery.next_attempt_at) == 0
        response = supervisor.post(f"/integrations/deliveries/{delivery.pk}/replay/", follow=True)
        assert response.status_code == 200
        assert "已停用，不能重新推送" in response.content.decode()
    assert len(receiver.received) == 1
    assert not AuditEvent.objects.filter(action="integrations.delivery.replayed").exists()


def _due_delivery(units, receiver):
    """One delivery due now, not sent yet (made as `emit` makes it, without its send)."""
    from jiandu.integrations.models import Event

    hook = Webhook.objects.create(
        token=ApiToken.objects.get(name="系统-county"),
        url=receiver.url,
        events=["problem.overdue"],
        secret="whsec_x",
    )
    event = Event.objects.create(type="problem.overdue", object_key="ZG000001", unit=units["a"])
    return Delivery.objects.create(event=event, webhook=hook, next_attempt_at=timezone.now())


def test_a_due_delivery_is_sent_once_when_two_workers_read_it(tokens, units, receiver):
    """The cron command and the background task both read the same due delivery: the
    first claims it under the row lock; the second, re-checking under the lock, skips it,
    whether the first is still posting or has finished (here with a 503: still pending)."""
    from jiandu.integrations.webhooks import claim, send_claimed, send_if_due
    from jiandu.lib.locking import lock

    _due_delivery(units, receiver)
    first, second, third = (Delivery.objects.get() for _ in range(3))
    with transaction.atomic():
        claim(lock(first))
    assert send_if_due(second) is False  # the first's POST is in flight
    receiver.statuses = [503]
    send_claimed(first)
    assert send_if_due(third) is False  # done, its retry not due yet
    assert deliver_due() == 0
    assert len(receiver.received) == 1
    first.refresh_from_db()
    assert (first.state, first.attempts, first.last_status) == ("pending", 1, 503)
    assert first.next_attempt_at > timezone.now() + BACKOFF[0] - timedelta(seconds=5)


on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="in-process threads: PostgreSQL (SQLite above)"
)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_send_a_due_delivery_once(tokens, units, receiver):
    _due_delivery(units, receiver)
    n = 4
    barrier, sent, errors = threading.Barrier(n), [], []

    def run():
        try:
            barrier.wait()
            sent.append(deliver_due())
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(sent) == [0] * (n - 1) + [1]
    assert len(receiver.received) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("delivered", 1)


def test_a_replay_reads_the_address_afresh_under_the_lock(tokens, units, personas, receiver):
    """The page loaded the delivery (and its address) before the integration stopped the
    address: the replay is refused, nothing is sent, nothing audited."""
    from django.core.exceptions import ValidationError

    from jiandu.audit.models import AuditEvent
    from jiandu.integrations import actions

    _due_delivery(units, receiver)
    stale = Delivery.objects.select_related("webhook__token", "event__unit").get()
    assert stale.webhook.is_active
    actions.deactivate_webhook(Webhook.objects.get())
    with pytest.raises(ValidationError) as refused:
        actions.replay(stale, actor=personas["supervisor"])
    assert refused.value.messages == ["该推送地址已停用或其接口令牌已停用，不能重新推送。"]
    assert receiver.received == []
    assert Delivery.objects.get().attempts == 0
    assert not AuditEvent.objects.filter(action="integrations.delivery.replayed").exists()
