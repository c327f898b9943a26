"""The channels a reminder leaves by, behind one interface: a `Sender` names the
addresses it reaches for a set of users and a unit (`recipients`) and delivers one
message (`send`, raising `SendError`). In-app notices, e-mail and group robots are built;
SMS would be one more Sender (its `recipients` from `User.phone`, its `send` calling the
gateway) added to `SENDERS`."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage

from jiandu.orgs.notify import notify
from jiandu.reminders.models import Channel


class SendError(Exception):
    pass


@dataclass
class Address:
    key: str  # unique per recipient and channel: "user:5", "webhook:unit:3"
    label: str  # 张三, 甲镇人民政府群机器人
    user: object = None
    address: str = ""  # the e-mail address or the webhook URL (no secret)
    secret: str = ""


@dataclass
class Message:
    title: str
    text: str  # the whole message, link included
    path: str  # the page, as a path (in-app notices link to it)
    url: str  # the page on the public address
    important: bool = False


class Sender:
    channel: str = ""
    # Unit-wide channels reach the unit's group, not people.
    per_unit = False

    def recipients(self, users, unit) -> list[Address]:
        raise NotImplementedError

    def send(self, address: Address, message: Message) -> None:
        raise NotImplementedError


class InAppSender(Sender):
    channel = Channel.INAPP

    def recipients(self, users, unit):
        return [Address(f"user:{u.pk}", u.display_name, u) for u in users]

    def send(self, address, message):
        notify(
            [address.user],
            message.title,
            message.text,
            url=message.path,
            important=message.important,
        )


class EmailSender(Sender):
    """Django's mail settings (EMAIL_HOST … from the environment); off without EMAIL_HOST."""

    channel = Channel.EMAIL

    def recipients(self, users, unit):
        if not settings.JIANDU_EMAIL_ENABLED:
            return []
        return [Address(f"user:{u.pk}", u.display_name, u, u.email) for u in users if u.email]

    def send(self, address, message):
        try:
            EmailMessage(
                # A header: a line break typed in the item (a problem's description) would
                # make Django refuse the message at every try.
                subject=" ".join(message.title.splitlines()),
                body=message.text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address.address],
            ).send()
        except Exception as exc:  # smtplib, socket and ssl errors alike
            raise SendError(f"邮件发送失败：{exc}") from exc


def signed(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """A 钉钉 robot URL signed with its secret (加签): timestamp (ms) and sign, the
    base64 HMAC-SHA256 of "timestamp\\nsecret" keyed with the secret."""
    if not secret:
        return url
    ts = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"


class WebhookSender(Sender):
    """The unit's group robot (浙政钉/钉钉/企业微信), else the county default."""

    channel = Channel.WEBHOOK
    per_unit = True

    def recipients(self, users, unit):
        if unit is not None and unit.webhook_url:
            url, secret = unit.webhook_url, unit.webhook_secret
            return [Address(f"webhook:unit:{unit.pk}", f"{unit.name}群机器人", None, url, secret)]
        if settings.JIANDU_WEBHOOK_URL:
            return [
                Address(
                    "webhook:county",
                    "全县群机器人",
                    None,
                    settings.JIANDU_WEBHOOK_URL,
                    settings.JIANDU_WEBHOOK_SECRET,
                )
            ]
        return []

    def send(self, address, message):
        body = json.dumps(
            {"msgtype": "text", "text": {"content": message.text}}, ensure_ascii=False
        ).encode()
        request = urllib.request.Request(
            signed(address.address, address.secret),
            data=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = response.read()
        except (urllib.error.URLError, OSError) as exc:
            raise SendError(f"群机器人发送失败：{exc}") from exc
        # 钉钉 and 企业微信 answer 200 with {"errcode": …}: anything but 0 is a refusal.
        try:
            errcode = json.loads(answer or b"{}").get("errcode", 0)
        except (ValueError, AttributeError):
            errcode = 0
        if errcode:
            raise SendError(f"群机器人拒收：{answer[:200].decode(errors='replace')}")


SENDERS: list[Sender] = [InAppSender(), EmailSender(), WebhookSender()]


def sender_for(channel: str) -> Sender:
    return next(s for s in SENDERS if s.channel == channel)


def deliver(sender: Sender, address: Address, message: Message) -> tuple[int, str]:
    """Send with a few tries and a growing pause between them (REMINDER_SEND_TRIES,
    REMINDER_SEND_BACKOFF seconds, doubled each time). (tries used, error or "")."""
    tries = max(1, settings.REMINDER_SEND_TRIES)
    pause = settings.REMINDER_SEND_BACKOFF
    error = ""
    for attempt in range(1, tries + 1):
        try:
            sender.send(address, message)
            return attempt, ""
        except SendError as exc:
            error = str(exc)[:500]
            if attempt < tries:
                time.sleep(pause)
                pause *= 2
    return tries, error
