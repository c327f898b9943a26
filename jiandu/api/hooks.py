"""Webhook registrations of an integration, under its token (scope `read`: it hears of
what it may read; a unit's token of that unit's events only). The signing secret is
returned once, at registration. The signature scheme is in jiandu.integrations.webhooks."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import Http404
from ninja import Field, Path, Router, Schema

from jiandu.intake.api import TokenAuth, error_responses
from jiandu.integrations import actions
from jiandu.integrations.models import EVENTS, Webhook

router = Router(tags=["事件推送"])
READ = TokenAuth("read")
EventType = Literal[tuple(EVENTS)]
EVENTS_TEXT = "；".join(f"{code}（{label}）" for code, label in EVENTS.items())
URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$"


class WebhookIn(Schema):
    url: str = Field(..., max_length=500, pattern=URL_PATTERN, description="接收推送的地址")
    events: list[EventType] = Field(
        ..., min_length=1, max_length=len(EVENTS), description="订阅的事件类型：" + EVENTS_TEXT
    )


class WebhookOut(Schema):
    key: UUID
    url: str
    events: list[str]
    is_active: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="签名密钥，只返回这一次")


def _out(hook: Webhook) -> dict:
    return {
        "key": hook.key,
        "url": hook.url,
        "events": list(hook.events),
        "is_active": hook.is_active,
        "created_at": hook.created_at,
    }


@router.post(
    "/webhooks",
    auth=READ,
    response={200: WebhookCreated, **error_responses()},
    summary="登记事件推送地址",
    operation_id="create_webhook",
    description=(
        "推送为 POST JSON，请求头 X-Jiandu-Event、X-Jiandu-Delivery、X-Jiandu-Timestamp 和 "
        "X-Jiandu-Signature = sha256=HMAC-SHA256(secret, 时间戳 + '.' + 请求体) 的十六进制。"
        "未返回 2xx 时在 1 分钟、5 分钟、30 分钟、2 小时、12 小时后重试。"
    ),
)
def create_webhook(request, payload: WebhookIn):
    events = [e for e in EVENTS if e in payload.events]
    hook = actions.register_webhook(request.auth, url=payload.url, events=events, request=request)
    return {**_out(hook), "secret": hook.secret}


@router.get(
    "/webhooks",
    auth=READ,
    response={200: list[WebhookOut], **error_responses()},
    summary="本令牌登记的推送地址",
    operation_id="list_webhooks",
)
def list_webhooks(request):
    return [_out(h) for h in Webhook.objects.filter(token=request.auth, is_active=True)]


@router.delete(
    "/webhooks/{key}",
    auth=READ,
    response={200: WebhookOut, **error_responses(404)},
    summary="停用推送地址",
    operation_id="delete_webhook",
)
def delete_webhook(request, key: Path[UUID]):
    hook = Webhook.objects.filter(token=request.auth, key=key, is_active=True).first()
    if hook is None:
        raise Http404("未找到该推送地址。")
    return _out(actions.deactivate_webhook(hook, request=request))
