"""Time a full `updated_since` sync through the API in pages of 1,000: every operation
that lists records (units, problems, alerts, complaints, self-check reports, rule runs),
from the beginning of time, following next_cursor to the end.

Run against a database holding scale s data (100k cases; `jiandu generate --scale s`,
import it, `jiandu check` for the alerts):

    DATABASE_URL=... .venv/bin/python bench/api_sync_bench.py [--limit 1000]

Prints, per operation, the records, the pages and the seconds. Measured (2026-12-02,
SQLite, 2 cores shared with other work): scale s (100k cases, 100k inspections) gives
66,740 alerts after `jiandu check`; the full sync of every operation took 9.5 s, the
alerts 8.6 s in 67 pages of 1,000 (~7,800 records/s); 23.9 s while a test suite ran
beside it."""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")

OPERATIONS = [
    "units",
    "problems",
    "alerts",
    "complaints",
    "self-check-reports",
    "rule-runs",
    "instruments",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    from jiandu.intake.models import ApiToken

    token, raw = ApiToken.issue(name="bench api sync", scopes="read")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    total_start, total = time.perf_counter(), 0
    try:
        for op in OPERATIONS:
            start, records, pages, cursor = time.perf_counter(), 0, 0, None
            while True:
                params = {"limit": args.limit, "updated_since": "2000-01-01T00:00:00+00:00"}
                if cursor:
                    params["cursor"] = cursor
                body = client.get(f"/api/v1/{op}", params).json()
                records += len(body["items"])
                pages += 1
                cursor = body["next_cursor"]
                if not cursor:
                    break
            total += records
            print(f"{op:20s} {records:8d} 条 {pages:5d} 页 {time.perf_counter() - start:8.2f} s")
    finally:
        token.delete()
    print(f"{'合计':20s} {total:8d} 条        {time.perf_counter() - total_start:8.2f} s")


if __name__ == "__main__":
    main()
