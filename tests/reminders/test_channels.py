"""Each channel against a real local receiver: e-mail through an SMTP server (aiosmtpd),
the group robot through an HTTP server, with the 钉钉 signature, a failing receiver and
the retry."""

import base64
import hashlib
import hmac
import json
import socket
import urllib.parse
from datetime import date
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from jiandu.reminders import channels
from jiandu.reminders.models import ReminderLog
from jiandu.reminders.run import run
from tests.lib.servers import serve_in_background
from tests.reminders.helpers import make_problem

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "jiandu@county.example.gov.cn"
    yield inbox
    controller.stop()


def test_email_reaches_a_real_smtp_server(problem, smtp):
    run(date(2026, 3, 12))
    got = {tuple(to): message_from_bytes(raw, policy=policy.default) for to, raw in smtp.messages}
    assert set(got) == {("leader_a@example.gov.cn",), ("clerk_a@example.gov.cn",)}
    msg = got[("clerk_a@example.gov.cn",)]
    assert msg["From"] == "jiandu@county.example.gov.cn"
    assert msg["Subject"].strip() == "提醒：整改问题“执法全过程记录不完整”"
    body = msg.get_content()
    assert "【提醒】甲镇人民政府" in body and "2026年3月16日" in body
    assert f"https://jiandu.example.gov.cn/ledger/{problem.pk}/" in body
    assert set(ReminderLog.objects.filter(channel="email").values_list("status", flat=True)) == {
        "sent"
    }


def test_a_problem_typed_over_two_lines_still_gets_its_email(units, people, ladder_settings, smtp):
    """The subject is a mail header: a line break typed in the description (the label
    quotes its first 20 characters) is a space there, not a refusal at every try."""
    make_problem(units["a"], description="记录不完整\r\n缺少音像记录")
    result = run(date(2026, 3, 12))
    assert result.failed == 0
    subjects = {
        message_from_bytes(raw, policy=policy.default)["Subject"].strip()
        for _, raw in smtp.messages
    }
    assert subjects == {"提醒：整改问题“记录不完整 缺少音像记录”"}
    assert set(ReminderLog.objects.filter(channel="email").values_list("status", flat=True)) == {
        "sent"
    }


def test_email_to_a_closed_port_fails_and_is_recorded(problem, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    result = run(date(2026, 3, 12))
    failed = ReminderLog.objects.filter(channel="email")
    assert result.failed == 2 and {r.status for r in failed} == {"failed"}
    assert all("邮件发送失败" in r.error and r.attempts == 2 for r in failed)
    # The in-app notices went out all the same.
    assert set(ReminderLog.objects.filter(channel="inapp").values_list("status", flat=True)) == {
        "sent"
    }


def test_the_units_robot_gets_signed_json(problem, units, robot):
    receiver = robot()
    unit = units["a"]
    unit.webhook_url, unit.webhook_secret = receiver.url, "SECtest-secret"
    unit.save()
    run(date(2026, 3, 12))
    assert len(receiver.calls) == 1
    path, content_type, body = receiver.calls[0]
    assert content_type.startswith("application/json")
    payload = json.loads(body)
    assert payload["msgtype"] == "text" and set(payload) == {"msgtype", "text"}
    content = payload["text"]["content"]
    assert "甲镇人民政府" in content and "2026年3月16日" in content
    assert f"https://jiandu.example.gov.cn/ledger/{problem.pk}/" in content
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["access_token"] == ["abc"]
    ts = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(b"SECtest-secret", f"{ts}\nSECtest-secret".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    row = ReminderLog.objects.get(channel="webhook")
    assert row.recipient_label == "甲镇人民政府群机器人" and row.status == "sent"


def test_the_county_robot_without_signature(problem, robot, settings):
    receiver = robot()
    settings.JIANDU_WEBHOOK_URL = receiver.url
    run(date(2026, 3, 12))
    path = receiver.calls[0][0]
    assert "sign=" not in path and ReminderLog.objects.get(channel="webhook").status == "sent"


def test_a_failing_robot_is_retried_shown_and_sent_by_the_next_run(
    problem, units, robot, client_for, people
):
    receiver = robot(fail=3)
    unit = units["a"]
    unit.webhook_url = receiver.url
    unit.save()
    run(date(2026, 3, 12))
    # Two tries in the run (REMINDER_SEND_TRIES), both refused.
    assert len(receiver.calls) == 2
    row = ReminderLog.objects.get(channel="webhook")
    assert row.status == "failed" and row.attempts == 2 and "500" in row.error
    page = client_for(people["supervisor"]).get("/reminders/").content.decode()
    assert "发送失败" in page and "甲镇人民政府群机器人" in page
    # The next working day: tried again first (one more refusal, then it passes).
    result = run(date(2026, 3, 13))
    row.refresh_from_db()
    assert result.retried == 1 and row.status == "sent" and row.attempts == 4
    assert len(receiver.calls) == 4


def test_a_robot_refusal_in_the_answer_is_a_failure():
    class Refusing(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode": 310000, "errmsg": "sign not match"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    serve_in_background(server)
    try:
        address = channels.Address(
            "webhook:x", "x", None, f"http://127.0.0.1:{server.server_address[1]}/"
        )
        with pytest.raises(channels.SendError, match="拒收"):
            channels.WebhookSender().send(address, channels.Message("t", "正文", "/", "/"))
    finally:
        server.shutdown()
        server.server_close()
