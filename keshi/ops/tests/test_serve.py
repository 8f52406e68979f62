"""``keshi serve`` (``make run``): queued work runs beside the development server, and stopping
the server stops the worker."""

import os
import signal
import subprocess
import time

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from keshi.notify.tasks import send_daily_reminders
from keshi.tests.processes import child_env, free_port, keshi, wait_for_port

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "stop",
    [
        lambda pid: os.killpg(pid, signal.SIGINT),  # Ctrl+C in the terminal
        lambda pid: os.kill(pid, signal.SIGTERM),  # kill, or the terminal closing
    ],
    ids=["ctrl-c", "sigterm"],
)
def test_serve_runs_the_worker_and_stops_it_with_the_server(transactional_db, cast, tmp_path, stop):
    port = free_port()
    server = subprocess.Popen(
        keshi("serve", f"127.0.0.1:{port}"),
        env=child_env(tmp_path, KESHI_DEBUG="1", PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        started = server.stdout.readline()
        assert "后台任务进程已启动" in started
        worker_pid = int(started.split("进程号 ")[1].split("）")[0])
        wait_for_port(port, server)
        task = send_daily_reminders.enqueue(at=timezone.localdate().isoformat(), org="demo")
        deadline = time.monotonic() + 120
        while DBTaskResult.objects.get(pk=task.id).status != TaskResultStatus.SUCCESSFUL:
            assert time.monotonic() < deadline, "the worker did not run the queued task"
            time.sleep(0.3)
    finally:
        stop(server.pid)
        server.wait(timeout=30)
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)
