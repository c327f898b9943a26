"""`jiandu serve` stopped with SIGTERM exits 0: it asks each of its processes to stop
once. Fake processes stand in for gunicorn and the worker, so the order of signals is
the test's, not the machine's (with real processes the failure came once in many runs)."""

import signal
import subprocess

from jiandu import cli


class PythonProcess:
    """Like a Python process that handles SIGTERM: it exits 0 on the first, but a second
    one that lands while it is exiting (its handlers already back to the default, which
    CPython does as it finalizes) kills it by the signal."""

    def __init__(self, on_wait=None):
        self.pid = id(self)
        self.returncode = None
        self.terminated = 0
        self.on_wait = on_wait

    def terminate(self):
        self.terminated += 1
        if self.terminated > 1 and self.returncode is None:
            self.returncode = -signal.SIGTERM

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        if self.on_wait:  # the first wait of serve's loop: SIGTERM arrives meanwhile
            on_wait, self.on_wait = self.on_wait, None
            on_wait()
            raise subprocess.TimeoutExpired("web", timeout)
        if self.returncode is None:
            self.returncode = 0 if self.terminated else -signal.SIGKILL
        return self.returncode


class Scheduler:
    def start(self):
        pass

    def shutdown(self, wait=True):
        pass


def test_serve_stopped_by_sigterm_signals_each_process_once_and_exits_0(monkeypatch):
    handlers = {}
    monkeypatch.setattr(cli.signal, "signal", lambda sig, handler: handlers.update({sig: handler}))
    monkeypatch.setattr(cli, "missing_keys", lambda: [])
    monkeypatch.setattr("jiandu.reminders.schedule.scheduler", lambda env: Scheduler())
    web = PythonProcess(on_wait=lambda: handlers[signal.SIGTERM](signal.SIGTERM, None))
    worker = PythonProcess()
    started = iter([web, worker])
    monkeypatch.setattr(cli.subprocess, "Popen", lambda *a, **k: next(started))

    assert cli.serve("127.0.0.1", 1, 1) == 0
    assert (web.terminated, worker.terminated) == (1, 1)
    assert web.returncode == 0 and worker.returncode == 0
