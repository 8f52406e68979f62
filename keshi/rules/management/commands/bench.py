"""keshi bench SUBJECT [--database sqlite|postgresql] [--format text|json] ...

Each subject is a small module registered in ``SUBJECTS`` with ``add_arguments(parser)`` and
``run(options, say) -> dict`` (the dict holds at least engine_s, floor_s, ratio, database; extra
figures go under ``details``). The command gives the subject a scratch database, its tables
built from the models (keshi.ops.schema), as Django's default connection — the project's own database is never opened — and
removes it afterwards.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from keshi.ops import schema

SUBJECTS = {
    "compliance": "keshi.rules.bench",
    "originality": "keshi.originality.bench",
    "load": "keshi.loadtest.bench",
    "pages": "keshi.loadtest.pages",
    "extraction": "keshi.plans.bench_extraction",
    "exams": "keshi.exams.bench",
}
# A subject module may name its own JSON keys (``JSON_KEYS``); every subject also reports
# engine_s / floor_s / ratio: its work against a baseline measured in the same run.
JSON_KEYS = ("engine_s", "floor_s", "ratio", "database")


class Command(BaseCommand):
    # Pages and URLs are not this command's business: it runs even while they are broken.
    requires_system_checks: list[str] = []
    help = "性能基准：在临时数据库中生成数据并计时（不触碰本系统的数据库）。"

    def add_arguments(self, parser) -> None:
        subjects = parser.add_subparsers(dest="subject", required=True, metavar="SUBJECT")
        for name, path in SUBJECTS.items():
            sub = subjects.add_parser(name, help=f"{name} 基准")
            sub.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
            sub.add_argument("--format", choices=["text", "json"], default="text")
            importlib.import_module(path).add_arguments(sub)

    def handle(self, *args, **options) -> None:
        subject = importlib.import_module(SUBJECTS[options["subject"]])

        def say(text: str, end: str = "\n") -> None:
            sys.stderr.write(text + end)
            sys.stderr.flush()

        if getattr(subject, "NEEDS_DATABASE", True):
            # A kill still drops the scratch database (the finally clauses run on SystemExit).
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
            with scratch_database(options["database"], say):
                result = subject.run(options, say)
        else:
            result = subject.run(options, say)
        keys = getattr(subject, "JSON_KEYS", JSON_KEYS)
        if options["format"] == "json":
            self.stdout.write(json.dumps({k: result[k] for k in keys}))
            return
        self.stdout.write(
            f"数据库 {result['database']}：{'，'.join(f'{k} {_shown(result[k])}' for k in keys if not isinstance(result[k], (dict, list)))}；"
            f"计时 {result['engine_s']:.3f} 秒，基线 {result['floor_s']:.3f} 秒，比值 {result['ratio']:.2f}"
        )
        for key, value in result.get("details", {}).items():
            self.stdout.write(
                f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}"
            )


def _server_url() -> str:
    url = os.environ.get("KESHI_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_database(kind: str, say, build: Callable[[], None] | None = None) -> Iterator[dict]:
    """Make a throw-away database Django's default connection for the duration, its schema
    made by ``build`` (by default straight from the models).

    The wrapper of the project's connection is set aside untouched (not closed, so a caller's
    open transaction survives) and put back afterwards.
    """
    saved_settings = connections.settings["default"]
    saved_wrapper = connections["default"]
    cleanup = _create_sqlite() if kind == "sqlite" else _create_postgresql()
    settings, drop = cleanup
    for key, value in saved_settings.items():
        settings.setdefault(key, value)
    settings["TEST"] = {}
    settings["CONN_MAX_AGE"] = 0
    connections.settings["default"] = settings
    del connections["default"]
    try:
        started = time.perf_counter()
        (build or schema.build_from_models)()
        say(f"临时数据库 {settings['NAME']} 已建好（{time.perf_counter() - started:.1f} 秒）")
        yield settings
    finally:
        connections["default"].close()
        connections.settings["default"] = saved_settings
        connections["default"] = saved_wrapper
        drop()


def _create_sqlite() -> tuple[dict, callable]:
    folder = Path(tempfile.mkdtemp(prefix="keshi-bench-"))
    name = folder / "bench.sqlite3"
    settings = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(name),
        "OPTIONS": {
            # A scratch file: durability does not matter, building speed does.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; "
            "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;",
            "transaction_mode": "IMMEDIATE",
        },
    }

    def drop() -> None:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()

    return settings, drop


def _create_postgresql() -> tuple[dict, callable]:
    import psycopg

    server = dj_database_url.parse(_server_url())
    name = f"keshi_bench_{os.getpid()}"
    admin = {
        "host": server["HOST"] or None,
        "port": server["PORT"] or None,
        "user": server["USER"] or None,
        "password": server["PASSWORD"] or None,
        "dbname": "postgres",
    }
    try:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        raise CommandError(f"无法在 PostgreSQL 服务器上建临时数据库：{exc}") from None
    settings = {**server, "NAME": name, "OPTIONS": {}}

    def drop() -> None:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return settings, drop


def _shown(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)
