"""`jiandu remind`: what the ladder owes today, sent and recorded.

`plan(today)` computes the messages (pure reading: nothing written); `run(today)` sends
them, one ReminderLog row per (item, step, recipient, channel, day) written before the
send (a second run, or two at once, finds the row and sends nothing new), drafts the
提醒函/督办函 of steps 3 and 4, and first tries again the sends that failed in the past
week. Items whose ladder the supervisor paused are left out."""

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.lib.public import public_url
from jiandu.orgs.access import role_users
from jiandu.orgs.models import Role, User
from jiandu.reminders import channels, ladder, sources
from jiandu.reminders.models import ReminderDraft, ReminderLog, ReminderPause, Step
from jiandu.workdays import calendar

RETRY_DAYS = 7
MAX_ATTEMPTS = 9  # over all runs; a send still failing after that stays on the page
CHUNK = 500


@dataclass
class Outgoing:
    item: sources.DueItem
    step: str
    sender: channels.Sender
    address: channels.Address
    message: channels.Message
    overdue_days: int = 0

    def as_json(self) -> dict:
        return {
            "kind": self.item.kind,
            "unit": self.item.unit.name if self.item.unit else "",
            "recipient": self.address.label,
            "channel": self.sender.channel,
            "subject_url": self.message.url,
            "text": self.message.text,
        }


@dataclass
class Result:
    today: date
    workday: bool = True
    messages: list = field(default_factory=list)  # Outgoing
    sent: int = 0
    failed: int = 0
    retried: int = 0
    drafts: int = 0


def _fmt(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _texts(item, step, today, cal) -> dict:
    """Per audience ('people', 'supervisor', 'discipline'): (title, text) without link."""
    unit = item.unit.name if item.unit else "司法局"
    due = _fmt(item.deadline)
    if step == Step.BEFORE:
        left = cal.count_workdays(today, item.deadline)
        return {
            "people": (
                f"提醒：{item.label}",
                f"【提醒】{unit}：{item.label}{item.what}为{due}，还有{left}个工作日，请按时办理。",
            )
        }
    if step == Step.DUE:
        return {
            "people": (
                f"今日到期：{item.label}",
                f"【到期提醒】{unit}：{item.label}{item.what}为今天（{due}），请今日内办理完毕。",
            )
        }
    late = cal.count_workdays(item.deadline, today)
    letter = "提醒函" if step == Step.LETTER else "督办函"
    out = {
        "supervisor": (
            f"待审批{letter}：{unit}",
            f"【待审批】{unit}：{item.label}{item.what}为{due}，已逾期{late}个工作日，"
            f"已起草{letter}，请审批后印发。",
        )
    }
    if step == Step.SUPERVISION:
        out["discipline"] = (
            f"督办告知：{unit}",
            f"【督办告知】{unit}：{item.label}{item.what}为{due}，已逾期{late}个工作日，"
            "司法局已起草督办函。",
        )
    return out


def draft_text(item, kind, today, cal) -> str:
    unit = item.unit.name if item.unit else "有关单位"
    late = cal.count_workdays(item.deadline, today)
    if kind == ReminderDraft.Kind.REMINDER_LETTER:
        ask = "请你单位高度重视，于收到本函后3个工作日内办理完毕，并将办理情况书面反馈。"
    else:
        ask = (
            "经提醒仍未办理。现予以督办，请你单位主要负责人亲自过问，于收到本函后3个工作日内"
            "办理完毕，并将办理情况及相关责任人处理意见书面报送；逾期未办的，将移送纪检监察机关。"
        )
    return (
        f"{unit}：\n"
        f"    {item.label}{item.what}为{_fmt(item.deadline)}，截至{_fmt(today)}已逾期{late}个工作日。"
        f"{ask}\n"
        f"    事项链接：{public_url(item.url)}\n"
    )


def fast_calendar():
    """The working-day calendar with its day lookups memoised for one run: thousands of
    items ask about the same few hundred days (chinese-calendar checks its range on
    every call)."""
    cal = calendar()
    cal.is_workday = functools.lru_cache(maxsize=None)(cal.is_workday)
    cal.count_workdays = functools.lru_cache(maxsize=None)(cal.count_workdays)
    cal.add_workdays = functools.lru_cache(maxsize=None)(cal.add_workdays)
    return cal


def _done_steps(keys) -> set[tuple[str, str, date]]:
    done = set()
    keys = list(keys)
    for i in range(0, len(keys), CHUNK):
        done.update(
            ReminderLog.objects.filter(item_key__in=keys[i : i + CHUNK])
            .exclude(step__in=[Step.URGE, Step.RETRY])
            .values_list("item_key", "step", "deadline")
            .distinct()
        )
    return done


def due_steps(today: date, cal, kinds=None) -> list[tuple[sources.DueItem, str]]:
    """(item, step) for each watched item whose ladder owes a step today (not paused, the
    step not yet taken for this deadline)."""
    starts = ladder.Starts(cal)
    horizon = cal.add_workdays(today, ladder.max_before())
    paused = set(
        ReminderPause.objects.filter(resumed_at__isnull=True).values_list("item_key", flat=True)
    )
    due = []
    for item in sources.items(today, horizon, cal, kinds):
        if item.key in paused:
            continue
        step = ladder.current_step(starts, item.kind, item.deadline, today)
        if step is not None:
            due.append((item, step))
    done = _done_steps(item.key for item, _ in due)
    return [(item, step) for item, step in due if (item.key, step, item.deadline) not in done]


def plan(today: date | None = None, cal=None, kinds=None, only=None, due=None) -> list[Outgoing]:
    """Every message the ladder owes today (nothing written); `only` limits the channels."""
    today = today or timezone.localdate()
    cal = cal or fast_calendar()
    drafts_path = reverse("reminders:drafts")
    if due is None:
        due = due_steps(today, cal, kinds)
    clerks = sources.users_by_unit(
        [i.unit.pk for i, s in due if i.unit is not None and i.notify_unit], Role.CLERK
    )
    supervisors = discipline = None
    out = []
    for item, step in due:
        texts = _texts(item, step, today, cal)
        audiences = []
        if "people" in texts:
            people = {u.pk: u for u in item.responsible}
            if item.notify_unit and item.unit is not None:
                people.update({u.pk: u for u in clerks.get(item.unit.pk, [])})
            audiences.append(("people", list(people.values()), item.url, item.notify_unit))
        if "supervisor" in texts:
            if supervisors is None:
                supervisors = list(role_users(Role.SUPERVISOR).order_by("pk"))
                discipline = list(role_users(Role.DISCIPLINE).order_by("pk"))
            audiences.append(("supervisor", supervisors, drafts_path, False))
        if "discipline" in texts:
            audiences.append(("discipline", discipline, item.url, False))
        for audience, users, path, to_group in audiences:
            title, text = texts[audience]
            message = channels.Message(
                title=title,
                text=f"{text}详见：{public_url(path)}",
                path=path,
                url=public_url(path),
                important=step != Step.BEFORE,
            )
            for sender in channels.SENDERS:
                if only is not None and sender.channel not in only:
                    continue
                if sender.per_unit and not to_group:
                    continue
                for address in sender.recipients(users, item.unit):
                    out.append(Outgoing(item, step, sender, address, message))
    return out


def _draft(item, step, today, cal) -> bool:
    kind = (
        ReminderDraft.Kind.REMINDER_LETTER
        if step == Step.LETTER
        else ReminderDraft.Kind.SUPERVISION_LETTER
    )
    try:
        with transaction.atomic():
            _, created = ReminderDraft.objects.get_or_create(
                item_key=item.key,
                kind=kind,
                deadline=item.deadline,
                defaults={
                    "item_kind": item.kind,
                    "item_label": item.label[:200],
                    "subject_url": item.url,
                    "unit": item.unit,
                    "text": draft_text(item, kind, today, cal),
                },
            )
    except IntegrityError:  # drafted by a run at the same moment
        return False
    return created


def _send(row: ReminderLog, sender, address, message) -> bool:
    tries, error = channels.deliver(sender, address, message)
    row.attempts += tries
    row.status = ReminderLog.Status.FAILED if error else ReminderLog.Status.SENT
    row.error = error
    row.save(update_fields=["attempts", "status", "error", "updated_at"])
    return not error


def retry_failed(today: date) -> tuple[int, int]:
    """Send again what failed in the past week. (sent now, still failing)."""
    sent = failed = 0
    rows = ReminderLog.objects.filter(
        status=ReminderLog.Status.FAILED,
        day__gte=today - timedelta(days=RETRY_DAYS),
        attempts__lt=MAX_ATTEMPTS,
    ).select_related("recipient", "unit")
    for row in rows:
        sender = channels.sender_for(row.channel)
        secret = ""
        if row.recipient_key.startswith("webhook:unit:") and row.unit is not None:
            secret = row.unit.webhook_secret
        elif row.recipient_key == "webhook:county":
            secret = settings.JIANDU_WEBHOOK_SECRET
        address = channels.Address(
            row.recipient_key, row.recipient_label, row.recipient, row.address, secret
        )
        title = f"{row.get_step_display()}：{row.item_label}"
        message = channels.Message(title, row.text, row.subject_url, public_url(row.subject_url))
        if _send(row, sender, address, message):
            sent += 1
        else:
            failed += 1
    return sent, failed


def run(today: date | None = None, *, dry_run: bool = False, kinds=None, only=None) -> Result:
    today = today or timezone.localdate()
    cal = fast_calendar()
    result = Result(today=today)
    if not cal.is_workday(today):
        result.workday = False
        return result
    if not dry_run:
        result.retried, still = retry_failed(today)
        result.failed += still
    due = due_steps(today, cal, kinds)
    result.messages = plan(today, cal, kinds, only, due=due)
    if dry_run:
        return result
    # Steps 3 and 4 draft their letter even when nobody is there to be told.
    for item, step in due:
        if step in (Step.LETTER, Step.SUPERVISION):
            result.drafts += _draft(item, step, today, cal)
    for out in result.messages:
        try:
            with transaction.atomic():
                row = ReminderLog.objects.create(
                    day=today,
                    item_key=out.item.key,
                    kind=out.item.kind,
                    item_label=out.item.label[:200],
                    unit=out.item.unit,
                    deadline=out.item.deadline,
                    step=out.step,
                    channel=out.sender.channel,
                    recipient=out.address.user if isinstance(out.address.user, User) else None,
                    recipient_key=out.address.key,
                    recipient_label=out.address.label[:200],
                    address=out.address.address[:500],
                    subject_url=out.message.path,
                    text=out.message.text,
                    status=ReminderLog.Status.FAILED,
                    error="发送中",
                )
        except IntegrityError:
            continue  # another run has it
        if _send(row, out.sender, out.address, out.message):
            result.sent += 1
        else:
            result.failed += 1
    return result
