"""Emitting events and delivering them.

Signature (what a receiver checks): every POST carries

    X-Jiandu-Event: problem.created
    X-Jiandu-Delivery: <the delivery's uuid>
    X-Jiandu-Timestamp: <unix seconds when this attempt was signed>
    X-Jiandu-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>

where body is the exact bytes of the request body (UTF-8 JSON) and secret the
`whsec_…` value returned once when the webhook was registered. A receiver recomputes
the HMAC, compares in constant time and refuses timestamps older than a few minutes
(a replayed delivery is signed anew with a fresh timestamp).

Retries: a delivery that does not get a 2xx is tried again after 1 min, 5 min, 30 min,
2 h and 12 h (`BACKOFF`), then given up (已放弃); `jiandu webhooks` (cron, or the next
event) sends what is due."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jiandu.integrations.models import EVENTS, Delivery, Event, Webhook
from jiandu.lib.locking import lock

BACKOFF = [timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
TIMEOUT = 10  # seconds per attempt
RESPONSE_KEPT = 2000  # characters of the receiver's response kept on the delivery


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def body_of(event: Event) -> bytes:
    payload = {
        "id": str(event.key),
        "type": event.type,
        "occurred_at": event.created_at.isoformat(),
        "object": event.object_key,
        "unit": event.unit.code if event.unit_id else None,
        "data": event.data,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()


def emit(type_: str, object_key: str, *, unit=None, data=None, dedupe=None) -> Event | None:
    """Record an event and its deliveries; they are sent once the transaction commits.
    None when `dedupe` was emitted before."""
    if type_ not in EVENTS:
        raise ValueError(f"unknown event type {type_}")
    if dedupe and Event.objects.filter(dedupe=dedupe).exists():
        return None
    event = Event.objects.create(
        type=type_, object_key=object_key, unit=unit, data=data or {}, dedupe=dedupe
    )
    hooks = Webhook.objects.filter(is_active=True, token__is_active=True).select_related("token")
    now = timezone.now()
    made = [
        Delivery(event=event, webhook=hook, next_attempt_at=now)
        for hook in hooks
        if type_ in hook.events
        and (hook.token.unit_id is None or hook.token.unit_id == event.unit_id)
    ]
    Delivery.objects.bulk_create(made)
    if made:
        transaction.on_commit(_enqueue)
    return event


def _enqueue():
    deliver_due_task.enqueue()


def claim(delivery: Delivery, now=None) -> Delivery:
    """Count an attempt before it is sent. The caller holds the row lock (`lock`) in its
    transaction and has checked the delivery may go. A pending delivery is pushed to its
    retry time, so the cron command and the background task, each re-checking under the
    lock, do not send it a second time while this attempt is in flight (and a worker that
    dies mid-POST leaves it to be retried then, not lost)."""
    now = now or timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    fields = ["attempts", "last_attempt_at"]
    if delivery.state == Delivery.State.PENDING:
        delivery.next_attempt_at = now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
        fields.append("next_attempt_at")
    delivery.save(update_fields=fields)
    return delivery


def _is_due(delivery: Delivery, now) -> bool:
    # A stopped webhook or a revoked token gets nothing more, not even a retry; read
    # afresh, as they may have been stopped since the list of due deliveries was read.
    hook = Webhook.objects.select_related("token").get(pk=delivery.webhook_id)
    return (
        delivery.state == Delivery.State.PENDING
        and delivery.next_attempt_at is not None
        and delivery.next_attempt_at <= now
        and hook.is_active
        and hook.token.is_active
    )


def send_if_due(delivery: Delivery, now=None) -> bool:
    """Claim the delivery under its row lock if it is still due, then send it; False when
    another worker claimed it first (or it was stopped) since `delivery` was read."""
    with transaction.atomic():
        lock(delivery)
        if not _is_due(delivery, now or timezone.now()):
            return False
        claim(delivery)
    send_claimed(delivery)
    return True


def attempt(delivery: Delivery) -> Delivery:
    """POST the event once more whatever its state (a replay): claimed under the row lock,
    sent outside any transaction, the response recorded under the lock."""
    with transaction.atomic():
        lock(delivery)
        claim(delivery)
    return send_claimed(delivery)


def send_claimed(delivery: Delivery) -> Delivery:
    """POST a claimed delivery, signed now, outside any transaction (a slow receiver holds
    no lock); record the response and plan the retry under the row lock."""
    body = body_of(delivery.event)
    stamp = int(time.time())
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "jiandu-webhooks/1",
            "X-Jiandu-Event": delivery.event.type,
            "X-Jiandu-Delivery": str(delivery.event.key),
            "X-Jiandu-Timestamp": str(stamp),
            "X-Jiandu-Signature": sign(delivery.webhook.secret, stamp, body),
        },
    )
    status, text = None, ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            status, text = response.status, response.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status, text = exc.code, exc.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        text = f"连接失败：{exc}"
    with transaction.atomic():
        lock(delivery)
        now = timezone.now()
        delivery.last_status = status
        delivery.last_response = text[:RESPONSE_KEPT]
        if status is not None and 200 <= status < 300:
            delivery.state, delivery.delivered_at, delivery.next_attempt_at = (
                Delivery.State.DELIVERED,
                now,
                None,
            )
        elif delivery.attempts > len(BACKOFF):
            delivery.state, delivery.next_attempt_at = Delivery.State.FAILED, None
        else:
            delivery.state = Delivery.State.PENDING
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        delivery.save(
            update_fields=[
                "last_status",
                "last_response",
                "state",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    return delivery


def deliver_due(now=None, limit=500) -> int:
    """Send every pending delivery whose time has come; the number sent. Each is claimed
    under its row lock first: the cron command and the background task may run at once."""
    now = now or timezone.now()
    due = list(
        # A stopped webhook or a revoked token gets nothing more, not even a retry.
        Delivery.objects.filter(
            state=Delivery.State.PENDING,
            next_attempt_at__lte=now,
            webhook__is_active=True,
            webhook__token__is_active=True,
        )
        .select_related("event__unit", "webhook")
        .order_by("next_attempt_at", "id")[:limit]
    )
    return sum(send_if_due(delivery, now) for delivery in due)


@task()
def deliver_due_task() -> int:
    """Send the deliveries that are due (a new event's, and any retry whose time came)."""
    return deliver_due()
