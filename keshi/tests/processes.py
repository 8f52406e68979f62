"""Real keshi processes on the test database: commands, the task worker.

A task worker belongs in a process of its own: django-tasks' ``db_worker`` installs SIGTERM and
SIGINT handlers, and inside pytest they would turn a CI time limit's SIGTERM into a SystemExit
raised in whatever test runs next (keshi/conftest.py fails any test that leaves them changed).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection


def database_url() -> str:
    """The URL of the database the tests use, for a child process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = quote(s.get("USER") or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def keshi(*args: str) -> list[str]:
    return [sys.executable, "-m", "keshi", *args]


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment pointed at the test database, without fault injection."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KESHI_FAULT")}
    env.update(KESHI_DATABASE_URL=database_url(), KESHI_DATA_DIR=str(data_dir), **extra)
    return env


def run(*args: str, data_dir: Path, timeout: float = 300, **extra: str):
    """``keshi <args>`` to completion, output captured."""
    return subprocess.run(
        keshi(*args),
        env=child_env(data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,  # a signal to pytest's process group is not the worker's
    )


def run_worker(*, data_dir: Path, timeout: float = 300, **extra: str):
    """The task worker until the queue is empty (the tests' data must be committed)."""
    return run(
        "db_worker", "--batch", "--no-startup-delay", data_dir=data_dir, timeout=timeout, **extra
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until something listens on ``port``; fails if ``proc`` ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[:4]} ended with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"nothing listens on port {port}")
