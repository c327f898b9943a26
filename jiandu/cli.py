"""The `jiandu` command: init, demo, serve, assets, manage, and the domain commands.

Any other sub-command (import, template, generate, check, alerts, remind, ...) is a Django
management command of one of the apps, so `jiandu import x.xlsx` is
`jiandu manage import x.xlsx`.

jiandu's own modules are imported inside the commands: Django is configured only once
the arguments are read (an import file is read meanwhile), and `--help` stays quick.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What scripts/setup copies from node_modules into static/vendor (offline at run time).
ASSETS = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "fonts/bootstrap-icons.woff2",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff": "fonts/bootstrap-icons.woff",
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts.min.js",
}


ALIASES = {"check": "check_rules"}


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    import django

    django.setup()


def manage(argv):
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiandu manage", *argv])


def copy_assets(node_modules: Path | None = None) -> None:
    node_modules = node_modules or ROOT / "node_modules"
    target = ROOT / "jiandu" / "static" / "vendor"
    missing = [src for src in ASSETS if not (node_modules / src).exists()]
    if missing:
        sys.exit("缺少前端资源，请先运行 npm install：" + "、".join(missing))
    for src, dst in ASSETS.items():
        out = target / dst
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / src, out)


def ensure_keys(quiet=False) -> None:
    """Random keys in the data directory, once, unless the environment gives them all."""
    from jiandu import keys

    if keys.from_environment_only():
        return
    path, written = keys.ensure()
    if written and not quiet:
        print(
            f"已生成密钥并保存到 {path}（仅所有者可读）。请备份该文件：丢失后已加密的身份信息无法恢复。"
        )


def missing_keys() -> list[str]:
    from jiandu import keys

    stored = keys.read()
    return [name for name in keys.NAMES if not (os.environ.get(name) or stored.get(name))]


def init(quiet=False):
    ensure_keys(quiet)
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)
    call_command("load_base_data", verbosity=0 if quiet else 1)


WORKER = ["-m", "jiandu.cli", "manage", "task_worker", "--interval", "0.5"]
RESTART_DELAY_MAX = 30.0  # seconds between restarts of a worker that keeps dying at once


def serve(host: str, port: int, workers: int) -> int:
    """Run gunicorn and the task worker together, and `jiandu remind` every day at
    JIANDU_REMIND_AT (jiandu.reminders.schedule). A worker that dies is started again
    (an import it was running is marked 中断 by the new one); the web server keeps
    answering meanwhile. Stopping serve, or the web server stopping, stops both."""
    missing = missing_keys()
    if missing:
        print(
            "缺少密钥 " + "、".join(missing) + "：请先运行 jiandu init（在数据目录生成密钥），"
            "或在环境中设置。",
            file=sys.stderr,
        )
        return 1
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="jiandu.settings")
    # `jiandu remind` every day at JIANDU_REMIND_AT, from this one process (not from each
    # gunicorn worker): jiandu.reminders.schedule.
    from jiandu.reminders.schedule import scheduler

    try:
        reminders = scheduler(env=env)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "jiandu.wsgi:application",
            "--config",
            "python:jiandu.gunicorn_conf",  # no Server header
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ],
        env=env,
    )
    procs = {"web": web, "worker": subprocess.Popen([sys.executable, *WORKER], env=env)}
    reminders.start()
    started = time.monotonic()
    delay = 1.0
    stopping = False
    print(f"jiandu 已启动：http://{host}:{port}  （按 Ctrl+C 停止）", flush=True)

    asked = set()  # pids already sent SIGTERM

    def stop(*_):
        nonlocal stopping
        stopping = True
        for proc in procs.values():
            # Once per process: a second SIGTERM that lands while a Python process is
            # exiting (its handlers already back to the default) kills it by the
            # signal, and serve then exited 241 (-15) instead of 0.
            if proc.poll() is None and proc.pid not in asked:
                asked.add(proc.pid)
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping and web.poll() is None:
            worker = procs["worker"]
            if worker.poll() is not None:
                # A worker that dies right after starting (say, the database is down)
                # is restarted less and less often; one that ran a while, at once.
                delay = (
                    1.0 if time.monotonic() - started > 60 else min(delay * 2, RESTART_DELAY_MAX)
                )
                print(
                    f"后台任务进程已退出（退出码 {worker.returncode}），{delay:.0f} 秒后重新启动。",
                    file=sys.stderr,
                    flush=True,
                )
                deadline = time.monotonic() + delay
                while not stopping and web.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.2)
                if stopping or web.poll() is not None:
                    break
                procs["worker"] = subprocess.Popen([sys.executable, *WORKER], env=env)
                started = time.monotonic()
                continue
            try:
                web.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    finally:
        stop()
        reminders.shutdown(wait=False)
        for proc in procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    if stopping and web.returncode == -signal.SIGTERM:
        return 0  # stopped as asked, before it had set up its own handling of SIGTERM
    return web.returncode or 0


IMPORT_VALUE_OPTIONS = {"--kind", "--unit", "--batch-size"}


def _import_path(args: list[str]) -> str | None:
    """The PATH of `jiandu import [options] PATH [options]`."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in IMPORT_VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="jiandu", description="行政执法监督平台")
    sub = parser.add_subparsers(dest="cmd")
    sub.add_parser("init", help="创建或迁移数据库并载入基础数据（不含演示数据）")
    p_demo = sub.add_parser("demo", help="init，载入演示县数据，然后启动服务")
    p_serve = sub.add_parser("serve", help="启动网页服务和后台任务")
    for p in (p_demo, p_serve):
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--workers", type=int, default=2)
    p_demo.add_argument("--no-serve", action="store_true", help="只载入演示数据，不启动服务")
    sub.add_parser("assets", help="从 node_modules 复制前端资源到 static/vendor")
    # A management command of jiandu.reminders, listed here for --help.
    sub.add_parser(
        "remind",
        help="按提醒阶梯发送今天的提醒（--dry-run 试运行，--json 输出 JSON）",
        add_help=False,
    )
    sub.add_parser("manage", help="Django 管理命令", add_help=False)

    if not argv or argv[0] in {"-h", "--help"}:
        parser.print_help()
        return 0
    known = set(sub.choices) - {"remind"}  # remind is a management command
    if argv[0] == "import":
        path = _import_path(argv[1:])
        if path:
            from jiandu.intake.readers import preload

            preload(path)  # the file is read while Django starts
    if argv[0] not in known:
        # Domain commands live in the apps as management commands; `check` runs the
        # monitoring rules, so it is not Django's system check (`jiandu manage check`).
        manage([ALIASES.get(argv[0], argv[0]), *argv[1:]])
        return 0
    if argv[0] == "manage":
        manage(argv[1:])
        return 0
    args = parser.parse_args(argv)
    if args.cmd == "assets":
        copy_assets()
    elif args.cmd == "init":
        init()
    elif args.cmd == "demo":
        # Demo accounts sign in with the printed password only under `jiandu demo`.
        os.environ["JIANDU_DEMO"] = "true"
        init(quiet=True)
        _django()
        from django.core.management import call_command

        call_command("seed_demo")
        if not args.no_serve:
            return serve(args.host, args.port, args.workers)
    elif args.cmd == "serve":
        return serve(args.host, args.port, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
