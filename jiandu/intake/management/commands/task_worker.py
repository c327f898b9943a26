"""jiandu manage task_worker [db_worker options]: the background worker `jiandu serve`
runs. Before taking tasks it marks the imports whose process is gone as interrupted
(a worker that died mid-import leaves its batch running, and the task queue never runs
that task again), so no page shows "正在导入" forever."""

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from jiandu.intake.actions import recover_stale


class Command(DbWorker):
    help = "后台任务进程：先把进程已停止的导入标记为“中断”，再执行排队的任务。"

    def handle(self, *args, **options):
        marked = recover_stale()
        if marked:
            ids = "、".join(str(pk) for pk in marked)
            self.stderr.write(f"已将 {len(marked)} 个未完成的导入标记为中断：{ids}")
        return super().handle(*args, **options)
