"""The figures of a lockout run against a live server.

Starts `jiandu serve` on 127.0.0.1 (gunicorn, 2 workers x 4 threads) over a temporary
SQLite database (or --database-url, an empty PostgreSQL database), then fires wrong
passwords in parallel over real HTTP:

  1. at one account from one address;
  2. at one account from several addresses;
  3. at many account names from one address (the per-address limit);

and after each prints the attempts sent, how many were accepted as failures (the
password was checked and counted: audit rows `orgs.login_failed` without reason
"locked"), how many were refused as locked, and whether the real user, from another
address, can still sign in.

Client addresses are real: every client connects from its own loopback address
(127.0.0.x, Linux routes all of 127/8 to lo), so no X-Forwarded-For is needed and the
server trusts no proxy.

    .venv/bin/python bench/lockout_bench.py [--parallel 16] [--database-url URL] [--keep]
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-Lock-2026"
WRONG = "Wrong-Pass-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_in(port: int, username: str, password: str, source: str) -> int:
    """GET the form (CSRF cookie), POST the credentials; the POST's status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(source, 0))
    try:
        conn.request("GET", "/login/")
        response = conn.getresponse()
        response.read()
        cookie = response.getheader("Set-Cookie") or ""
        token = re.search(r"csrftoken=([^;]+)", cookie).group(1)
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
        }
        conn.request("POST", "/login/", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def fire(port, jobs, parallel):
    """jobs: (username, password, source) tuples, all sent at once through `parallel` threads."""
    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(lambda job: sign_in(port, *job), jobs))


def checked_failures(usernames) -> int:
    from jiandu.audit.models import AuditEvent

    rows = AuditEvent.objects.filter(action="orgs.login_failed", data__username__in=usernames)
    return sum(1 for row in rows if row.data.get("reason") != "locked")


def report(title, statuses, usernames, real_user_status, limit):
    print(f"\n{title}")
    print(f"  attempts sent                  {len(statuses)}")
    print(f"  accepted as failures (checked) {checked_failures(usernames)}   (limit {limit})")
    print(f"  answered 200 (wrong password)  {statuses.count(200)}")
    print(f"  answered 429 (locked)          {statuses.count(429)}")
    other = len(statuses) - statuses.count(200) - statuses.count(429)
    if other:
        print(f"  other answers                  {other}  {sorted(set(statuses))}")
    if real_user_status is not None:
        ok = "signs in" if real_user_status == 302 else f"REFUSED ({real_user_status})"
        print(f"  real user from another address {ok}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=int, default=16)
    parser.add_argument("--attempts", type=int, default=30, help="per scenario")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="jiandu-lockout-"))
    env = dict(os.environ, JIANDU_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="jiandu.settings")
    env.pop("JIANDU_DEMO", None)
    env.pop("JIANDU_TRUSTED_PROXIES", None)  # the address is the socket's, nothing else
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    os.environ.update(env)
    for key in ("DATABASE_URL", "JIANDU_TRUSTED_PROXIES"):
        if key not in env:
            os.environ.pop(key, None)
    subprocess.run(
        [sys.executable, "-m", "jiandu.cli", "init"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )

    import django

    django.setup()
    from django.conf import settings

    from jiandu.orgs.models import Unit, User

    unit, _ = Unit.objects.get_or_create(
        code="BENCH", defaults={"name": "压测镇人民政府", "kind": Unit.Kind.TOWNSHIP}
    )
    for name in ("target_one", "target_many"):
        user, _ = User.objects.get_or_create(username=name, defaults={"unit": unit})
        user.set_password(PASSWORD)
        user.save()
    limit, per_address = settings.LOGIN_MAX_FAILURES, settings.LOGIN_MAX_FAILURES_PER_ADDRESS

    port = free_port()
    server_log = open(data_dir / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jiandu.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        print(
            f"server: jiandu serve on 127.0.0.1:{port}, database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
        )
        print(
            f"settings: {limit} failures per account and address, {per_address} per address, "
            f"{settings.LOGIN_LOCK_MINUTES} minutes; {args.parallel} parallel clients"
        )

        started = time.perf_counter()
        statuses = fire(port, [("target_one", WRONG, "127.0.0.2")] * args.attempts, args.parallel)
        seconds = time.perf_counter() - started
        real = sign_in(port, "target_one", PASSWORD, "127.0.0.3")
        report(
            f"1. one account, one address ({seconds:.1f} s)", statuses, ["target_one"], real, limit
        )

        sources = [f"127.0.0.{10 + i}" for i in range(6)]
        jobs = [("target_many", WRONG, sources[i % len(sources)]) for i in range(args.attempts)]
        started = time.perf_counter()
        statuses = fire(port, jobs, args.parallel)
        seconds = time.perf_counter() - started
        real = sign_in(port, "target_many", PASSWORD, "127.0.0.99")
        report(
            f"2. one account, {len(sources)} addresses ({seconds:.1f} s)",
            statuses,
            ["target_many"],
            real,
            f"{limit} per address = {limit * len(sources)}",
        )

        names = [f"spray{i:03d}" for i in range(per_address + 10)]
        started = time.perf_counter()
        statuses = fire(port, [(n, WRONG, "127.0.0.50") for n in names], args.parallel)
        seconds = time.perf_counter() - started
        real = sign_in(port, "target_one", PASSWORD, "127.0.0.51")
        after = sign_in(port, "target_many", PASSWORD, "127.0.0.50")
        report(
            f"3. {len(names)} account names, one address ({seconds:.1f} s)",
            statuses,
            names,
            real,
            per_address,
        )
        print(f"  a real account from the sprayer's address: {after} (429 = locked as a whole)")
    except Exception:
        server_log.flush()
        print((data_dir / "server.log").read_text()[-3000:])
        raise
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()
        if args.keep:
            print(f"\ndata kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
