"""`jiandu remind`: the --json shape, --dry-run, the date option, and the schedule that
`jiandu serve` starts."""

import json
import os
import re
from io import StringIO

import pytest
from apscheduler.triggers.cron import CronTrigger
from django.core.management import call_command
from django.core.management.base import CommandError

from jiandu.reminders import schedule
from jiandu.reminders.models import ReminderLog

pytestmark = pytest.mark.django_db


def remind(*args):
    out = StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def test_json_prints_one_object_per_message(problem):
    lines = remind("--dry-run", "--json", "--date", "2026-03-12").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 4
    for row in rows:
        assert set(row) == {"kind", "unit", "recipient", "channel", "subject_url", "text"}
        assert row["kind"] == "problem" and row["unit"] == "甲镇人民政府"
        assert row["subject_url"] == f"https://jiandu.example.gov.cn/ledger/{problem.pk}/"
        assert "2026年3月16日" in row["text"]
    assert {(r["recipient"], r["channel"]) for r in rows} == {
        ("leader_a", "inapp"),
        ("leader_a", "email"),
        ("clerk_a", "inapp"),
        ("clerk_a", "email"),
    }
    assert ReminderLog.objects.count() == 0


def test_a_real_run_then_a_second_one_sends_nothing(problem):
    assert "发送 4 条" in remind("--date", "2026-03-12")
    assert "发送 0 条" in remind("--date", "2026-03-12")
    assert remind("--json", "--date", "2026-03-12") == ""


def test_a_rest_day_and_a_bad_date(problem):
    assert "不是工作日" in remind("--date", "2026-03-14")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        remind("--date", "14.3.2026")


def test_the_schedule_runs_remind_daily_at_the_set_time():
    sched = schedule.scheduler("07:45")
    job = sched.get_job(schedule.JOB_ID)
    assert job.func is schedule.remind_job
    assert isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"], fields["day_of_week"]) == ("7", "45", "*")
    assert str(job.trigger.timezone) == "Asia/Shanghai"
    assert schedule.remind_at("") == (8, 30)
    with pytest.raises(ValueError, match="JIANDU_REMIND_AT"):
        schedule.remind_at("25:00")
    assert schedule.remind_command()[-1] == "remind"


@pytest.mark.slow
def test_the_job_runs_jiandu_remind(tmp_path, migrated_sqlite, capfd):
    """The scheduled function itself, on a database of its own: it runs the command,
    whose report of the day (a working day's counts or that it is none) is what the job
    prints. One process: no `jiandu init`, the migrated copy is all `remind` needs."""
    env = dict(
        os.environ,
        JIANDU_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{migrated_sqlite(tmp_path / 'db.sqlite3')}",
    )
    capfd.readouterr()
    assert schedule.remind_job(env) == 0
    out, err = capfd.readouterr()
    assert re.search(r"^\d{4}-\d{2}-\d{2}(：发送 \d+ 条| 不是工作日)", out, re.M), out + err
