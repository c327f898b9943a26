"""The reminder ladder's first run in the demo county: what `jiandu remind` sends on the
last working day up to today (in-app only; the demo sets no mail server or robot), so
the pages show 提醒记录, and overdue problems their draft 提醒函/督办函."""

from jiandu.reminders.models import Channel
from jiandu.reminders.run import run
from jiandu.workdays import calendar


def seed(ctx):
    cal = calendar()
    day = ctx["today"]
    while not cal.is_workday(day):
        day = cal.add_workdays(day, -1)
    result = run(day, only=(Channel.INAPP,))
    ctx["stdout"].write(
        f"  提醒 {result.sent} 条（站内通知），起草提醒函/督办函 {result.drafts} 份"
    )
    ctx["reminders"] = result
