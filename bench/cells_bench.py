"""What the formula-injection rule costs (prints figures; not a test).

neutralise_row   the rule on every cell of generated case rows (what `jiandu generate`
                 and every export pay per cell)
unquote_column   the import's inverse on one column of a sheet (the common case: no
                 apostrophe-led text, found without a Python step per cell)
generate         `generate(scale)` as .csv, rule included, wall time

  .venv/bin/python bench/cells_bench.py [--rows 200000] [--scale s]
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--scale", default="s", help="generate scale (demo, s, m); '' to skip")
    args = parser.parse_args()

    from jiandu.lib.cells import neutralise_row, unquote_column

    row = ["ZF-2024-000123", "城关镇人民政府", date(2024, 1, 2), 1234, "张三", "行政处罚", ""]
    row = ([*row, "91330100MA2XXXXX1X", "是", 500.0, "-"]) * 3  # 33 cells, 3 to quote
    rows = [list(row) for _ in range(args.rows)]
    cells = args.rows * len(row)
    seconds, _ = timed(lambda: list(map(neutralise_row, rows)))
    print(
        f"neutralise_row  {cells:>11,} cells  {seconds:7.3f} s  {seconds / cells * 1e9:6.0f} ns/cell"
    )

    column = [r[0] for r in rows]
    seconds, _ = timed(unquote_column, column)
    print(f"unquote_column  {len(column):>11,} cells  {seconds:7.3f} s  (no apostrophe-led text)")
    quoted = ["'-x", *column[1:]]
    seconds, _ = timed(unquote_column, quoted)
    print(f"unquote_column  {len(quoted):>11,} cells  {seconds:7.3f} s  (one apostrophe-led text)")

    if args.scale:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
        import django

        django.setup()
        from jiandu.demo.generate import generate

        with tempfile.TemporaryDirectory() as out:
            seconds, _ = timed(generate, out, args.scale, "csv", 1, date(2026, 11, 26))
        print(f"generate {args.scale} csv  {seconds:7.2f} s (rule included)")


if __name__ == "__main__":
    main()
