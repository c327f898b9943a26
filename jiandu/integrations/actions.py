"""State changes of integrations: the supervisor replays a delivery (a new attempt of
the same event body, signed anew). Audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from jiandu.audit.log import log
from jiandu.integrations.models import Delivery
from jiandu.integrations.webhooks import attempt
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.orgs.access import is_supervisor


def check_replay(delivery, actor, today=None):
    if not is_supervisor(actor):
        raise PermissionDenied("只有监督管理员可以重新推送。")


CHECKS = {"replay": check_replay}


def available_actions(delivery, user, today=None) -> set[str]:
    return allowed(CHECKS, delivery, user, today)


def replay(delivery: Delivery, *, actor, request=None) -> Delivery:
    check_replay(delivery, actor)
    with transaction.atomic():
        lock(delivery)
        check_replay(delivery, actor)
        log(
            "integrations.delivery.replayed",
            actor=actor,
            obj=delivery,
            unit=delivery.event.unit,
            request=request,
            data={"event": delivery.event.type, "url": delivery.webhook.url},
        )
    # The POST itself outside the transaction: a slow receiver holds no lock.
    delivery.refresh_from_db()
    return attempt(delivery)
