"""Demo data: the demo county's enforcement records, generated and then loaded through
the same import path units use (so the demo also exercises the import)."""

import tempfile
from pathlib import Path

from jiandu.demo.generate import generate
from jiandu.intake import actions
from jiandu.intake.models import ImportBatch

ATOMIC = False  # every import batch runs in its own transactions


def seed(ctx):
    today = ctx.get("today")
    users = ctx.get("users") or {}
    actor = users.get("supervisor")
    out = ctx.get("stdout")
    with tempfile.TemporaryDirectory(prefix="jiandu-demo-") as tmp:
        paths = generate(tmp, "demo", "csv", seed=2026, today=today)
        for kind, path in paths.items():
            data = Path(path).read_bytes()
            batch = actions.create_batch(
                data=data,
                name=path.name,
                kind=kind,
                source=ImportBatch.Source.CLI,
                user=actor,
            )
            result = actions.run_batch(batch, today=today)
            if out is not None:
                out.write(
                    f"  {batch.kind_title}：{result.rows} 行，新增 {result.created}，更新 {result.updated}，"
                    f"未变 {result.unchanged}，拒绝 {result.rejected}"
                )
            if result.refused or result.rejected:
                raise RuntimeError(f"demo {kind}: {result.refused or result.errors[:3]}")
