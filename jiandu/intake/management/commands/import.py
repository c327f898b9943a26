"""jiandu import PATH [--kind KIND] [--all-or-nothing] [--json] [--unit CODE]

Exit status: 0 no row rejected, 1 some rows rejected, 2 the file was refused."""

import argparse
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from jiandu.intake import actions, engine
from jiandu.intake.models import ImportBatch
from jiandu.intake.readers import Refused, read_path
from jiandu.intake.schema import KINDS
from jiandu.orgs.models import Unit

PROGRESS_FROM_ROWS = 5000


class Command(BaseCommand):
    help = "导入执法数据文件（.xlsx / .csv / .json），格式见数据规范。"
    # Django's system checks import every view and URL pattern: most of a second per
    # import, for checks that `jiandu serve` and `migrate` run anyway.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--kind", choices=list(KINDS), help="数据类型；不填则按表头识别")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="有任何一行出错则全部不导入"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出导入结果")
        parser.add_argument("--unit", help="只导入该单位（单位编码）的数据，其他单位的行拒绝")
        parser.add_argument(
            "--batch-size", type=int, default=engine.BATCH_SIZE, help=argparse.SUPPRESS
        )

    def handle(self, *args, **opts):
        status = self.run(opts)
        sys.stdout.flush()
        sys.exit(status)

    def refuse(self, opts, message, kind=""):
        if opts["json"]:
            out = engine.Result(kind=kind, refused=message).cli_json()
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        else:
            self.stderr.write(f"未导入：{message}")
        return 2

    def run(self, opts):
        path = Path(opts["path"])
        unit_id = None
        if opts["unit"]:
            unit = Unit.objects.filter(code=opts["unit"]).first()
            if unit is None:
                return self.refuse(opts, f"单位“{opts['unit']}”不存在。", opts["kind"] or "")
            unit_id = unit.pk
        try:
            sheet = read_path(path)
        except OSError as exc:
            return self.refuse(opts, f"无法读取文件：{exc.strerror or exc}", opts["kind"] or "")
        except Refused as exc:
            return self.refuse(opts, str(exc), opts["kind"] or "")
        batch = actions.create_batch(
            data=b"",
            name=path.name,
            kind=opts["kind"] or "",
            all_or_nothing=opts["all_or_nothing"],
            source=ImportBatch.Source.CLI,
            unit_id=unit_id,
            keep_file=False,
        )
        show = (sheet.total or 0) >= PROGRESS_FROM_ROWS  # stderr: --json output stays one object

        def progress(done, total):
            if show:
                sys.stderr.write(f"\r已处理 {done}/{total} 行")
                if done >= total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        result = actions.run_batch(
            batch, sheet=sheet, progress=progress, batch_size=opts["batch_size"]
        )
        if opts["json"]:
            self.stdout.write(json.dumps(result.cli_json(), ensure_ascii=False, default=str))
            return result.exit_status
        if result.refused:
            self.stderr.write(f"未导入：{result.refused}")
            return 2
        kind = KINDS[result.kind]
        self.stdout.write(
            f"{kind.title}：共 {result.rows} 行，新增 {result.created}，更新 {result.updated}，"
            f"未变 {result.unchanged}，拒绝 {result.rejected}。"
        )
        if opts["all_or_nothing"] and result.rejected:
            self.stdout.write("有数据行未通过校验，按 --all-or-nothing 全部未导入。")
        for err in result.errors[:200]:
            self.stdout.write(f"  第{err['row']}行 {err['column']}：{err['message']}")
        if len(result.errors) > 200:
            self.stdout.write(f"  ……另有 {len(result.errors) - 200} 条错误")
        if result.unknown_columns:
            self.stdout.write("已忽略未识别的列：" + "、".join(result.unknown_columns))
        if result.warnings:
            self.stdout.write(f"提示 {len(result.warnings)} 条（如执法证号不在名录中）。")
        return result.exit_status
