"""State changes of integrations: an integration registers or stops a webhook under its
token; the supervisor replays a delivery (a new attempt of the same event body, signed
anew). Audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiandu.audit.log import log
from jiandu.integrations.models import Delivery, Webhook
from jiandu.integrations.webhooks import claim, send_claimed
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.orgs.access import is_supervisor


def check_replay(delivery, actor, today=None):
    if not is_supervisor(actor):
        raise PermissionDenied("只有监督管理员可以重新推送。")
    # The integration stopped this address, or its token was revoked: send it nothing.
    if not delivery.webhook.is_active or not delivery.webhook.token.is_active:
        raise ValidationError("该推送地址已停用或其接口令牌已停用，不能重新推送。")


CHECKS = {"replay": check_replay}


def available_actions(delivery, user, today=None) -> set[str]:
    return allowed(CHECKS, delivery, user, today)


def replay(delivery: Delivery, *, actor, request=None) -> Delivery:
    check_replay(delivery, actor)
    with transaction.atomic():
        lock(delivery)
        # The address and its token read afresh under the lock, not as loaded with the
        # page: one stopped at this moment is refused, not sent to.
        delivery.webhook = Webhook.objects.select_related("token").get(pk=delivery.webhook_id)
        check_replay(delivery, actor)
        log(
            "integrations.delivery.replayed",
            actor=actor,
            obj=delivery,
            unit=delivery.event.unit,
            request=request,
            data={"event": delivery.event.type, "url": delivery.webhook.url},
        )
        # Counted under the same lock, so the cron command does not send it meanwhile.
        claim(delivery)
    # The POST itself outside the transaction: a slow receiver holds no lock.
    return send_claimed(delivery)


def _token_actor(token) -> dict:
    return {"actor_name": f"接口令牌：{token.name}"}


@transaction.atomic
def register_webhook(token, *, url: str, events: list[str], request=None) -> Webhook:
    """An integration registers a push address under its token (the API checks scope)."""
    hook = Webhook.objects.create(token=token, url=url, events=events, secret=Webhook.new_secret())
    log(
        "integrations.webhook.registered",
        obj=hook,
        unit=token.unit,
        request=request,
        data={**_token_actor(token), "url": url, "event": "、".join(events)},
    )
    return hook


@transaction.atomic
def deactivate_webhook(hook: Webhook, *, request=None) -> Webhook:
    hook = lock(hook)
    hook.is_active = False
    hook.save(update_fields=["is_active"])
    log(
        "integrations.webhook.deactivated",
        obj=hook,
        unit=hook.token.unit,
        request=request,
        data={**_token_actor(hook.token), "url": hook.url},
    )
    return hook
