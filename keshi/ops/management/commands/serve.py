"""``keshi serve [ADDRPORT]``: the development server and the task worker, started and stopped
together (``make run``). Production runs them as separate services (docs/operations.md)."""

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动开发服务器，同时启动后台任务进程（db_worker）；停止时一起停止。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")

    def handle(self, *args, addrport: str, no_worker: bool, **options) -> None:
        # runserver's autoreloader runs this command again in a child (RUN_MAIN=true); only
        # the outer process starts the worker, so there is one however often code reloads.
        worker = None
        if not no_worker and os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen(
                [sys.executable, "-m", "keshi", "db_worker", "--interval", "2"],
                start_new_session=True,  # its own group: the reloading worker's child goes too
            )
            self.stdout.write(f"后台任务进程已启动（进程号 {worker.pid}）。")
            # `kill` or a closing terminal stops the pair too, not only Ctrl+C (the worker is in
            # a session of its own, so the terminal's signals do not reach it).
            for stop in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(stop, lambda *_: sys.exit(0))
        try:
            call_command("runserver", addrport)
        finally:
            if worker is not None:
                _stop(worker)


def _stop(worker: subprocess.Popen) -> None:
    try:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
