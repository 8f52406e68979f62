"""``keshi bench load``: the demo district scaled to ``--schools`` schools in a scratch database
(made and dropped by ``keshi bench``), served by gunicorn with KESHI_DEBUG off and WhiteNoise,
driven by locust headless: ``--users`` users for ``--duration`` seconds. Prints and writes
(``--out``, default test-artifacts/load/) the figures of ``keshi.loadtest.report``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection, connections

from keshi.loadtest import report, scale, server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
STATIC_PLAIN = "django.contrib.staticfiles.storage.StaticFilesStorage"
JSON_KEYS = (
    "requests",
    "failures",
    "rps",
    "dashboard_p95_ms",
    "baseline_p95_ms",
    "ratio",
    "goal_met",
    "database",
)


def add_arguments(parser) -> None:
    parser.set_defaults(database="postgresql")
    parser.add_argument("--schools", type=int, default=50, help="学校数（含演示的两所）")
    parser.add_argument("--users", type=int, default=200, help="并发用户数")
    parser.add_argument("--spawn-rate", type=float, default=2, help="每秒新增用户（登录）")
    parser.add_argument("--duration", type=int, default=300, help="计时秒数（不含登录爬坡）")
    parser.add_argument("--wait", default="1,4", help="用户两次操作之间的间隔秒数 min,max")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn 进程数")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="gthread 每进程线程数")
    parser.add_argument("--goal-ms", type=float, default=300, help="仪表盘 p95 目标（毫秒）")
    parser.add_argument(
        "--profile", action="store_true", help="运行后用 pyinstrument 剖析最慢的页面"
    )
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "load"), help="结果目录")


def run(options: dict, say) -> dict:
    out = Path(options["out"])
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    logins = scale.build(schools=options["schools"], say=say)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build_s = time.perf_counter() - started
    say(f"{options['schools']} 所学校已建好（{build_s:.0f} 秒）")
    (out / "logins.json").write_text(json.dumps(logins, ensure_ascii=False), encoding="utf-8")
    connections.close_all()
    with server.serving(options) as port:
        say(
            f"gunicorn：{options['workers']} 个 {options['worker_class']} 进程，"
            f"端口 {port}；locust：{options['users']} 个用户，{options['duration']} 秒"
        )
        raw = _locust(port, options, out)
    summary = report.summarise(raw, goal_ms=options["goal_ms"])
    summary |= {"database": connection.vendor, "build_s": round(build_s, 1)}
    summary["options"] = {k: options[k] for k in _OPTIONS}
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    (out / "summary.md").write_text(report.table(summary) + "\n", encoding="utf-8")
    say(report.table(summary))
    if options["profile"]:
        _profile(summary, logins, out, say)
    return {
        **summary,
        "engine_s": summary["dashboard_p95_ms"] / 1000,
        "floor_s": summary["baseline_p95_ms"] / 1000,
        "details": {"build_s": summary["build_s"], "seconds": summary["seconds"]},
    }


_OPTIONS = ("schools", "users", "spawn_rate", "duration", "wait", "workers", "worker_class",
            "threads")  # fmt: skip


def _locust(port: int, options: dict, out: Path) -> dict:
    samples = out / "samples.json"
    samples.unlink(missing_ok=True)
    env = os.environ | {
        "KESHI_LOAD_LOGINS": str(out / "logins.json"),
        "KESHI_LOAD_SAMPLES": str(samples),
        "KESHI_LOAD_WAIT": options["wait"],
        "KESHI_LOAD_DURATION": str(options["duration"]),
    }
    # The locustfile stops the run; this is the upper bound should logins never all finish.
    ramp = options["users"] / options["spawn_rate"] + 600
    cmd = [
        BIN / "locust",
        "-f",
        HERE / "locustfile.py",
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "--users",
        options["users"],
        "--spawn-rate",
        options["spawn_rate"],
        "--run-time",
        f"{round(ramp + options['duration'])}s",
        "--stop-timeout",
        "10",
        "--csv",
        out / "locust",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with open(out / "locust.log", "w") as log:
        done = subprocess.run([str(c) for c in cmd], env=env, stdout=log, stderr=log)
    if not samples.exists():
        raise CommandError(f"locust 没有写出结果（退出码 {done.returncode}），见 {out}/locust.log")
    return json.loads(samples.read_text())


def _profile(summary: dict, logins: list[dict], out: Path, say) -> None:
    """pyinstrument over the slowest dashboard, requested in-process as a user of its role."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings
    from pyinstrument import Profiler

    slowest = max(
        (r for r in summary["endpoints"] if r["name"].startswith("dashboard:")),
        key=lambda r: r["p95"],
    )
    school = next(s for s in logins if s["leads"] and s["code"].startswith("s"))
    urls = {
        "dashboard: 首页": (school["teachers"][0][0], "/"),
        "dashboard: 我的任务": (school["teachers"][0][0], "/tasks/"),
        "dashboard: 教科室矩阵": (school["office"][0], "/compliance/"),
        "dashboard: 教研组矩阵": (
            school["leads"][0][0],
            f"/compliance/?group={school['leads'][0][1]}",
        ),
    }
    username, url = urls[slowest["name"]]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_PLAIN}}
    with override_settings(STORAGES=plain):  # this process has no collectstatic manifest
        client.get(url)  # warm
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(5):
                client.get(url)
    path = out / "profile.txt"
    path.write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
    say(f"剖析 {slowest['name']}（{url}，5 次）：{path}")
