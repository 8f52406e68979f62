"""gunicorn serving a scratch database, as the benchmarks that go through HTTP need it: with
KESHI_DEBUG off, WhiteNoise and a data directory of its own."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def server_env(data_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KESHI_")}
    return env | {
        "KESHI_DATABASE_URL": database_url(),
        "KESHI_DATA_DIR": data_dir,
        "KESHI_DEBUG": "0",
        "KESHI_SECRET_KEY": secrets.token_urlsafe(40),
        "KESHI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain http on the loopback: cookies that need https would never come back.
        "KESHI_SECURE_COOKIES": "0",
        "KESHI_LOG_LEVEL": "ERROR",
    }


def run(cmd: list, env: dict) -> None:
    done = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True)
    if done.returncode:
        raise CommandError(f"{cmd[0]} 失败：{done.stderr[-2000:]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(options: dict, app: str = "keshi.wsgi", env: dict | None = None) -> Iterator[int]:
    """gunicorn serving ``app`` on a free port (yielded) until the block ends."""
    with tempfile.TemporaryDirectory(prefix="keshi-serve-") as data_dir:
        env = server_env(data_dir) | (env or {})
        run([BIN / "keshi", "collectstatic", "--noinput", "-v0"], env)
        port = free_port()
        process = serve(env, port, options, app)
        try:
            wait_ready(port, process)
            yield port
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def serve(env: dict, port: int, options: dict, app: str = "keshi.wsgi") -> subprocess.Popen:
    cmd = [
        BIN / "gunicorn",
        app,
        "--preload",
        f"--bind=127.0.0.1:{port}",
        f"--workers={options['workers']}",
        f"--worker-class={options['worker_class']}",
        f"--threads={options['threads']}",
        "--backlog=2048",
        "--timeout=120",
        "--log-level=warning",
    ]
    return subprocess.Popen([str(c) for c in cmd], env=env, cwd=ROOT)


def wait_ready(port: int, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise CommandError("gunicorn 没有启动，见上面的输出。")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise CommandError("gunicorn 60 秒内没有响应 /healthz。")
