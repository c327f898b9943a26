"""Time the main pages on the demo county.

Loads the demo into a temporary SQLite database (`jiandu init` and
`jiandu manage seed_demo` as subprocesses, with JIANDU_DATA_DIR set to a temporary
directory), then GETs each page with Django's test Client as the supervisor and as a
unit clerk and prints the median and the slowest of N runs, the number of SQL queries
and the status. Pages whose URL name does not exist yet are printed as "missing".

    .venv/bin/python bench/pages.py [--runs 20] [--keep]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, URL name); the navigation's pages plus the start page.
PAGES = [
    ("首页跳转", "home"),
    ("驾驶舱", "dashboard:cockpit"),
    ("待办事项", "dashboard:todo"),
    ("专项行动", "campaigns:detail_current"),
    ("自查填报", "campaigns:reports"),
    ("整改台账", "ledger:problems"),
    ("问题线索", "ledger:leads"),
    ("预警", "monitoring:alerts"),
    ("预警规则", "monitoring:rules"),
    ("处罚案件", "enforcement:cases"),
    ("涉企检查", "enforcement:inspections"),
    ("市场主体", "enforcement:enterprises"),
    ("执法人员", "enforcement:officers"),
    ("裁量基准", "standards:items"),
    ("裁量计算器", "standards:calculator"),
    ("举报处理", "portal:complaints"),
    ("审计记录", "audit:events"),
    ("站内通知", "orgs:notifications"),
]
USERS = [("监督管理员", "jiandu"), ("填报员", "cgz_tb")]


def load_demo(data_dir: Path) -> None:
    env = dict(os.environ, JIANDU_DATA_DIR=str(data_dir))
    env.pop("DATABASE_URL", None)  # always the temporary SQLite file
    jiandu = [sys.executable, "-m", "jiandu.cli"]
    for args in (["init"], ["manage", "seed_demo"]):
        started = time.perf_counter()
        done = subprocess.run(
            [*jiandu, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            sys.exit(f"jiandu {' '.join(args)} failed ({done.returncode})")
        print(f"jiandu {' '.join(args)}: {time.perf_counter() - started:.1f} s", flush=True)


def time_pages(runs: int) -> list[tuple]:
    import logging

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    # The status column reports 403/404/500; their log lines would only bury the table.
    logging.disable(logging.CRITICAL)
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    from jiandu.orgs.models import User

    rows = []
    for who, username in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            rows.append((who, "—", "—", None, None, None, "no such user"))
            continue
        client = Client(raise_request_exception=False)  # a broken page is a 500 row
        client.force_login(user)
        for label, name in PAGES:
            try:
                url = reverse(name)
            except NoReverseMatch:
                rows.append((who, label, name, None, None, None, "missing"))
                continue
            response = client.get(url)  # warm-up: template loading, first connection
            # Counted through a wrapper: the request_started signal empties connection.queries.
            executed.clear()
            with connection.execute_wrapper(count):
                client.get(url)
            queries = list(executed)
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            status = str(response.status_code)
            if response.status_code in (301, 302):
                status += f" → {response['Location']}"
            rows.append(
                (
                    who,
                    label,
                    url,
                    statistics.median(timings),
                    max(timings),
                    len(queries),
                    status,
                )
            )
    return rows


def print_table(rows, runs):
    print()
    print(f"{'用户':<8}{'页面':<10}{'URL':<30}{'中位数ms':>10}{'最慢ms':>10}{'查询数':>8}  状态")
    for who, label, url, median, slowest, queries, status in rows:
        if median is None:
            print(f"{who:<8}{label:<10}{url:<30}{'':>10}{'':>10}{'':>8}  {status}")
        else:
            print(
                f"{who:<8}{label:<10}{url:<30}{median:>10.1f}{slowest:>10.1f}{queries:>8}  {status}"
            )
    print(f"\n每页 {runs} 次（另有 1 次预热不计），Django 测试客户端，进程内，SQLite。")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="jiandu-bench-"))
    try:
        load_demo(data_dir)
        # Settings read the environment at import: point them at the demo before setup.
        os.environ["JIANDU_DATA_DIR"] = str(data_dir)
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
        sys.path.insert(0, str(ROOT))
        print_table(time_pages(args.runs), args.runs)
    finally:
        if args.keep:
            print(f"数据目录保留在 {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
