"""Load benchmark of the public complaint form (bench/portal_load.py).

Starts gunicorn on 127.0.0.1 (a free port) against a fresh temporary SQLite database,
drives complaint submissions from a bounded number of client threads for a bounded
time and number of requests, and prints sustained throughput, latency percentiles and
errors. Each submission goes through the real CAPTCHA flow: the client asks for a new
challenge (/public/captcha/new/), reads its answer from the server-side table (the
bench's own read-only look at the database, as the tests do) and posts the form.
Afterwards it checks that the stored complaints and their audit rows equal the
successful responses; it exits 1 when they differ or any submission failed.

    .venv/bin/python bench/portal_load.py [--clients 8] [--seconds 20] [--max 4000]
                                          [--workers 2] [--threads 4] [--new-connections]

Only loopback traffic; the server is stopped at the end.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TARGET_RATE, TARGET_P95_MS = 100.0, 300.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(tmp: Path, persistent: bool = True) -> dict:
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="jiandu.settings",
        JIANDU_DATA_DIR=str(tmp),
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        SECRET_KEY=secrets.token_urlsafe(40),
        JIANDU_FIELD_KEY=Fernet.generate_key().decode(),
        # Every request comes from 127.0.0.1: lift the per-address limits for this run only.
        JIANDU_PORTAL_LIMIT_SUBMIT=str(10**9),
        JIANDU_PORTAL_LIMIT_CAPTCHA=str(10**9),
        JIANDU_LOG_LEVEL="ERROR",
    )
    if not persistent:
        env["JIANDU_CONN_MAX_AGE"] = "0"  # for comparison: a new connection per request
    return env


class Client:
    """One simulated visitor on a keep-alive connection."""

    def __init__(self, port, db_path):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.db = sqlite3.connect(
            f"file:{db_path}?mode=ro", uri=True, timeout=30, check_same_thread=False
        )
        self.cookie = ""
        self.token = ""

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                if attempt:
                    raise
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie" and v.startswith("csrftoken="):
                self.cookie = v.split(";", 1)[0]
        return resp.status, data.decode("utf-8", "replace"), dict(resp.getheaders())

    def start(self):
        status, html, _ = self.request("GET", "/public/report/")
        assert status == 200, status
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def answer(self, challenge_id):
        row = self.db.execute(
            "SELECT answer FROM portal_captchachallenge WHERE id = ?", [challenge_id]
        ).fetchone()
        return row[0] if row else ""

    def submit(self, n):
        """One complaint: new challenge, solve it, post. Returns (ok, post_ms, total_ms)."""
        t0 = time.perf_counter()
        status, html, _ = self.request("GET", "/public/captcha/new/")
        if status != 200:
            return False, 0.0, 0.0
        challenge_id = re.search(r'name="captcha_id" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.token,
                "category": ["inspection", "fine", "delay", "bribe", "credit", "other"][n % 6],
                "description": f"压测举报 {n}：一个月内被重复检查三次，内容相同。",
                "place": "城关镇",
                "identity": "named" if n % 3 == 0 else "anonymous",
                "name": "压测" if n % 3 == 0 else "",
                "phone": "13800000000" if n % 3 == 0 else "",
                "captcha_id": challenge_id,
                "captcha_answer": self.answer(challenge_id),
            }
        )
        t1 = time.perf_counter()
        status, _, headers = self.request(
            "POST",
            "/public/report/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        t2 = time.perf_counter()
        ok = status == 302 and "/public/track/" in headers.get("Location", "")
        return ok, (t2 - t1) * 1000, (t2 - t0) * 1000


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    ap.add_argument("--seconds", type=float, default=20, help="measured duration (bound)")
    ap.add_argument("--max", type=int, default=4000, help="at most this many submissions")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    ap.add_argument(
        "--new-connections",
        dest="persistent",
        action="store_false",
        help="open a new database connection per request (JIANDU_CONN_MAX_AGE=0), for comparison",
    )
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="jiandu-bench-"))
    env = bench_env(tmp, args.persistent)
    db_path = tmp / "bench.sqlite3"
    print(f"临时数据库：{db_path}")
    subprocess.run(
        [PY, "-m", "jiandu.cli", "init"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )
    port = free_port()
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "jiandu.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/public/")
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)

        clients = [Client(port, db_path) for _ in range(args.clients)]
        for c in clients:
            c.start()
        # Warm-up: every worker imports and connects before the clock starts. Only the
        # warm-ups that succeeded are subtracted from the stored rows below.
        warmup = sum(c.submit(-1 - i)[0] for i, c in enumerate(clients))

        lock = threading.Lock()
        counter = {"n": 0}
        errors_shown = {"n": 0}
        results = []
        stop_at = time.perf_counter() + args.seconds

        def run(client):
            local = []
            while time.perf_counter() < stop_at:
                with lock:
                    if counter["n"] >= args.max:
                        break
                    counter["n"] += 1
                    n = counter["n"]
                try:
                    local.append(client.submit(n))
                except Exception as exc:  # counted as an error, first few shown
                    if errors_shown["n"] < 3:
                        errors_shown["n"] += 1
                        print(f"请求出错：{exc!r}", file=sys.stderr)
                    local.append((False, 0.0, 0.0))
            with lock:
                results.extend(local)

        started = time.perf_counter()
        threads = [threading.Thread(target=run, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started

        ok = [r for r in results if r[0]]
        errors = len(results) - len(ok)
        post_ms = [r[1] for r in ok]
        total_ms = [r[2] for r in ok]
        with sqlite3.connect(db_path) as db:
            stored = db.execute("SELECT COUNT(*) FROM portal_complaint").fetchone()[0]
            audited = db.execute(
                "SELECT COUNT(*) FROM audit_auditevent WHERE action = 'portal.complaint.received'"
            ).fetchone()[0]
            plaintext = db.execute(
                "SELECT COUNT(*) FROM portal_complaint WHERE phone_cipher LIKE '%13800000000%'"
            ).fetchone()[0]
        rate = len(ok) / elapsed if elapsed else 0.0

        print(
            f"gunicorn：{args.workers} 个进程 × {args.threads} 线程（gthread），"
            f"客户端 {args.clients} 个并发线程，同机回环，"
            f"数据库连接{'保持（默认 JIANDU_CONN_MAX_AGE=600）' if args.persistent else '每请求新建（JIANDU_CONN_MAX_AGE=0）'}"
        )
        print(f"持续时间        {elapsed:8.1f} s")
        print(f"提交次数        {len(results):8d}（成功 {len(ok)}，错误 {errors}）")
        print(f"持续吞吐量      {rate:8.1f} 件/秒（每件 = 取验证码 + 提交表单）")
        print(
            f"提交 POST 延迟  p50 {pct(post_ms, 50):6.1f} ms  p95 {pct(post_ms, 95):6.1f} ms"
            f"  p99 {pct(post_ms, 99):6.1f} ms  max {max(post_ms or [0]):6.1f} ms"
        )
        print(
            f"整个流程延迟    p50 {pct(total_ms, 50):6.1f} ms  p95 {pct(total_ms, 95):6.1f} ms"
            f"  mean {statistics.fmean(total_ms) if total_ms else 0:6.1f} ms"
        )
        print(f"数据库中的举报  {stored - warmup:8d}（成功响应 {len(ok)}，另有预热 {warmup} 件）")
        print(f"收到举报审计行  {audited - warmup:8d}；明文电话出现在库中：{plaintext} 行")
        lost = not (stored - warmup == audited - warmup == len(ok))
        met = rate >= TARGET_RATE and pct(post_ms, 95) < TARGET_P95_MS and not errors and not lost
        print(
            f"目标（≥{TARGET_RATE:.0f} 件/秒，p95 < {TARGET_P95_MS:.0f} ms，无丢失）："
            f"{'达到' if met else '未达到'}"
        )
        return 1 if lost or errors else 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
