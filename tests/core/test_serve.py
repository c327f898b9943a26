"""`jiandu serve` as deployed (gunicorn): no Server header, and an oversized body is
refused with a 413 before it is sent, whether it declares its length or is chunked."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from jiandu import keys

pytestmark = pytest.mark.slow  # a real server in a scratch directory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, migrated_sqlite):
    env = {k: v for k, v in os.environ.items() if k not in {*keys.NAMES, "DATABASE_URL"}}
    env.update(
        JIANDU_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{migrated_sqlite(tmp_path / 'j.sqlite3')}",
        JIANDU_REQUEST_MAX_BYTES="100000",
    )
    cli = [sys.executable, "-m", "jiandu.cli"]
    # The keys serve asks for, as `jiandu init` writes them; the database is a migrated
    # copy, so an init process would have nothing else to do that this test looks at.
    keys.ensure(tmp_path)
    port = free_port()
    proc = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("jiandu serve did not start")
    yield port
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def test_serve_sends_no_server_header_and_refuses_oversized_bodies(server):
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    conn.request("GET", "/public/")
    response = conn.getresponse()
    response.read()
    assert response.status == 200
    assert response.getheader("Server") is None
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")

    # Only the headers go out: the answer comes before any of the 50 MB is sent.
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    conn.putrequest("POST", "/public/report/")
    conn.putheader("Content-Type", "application/x-www-form-urlencoded")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413
    assert "提交的内容过大" in response.read().decode()
    assert response.getheader("Server") is None

    # A chunked body with no length is cut off once it passes the limit.
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    body = (b"description=" + b"x" * 1000 for _ in range(200))
    conn.request(
        "POST",
        "/public/report/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        encode_chunked=True,
    )
    response = conn.getresponse()
    assert response.status == 413
