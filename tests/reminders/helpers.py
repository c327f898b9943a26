"""Objects for the reminder tests."""

from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea
from tests.lib.servers import serve_in_background

# March 2026 has no holiday: Monday the 16th, the Thursday and Friday before it.
DEADLINE = date(2026, 3, 16)


def make_problem(unit, deadline=DEADLINE, **fields):
    return Problem.objects.create(
        unit=unit,
        focus_area=FocusArea.objects.get(code="procedure"),
        description=fields.pop("description", "执法全过程记录不完整"),
        source=Problem.Source.SUPERVISION,
        deadline=deadline,
        **fields,
    )


class Robot:
    """A group robot: records each call; answers 500 to the first `fail` calls."""

    def __init__(self, fail=0):
        self.calls, self.fail = [], fail
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.calls.append((self.path, self.headers["Content-Type"], body))
                if len(robot.calls) <= robot.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?access_token=abc"
        serve_in_background(self.server)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
