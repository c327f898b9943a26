"""`jiandu serve` runs `jiandu remind` by itself every day at JIANDU_REMIND_AT (local
time), so no cron entry is needed. The scheduler lives in the serve process, which is one
per server however many gunicorn workers it starts; the job starts `jiandu remind` as a
process of its own (like the task worker), and that command skips the days that are not
working days (weekends, holidays, and it sends on adjusted working Saturdays), which a
cron trigger of weekdays could not know. Nothing here touches Django: serve does not set
it up."""

import os
import subprocess
import sys
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

JOB_ID = "jiandu-remind"
TIME_ZONE = "Asia/Shanghai"  # settings.TIME_ZONE


def remind_at(value: str | None = None) -> tuple[int, int]:
    """(hour, minute) of JIANDU_REMIND_AT ("08:30"); a malformed value is refused."""
    value = (value if value is not None else os.environ.get("JIANDU_REMIND_AT", "")) or "08:30"
    try:
        hour, minute = (int(part) for part in value.strip().split(":"))
    except ValueError:
        hour = minute = -1
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"JIANDU_REMIND_AT 应为 时:分（如 08:30），现为：{value}")
    return hour, minute


def remind_command() -> list[str]:
    return [sys.executable, "-m", "jiandu.cli", "remind"]


def remind_job(env: dict | None = None) -> int:
    """The scheduled job: run `jiandu remind` and return its exit code."""
    done = subprocess.run(remind_command(), env=env, check=False)
    if done.returncode:
        print(f"定时提醒运行失败（退出码 {done.returncode}）。", file=sys.stderr, flush=True)
    return done.returncode


def scheduler(at: str | None = None, env: dict | None = None) -> BackgroundScheduler:
    """A scheduler (not started) with the daily reminder job."""
    hour, minute = remind_at(at)
    zone = ZoneInfo(TIME_ZONE)
    sched = BackgroundScheduler(timezone=zone)
    sched.add_job(
        remind_job,
        CronTrigger(hour=hour, minute=minute, timezone=zone),
        id=JOB_ID,
        kwargs={"env": env},
        # A server busy or asleep at the time still runs it within the hour, once.
        misfire_grace_time=3600,
        coalesce=True,
        max_instances=1,
    )
    return sched
