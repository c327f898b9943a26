"""How long reading the real published material takes (prints figures; not a test).

Per file of ../shared/realdata: read + walk time, items, tier rows, rows without a problem;
for the 970 statutory band phrases of the fyt-admin-cases csv files: parse time and the
share read without a problem.

  .venv/bin/python bench/standards_parse_bench.py [--skip-big-pdf]
"""

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "standards"))

from realdata import (  # noqa: E402
    CASES,
    GUANGDONG_LIST_PDF,
    GUANGDONG_TABLE_PDF,
    JIANGMEN_LIST_MD,
    JIANGMEN_XLS,
)

from jiandu.standards.published.bands import parse_band  # noqa: E402
from jiandu.standards.published.layout import parse_file  # noqa: E402
from jiandu.standards.published.lenient import parse_list_file  # noqa: E402


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def table(path):
    seconds, parsed = timed(parse_file, path)
    tiers = [t for i in parsed.items for t in i.tiers]
    clean = sum(1 for t in tiers if not t.problems)
    print(
        f"{path.name:40} {seconds:7.2f} s  items {len(parsed.items):4}  tier rows {len(tiers):4}"
        f"  without a problem {clean}/{len(tiers)} ({clean / max(len(tiers), 1):.1%})"
    )


def listing(path):
    seconds, parsed = timed(parse_list_file, path)
    conditions = [c for i in parsed.items for c in i.conditions]
    checkable = sum(1 for c in conditions if c.checkable)
    print(
        f"{path.name:40} {seconds:7.2f} s  items {len(parsed.items):4}  conditions"
        f" {len(conditions):4} (checkable against case data {checkable})"
        f"  problems {len(parsed.problems)}"
    )


def phrases():
    rows = []
    for path in sorted(CASES.glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            rows += [r["处罚幅度"] for r in csv.DictReader(f)]
    written = [p for p in rows if p.strip() and p.strip() != "暂无"]
    seconds, results = timed(lambda: [parse_band(p) for p in written])
    ok = sum(1 for r in results if r.ok)
    bands = sum(len(r.bands) for r in results)
    print(
        f"{'band phrases (fyt-admin-cases 处罚幅度)':40} {seconds:7.2f} s  phrases {len(rows)}"
        f" written {len(written)}  read without a problem {ok} ({ok / len(written):.1%})"
        f"  bands {bands}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-big-pdf", action="store_true", help="不读 234 页的广东裁量表")
    args = parser.parse_args()
    if not JIANGMEN_XLS.exists():
        sys.exit(f"真实材料不在：{JIANGMEN_XLS.parent}")
    table(JIANGMEN_XLS)
    listing(JIANGMEN_LIST_MD)
    listing(GUANGDONG_LIST_PDF)
    phrases()
    if not args.skip_big_pdf:
        table(GUANGDONG_TABLE_PDF)


if __name__ == "__main__":
    main()
