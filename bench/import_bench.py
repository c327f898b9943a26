"""Import benchmark (prints figures; not a test).

Generates a 100k-row cases .xlsx (plus the units, officers, enterprises and standards
it refers to), then times, each in its own subprocess: python-calamine reading the file
alone, and `jiandu import` of it on SQLite (a temporary file database) and on
PostgreSQL (DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiandu_bench, recreated).
Wall time and peak memory (ru_maxrss of that child) are printed as a table.

    .venv/bin/pip install -e ".[bench]"    # xlsxwriter writes the file fast (openpyxl otherwise)
    .venv/bin/python bench/import_bench.py [--rows 100000] [--skip-pg]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# JIANDU_BENCH_PG_DB: another database name, so benches run side by side do not collide.
PG_DB = os.environ.get("JIANDU_BENCH_PG_DB", "jiandu_bench")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
TARGET_SECONDS = 30
TARGET_BYTES = 1024**3


def popen_wait(args, env=None):
    """Run a child and reap it with wait4, so its own ru_maxrss is known. stderr goes to
    a file: a pipe left unread while stdout is drained could fill and block the child."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err_file:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=err_file)
        out = proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err_file.seek(0)
        err = err_file.read()
    return (
        time.perf_counter() - start,
        usage.ru_maxrss * 1024,
        proc.returncode,
        out.decode(),
        err.decode(),
    )


def django_env(db_url, data_dir):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": db_url,
            "JIANDU_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "jiandu.settings",
        }
    )
    return env


def jiandu(*args):
    return [sys.executable, "-m", "jiandu.cli", *args]


def prepare_db(env, files):
    subprocess.run(
        jiandu("manage", "migrate", "-v", "0", "--skip-checks"), env=env, cwd=ROOT, check=True
    )
    subprocess.run(jiandu("manage", "load_base_data", "-v", "0"), env=env, cwd=ROOT, check=True)
    for kind in ("units", "officers", "enterprises", "standards"):
        subprocess.run(
            jiandu("import", str(files[kind]), "--kind", kind, "--json"),
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def recreate_pg():
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        conn.execute(f"CREATE DATABASE {PG_DB}")


READ_ONLY = """
import sys
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python(skip_empty_area=False)
print(len(rows) - 1)
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument(
        "--keep", help="keep the generated files in this directory (and reuse them)"
    )
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from jiandu.demo import generate as gen

    gen.SCALES["bench"] = dict(gen.SCALES["s"], cases=args.rows)
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="jiandu-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    files = {}
    if not (tmp / "cases.xlsx").exists() or args.regenerate:
        gen.generate(
            tmp, "bench", "csv", seed=7, only={"units", "officers", "enterprises", "standards"}
        )
        gen.generate(tmp, "bench", "xlsx", seed=7, only={"cases"})
    for kind in ("units", "officers", "enterprises", "standards"):
        files[kind] = tmp / f"{kind}.csv"
    files["cases"] = tmp / "cases.xlsx"
    print(
        f"generated {args.rows} cases as .xlsx ({files['cases'].stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s: {tmp}"
    )

    results = []
    sec, peak, _rc, out, _err = popen_wait([sys.executable, "-c", READ_ONLY, str(files["cases"])])
    read_seconds = sec
    results.append(("python-calamine read only", sec, peak, f"{out.strip()} rows"))
    print(f"python-calamine read only: {sec:.2f} s", flush=True)

    def bench_import(label, env):
        sec, peak, rc, out, err = popen_wait(
            jiandu("import", str(files["cases"]), "--kind", "cases", "--json"), env=env
        )
        try:
            report = json.loads(out)
            note = f"created {report['created']} updated {report['updated']} unchanged {report['unchanged']} rejected {report['rejected']}"
        except ValueError:
            note = f"exit {rc}: {err.strip()[-300:]}"
        results.append((label, sec, peak, note))
        print(f"{label}: {sec:.2f} s, peak {peak / 2**20:.0f} MiB, {note}", flush=True)

    sqlite_dir = tmp / "sqlite"
    sqlite_dir.mkdir(exist_ok=True)
    db = sqlite_dir / "bench.sqlite3"
    if db.exists():
        db.unlink()
    env = django_env(f"sqlite:///{db}", sqlite_dir)
    prepare_db(env, files)
    bench_import("import on SQLite (new rows)", env)
    bench_import("import on SQLite (again: unchanged)", env)

    if not args.skip_pg:
        try:
            recreate_pg()
        except Exception as exc:  # no server: report and go on
            results.append(("import on PostgreSQL", 0, 0, f"skipped: {exc}"))
        else:
            env = django_env(PG_URL, tmp / "pg")
            (tmp / "pg").mkdir(exist_ok=True)
            try:
                prepare_db(env, files)
            except subprocess.CalledProcessError as exc:
                results.append(("import on PostgreSQL", 0, 0, f"set-up failed: {exc}"))
            else:
                bench_import("import on PostgreSQL (new rows)", env)
                bench_import("import on PostgreSQL (again: unchanged)", env)

    print()
    print(f"{'step':<42} {'wall s':>8} {'x read':>7} {'peak MiB':>9}  note")
    print("-" * 110)
    for label, sec, peak, note in results:
        ratio = sec / read_seconds if read_seconds else 0
        print(f"{label:<42} {sec:8.2f} {ratio:7.2f} {peak / 2**20:9.0f}  {note}")
    print()
    print(
        f"target: import within 3x the bare read and under {TARGET_SECONDS} s, peak under {TARGET_BYTES / 2**30:.0f} GiB"
    )


if __name__ == "__main__":
    main()
