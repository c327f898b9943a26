"""An import is recorded before it writes; one that stops half-way is shown as 中断 with
what it wrote, and resuming it completes it without writing a row twice."""

import os
import socket
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.enforcement.models import PenaltyCase
from jiandu.intake import actions
from jiandu.intake.models import ImportBatch
from tests.intake.factories import CASE_HEADER, case_row, to_csv

EIGHT = to_csv([CASE_HEADER] + [case_row(f"C-{i}") for i in range(8)])


def new_batch(user, data=EIGHT):
    return actions.create_batch(data=data, name="cases.csv", kind="cases", user=user)


def stop_at_third_batch(written):
    # The worker's answer to a second SIGTERM (sys.exit inside the running task).
    if written == 4:
        raise SystemExit(1)


def dead_pid() -> int:
    """A pid no process holds (what a killed worker leaves behind)."""
    for pid in range(int(Path("/proc/sys/kernel/pid_max").read_text()) - 1, 1, -1):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            continue
    raise AssertionError("no free pid")


def test_batch_and_its_audit_row_exist_before_any_row_is_written(personas, catalogue):
    batch = new_batch(personas["supervisor"])
    seen = []

    def first_batch(written):
        if written == 0:  # inside the first write's transaction, before it commits
            seen.append(
                (
                    ImportBatch.objects.get(pk=batch.pk).state,
                    AuditEvent.objects.filter(
                        action="intake.batch.created", object_id=str(batch.pk)
                    ).count(),
                )
            )

    actions.run_batch(batch, batch_size=2, after_batch=first_batch)
    assert seen == [(ImportBatch.State.RUNNING, 1)]
    created = AuditEvent.objects.get(action="intake.batch.created", object_id=str(batch.pk))
    imported = AuditEvent.objects.get(action="intake.batch.imported", object_id=str(batch.pk))
    assert created.pk < imported.pk and created.actor == personas["supervisor"]


def test_stopped_import_shows_interrupted_with_rows_written_and_resume_completes_it(
    client_for, personas, catalogue
):
    supervisor = personas["supervisor"]
    batch = new_batch(supervisor)
    with pytest.raises(SystemExit):
        actions.run_batch(batch, batch_size=2, after_batch=stop_at_third_batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.INTERRUPTED
    assert (batch.created, batch.updated, batch.unchanged, batch.resume_from) == (4, 0, 0, 4)
    assert PenaltyCase.objects.count() == 4

    client = client_for(supervisor)
    page = client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "中断" in page and "已写入 4 行" in page and "继续导入" in page
    assert "正在导入" not in page

    response = client.post(reverse("intake:resume", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE
    assert (batch.rows, batch.created, batch.updated, batch.unchanged) == (8, 8, 0, 0)
    assert sorted(PenaltyCase.objects.values_list("case_no", flat=True)) == [
        f"C-{i}" for i in range(8)
    ]
    actions_logged = list(
        AuditEvent.objects.filter(object_id=str(batch.pk), action__startswith="intake.batch")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions_logged == [
        "intake.batch.created",
        "intake.batch.interrupted",
        "intake.batch.resumed",
        "intake.batch.imported",
    ]
    # Resuming twice is refused with a reason, and changes nothing.
    response = client.post(reverse("intake:resume", args=[batch.pk]), follow=True)
    assert "不是“中断”状态" in response.content.decode()
    assert PenaltyCase.objects.count() == 8


def test_reuploading_the_file_of_an_interrupted_import_completes_the_data(
    client_for, personas, catalogue
):
    batch = new_batch(personas["supervisor"])
    with pytest.raises(SystemExit):
        actions.run_batch(batch, batch_size=2, after_batch=stop_at_third_batch)
    again = new_batch(personas["supervisor"])
    result = actions.run_batch(again)
    assert (result.created, result.updated, result.unchanged) == (4, 0, 4)
    assert PenaltyCase.objects.count() == 8


def test_only_the_unit_that_imported_may_resume(client_for, personas, catalogue):
    batch = new_batch(personas["clerk_a"])
    with pytest.raises(SystemExit):
        actions.run_batch(batch, batch_size=2, after_batch=stop_at_third_batch)
    url = reverse("intake:batch", args=[batch.pk])
    reader = client_for(personas["discipline"])  # reads every unit's imports, imports none
    page = reader.get(url).content.decode()
    assert "中断" in page and "继续导入</button>" not in page
    assert (
        "您的角色不能导入数据"
        in reader.post(reverse("intake:resume", args=[batch.pk]), follow=True).content.decode()
    )
    assert client_for(personas["clerk_b"]).get(url).status_code == 404
    assert (
        client_for(personas["clerk_b"]).post(reverse("intake:resume", args=[batch.pk])).status_code
        == 404
    )
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.INTERRUPTED
    client_for(personas["leader_a"]).post(reverse("intake:resume", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE and batch.created == 8


def running(batch, *, runner, beat):
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.RUNNING, runner=runner, heartbeat_at=beat, progress=20
    )


def test_page_shows_interrupted_not_20_percent_forever(client_for, personas, catalogue, settings):
    settings.INTAKE_STALE_SECONDS = 300
    client = client_for(personas["supervisor"])
    url = reverse("intake:batch", args=[batch_id := new_batch(personas["supervisor"]).pk])
    batch = ImportBatch.objects.get(pk=batch_id)
    here = socket.gethostname()

    # Alive: its process exists and its heartbeat is recent.
    running(batch, runner=f"{here}:{os.getpid()}", beat=timezone.now())
    assert "20%" in client.get(url).content.decode()

    # Another host, silent for longer than the setting: interrupted.
    running(batch, runner="other-host:1", beat=timezone.now() - timedelta(seconds=301))
    page = client.get(url, headers={"HX-Request": "true"})
    assert page.headers.get("HX-Refresh") == "true"
    page = client.get(url).content.decode()
    assert "中断" in page and "20%" not in page

    # This host, its process gone: interrupted at once, however recent the heartbeat.
    running(batch, runner=f"{here}:{dead_pid()}", beat=timezone.now())
    assert "中断" in client.get(reverse("intake:index")).content.decode()
    assert ImportBatch.objects.get(pk=batch_id).state == ImportBatch.State.INTERRUPTED


@pytest.mark.django_db(transaction=True)  # the worker closes its connections as it goes
def test_worker_start_marks_stale_batches_interrupted(personas, catalogue, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    stale = new_batch(personas["supervisor"])
    alive = new_batch(personas["supervisor"])
    running(stale, runner=f"{socket.gethostname()}:{dead_pid()}", beat=timezone.now())
    running(alive, runner="other-host:1", beat=timezone.now())
    # --batch: take the queued tasks (none) and exit.
    call_command("task_worker", "--batch", "--interval", "0.01")
    states = dict(ImportBatch.objects.values_list("pk", "state"))
    assert states[stale.pk] == ImportBatch.State.INTERRUPTED
    assert states[alive.pk] == ImportBatch.State.RUNNING


def test_all_or_nothing_import_stopped_half_way_wrote_nothing(personas, catalogue):
    batch = actions.create_batch(
        data=EIGHT, name="cases.csv", kind="cases", user=personas["supervisor"], all_or_nothing=True
    )
    with pytest.raises(SystemExit):
        actions.run_batch(batch, batch_size=2, after_batch=stop_at_third_batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.INTERRUPTED
    assert (batch.created, batch.resume_from) == (0, 0)
    assert PenaltyCase.objects.count() == 0


def test_resume_point_never_passes_a_row_not_written_yet(units):
    """Standards are written item by item: an item's rows, wherever they are in the file,
    go together, so rows after an unwritten row may be written first."""
    from tests.intake.factories import run_rows

    header = ["事项编码", "违法行为", "裁量阶次", "罚款下限(元)", "罚款上限(元)", "生效日期"]
    rows = [
        header,
        ["S-1", "无证经营", "从轻", "1000", "3000", "2024-01-01"],
        ["S-2", "销售假货", "一般", "2000", "5000", "2024-01-01"],
        ["S-3", "未亮证", "一般", "100", "500", "2024-01-01"],
        ["S-1", "", "一般", "3000", "7000", "2024-01-01"],
    ]
    points = []
    result = run_rows(
        rows, "standards", batch_size=1, committed=lambda _result, upto: points.append(upto)
    )
    assert result.created == 4
    assert points == [1, 2, 4]


def test_a_batch_runs_once_even_if_its_task_is_enqueued_twice(personas, catalogue):
    from jiandu.intake.tasks import run_import_batch

    batch = new_batch(personas["supervisor"])
    first = run_import_batch.enqueue(batch.pk)
    second = run_import_batch.enqueue(batch.pk)
    assert first.return_value["created"] == 8
    assert second.return_value == {"skipped": batch.pk}
    with pytest.raises(actions.NotPending):
        actions.run_batch(batch)
    batch.refresh_from_db()
    assert (batch.state, batch.created) == (ImportBatch.State.DONE, 8)
    assert AuditEvent.objects.filter(action="intake.batch.imported").count() == 1
