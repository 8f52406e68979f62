"""``keshi bench pages``: what one request to each main page costs, layer by layer.

The demo district (``--schools`` schools, see keshi.loadtest.scale) in a scratch database,
served by gunicorn (``--workers`` sync processes, KESHI_DEBUG off) with Server-Timing on
(keshi/web/timing.py). Each page is requested ``--requests`` times in turn with the others, one
request at a time, as the role that uses it; the figures are the client's median and p95 and,
from the server's header, the medians of its middleware, view, template and SQL time and the
number of queries. Two floors are measured in the same run: ``/__bare__``, a Django view with no
middleware (keshi.loadtest.wsgi), and ``/healthz``, one query through all of keshi's middleware.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.db import connection, connections

from keshi.loadtest import scale, server
from keshi.loadtest.report import percentile
from keshi.loadtest.wsgi import BARE

JSON_KEYS = ("pages", "engine_s", "floor_s", "ratio", "database")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMING = re.compile(r"(\w+);dur=([\d.]+)(?:;desc=\"(\d+)\")?")
# Goals of issue #27 for the median, in ms (a page without one has none).
GOALS = {"/healthz": 2, "首页（教师）": 10, "我的任务": 10, "教科室矩阵": 25}


def add_arguments(parser) -> None:
    parser.add_argument("--schools", type=int, default=2, help="学校数（含演示的两所）")
    parser.add_argument("--requests", type=int, default=60, help="每个页面的请求次数")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn 进程数")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="gthread 每进程线程数")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        type=_key_value,
        metavar="KEY=VALUE",
        help="服务器进程的环境变量（可重复；如 KESHI_CONN_MAX_AGE=0 比较改动前后）",
    )


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"应写成 KEY=VALUE：{text}")
    return key, value


@dataclass
class Page:
    name: str
    role: str
    url: str
    client_ms: list[float] = field(default_factory=list)
    layers: dict[str, list[float]] = field(default_factory=dict)
    queries: list[int] = field(default_factory=list)

    def figures(self) -> dict:
        median = {k: round(statistics.median(v), 2) for k, v in self.layers.items()}
        return {
            "name": self.name,
            "role": self.role,
            "url": self.url,
            "median_ms": round(statistics.median(self.client_ms), 2),
            "p95_ms": round(percentile(self.client_ms, 95), 2),
            "queries": max(self.queries, default=0),
            "server_ms": median,
            "goal_ms": GOALS.get(self.name),
        }


def run(options: dict, say) -> dict:
    started = time.perf_counter()
    logins = next(s for s in scale.build(schools=options["schools"], say=say) if s["leads"])
    say(f"演示数据已建好（{time.perf_counter() - started:.0f} 秒）；计时的学校：{logins['code']}")
    teacher, lead = logins["teachers"][0][0], logins["leads"][0]
    office = logins["office"][0]
    pages = [
        Page("Django 空视图", "", BARE),
        Page("/healthz", "", "/healthz"),
        Page("首页（教师）", teacher, "/"),
        Page("我的任务", teacher, "/tasks/"),
        Page("教研组矩阵", lead[0], f"/compliance/?group={lead[1]}"),
        Page("首页（教科室）", office, "/"),
        Page("教科室矩阵", office, "/compliance/"),
    ]
    vendor = connection.vendor
    connections.close_all()
    extra = dict(options["server_env"])
    with server.serving(
        options, app="keshi.loadtest.wsgi", env={**extra, "KESHI_SERVER_TIMING": "1"}
    ) as port:
        base = f"http://127.0.0.1:{port}"
        openers = {role: _logged_in(base, role) for role in {p.role for p in pages}}
        for page in pages:  # warm: imports, template compilation, the compliance cache
            for _ in range(3):
                _get(openers[page.role], base + page.url)
        for _ in range(options["requests"]):
            for page in pages:
                _measure(page, openers[page.role], base)
    figures = [page.figures() for page in pages]
    say(table(figures))
    dashboards = [f["median_ms"] for f in figures[2:]]
    healthz = figures[1]["median_ms"]
    return {
        "pages": figures,
        "database": vendor,
        "engine_s": max(dashboards) / 1000,
        "floor_s": healthz / 1000,
        "ratio": max(dashboards) / healthz,
        "details": {"build_s": round(time.perf_counter() - started, 1)},
    }


def _logged_in(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    if not username:
        return opener
    form = _get(opener, base + "/accounts/login/").read().decode()
    data = {
        "username": username,
        "password": scale.PASSWORD,
        "csrfmiddlewaretoken": CSRF.search(form).group(1),
    }
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(base + "/accounts/login/", body, {"Referer": base + "/"})
    response = _open(opener, request)
    if response.status != 302:
        raise RuntimeError(f"{username} 登录失败：HTTP {response.status}")
    return opener


def _measure(page: Page, opener, base: str) -> None:
    started = time.perf_counter()
    response = _get(opener, base + page.url)
    response.read()
    page.client_ms.append((time.perf_counter() - started) * 1000)
    if response.status != 200:
        raise RuntimeError(f"{page.name} {page.url}：HTTP {response.status}")
    for name, ms, count in TIMING.findall(response.headers.get("Server-Timing", "")):
        page.layers.setdefault(name, []).append(float(ms))
        if count:
            page.queries.append(int(count))


def _get(opener, url: str):
    return _open(opener, urllib.request.Request(url))


def _open(opener, request):
    try:
        return opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:  # a redirect or an error page: shown as its status
        return error


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def table(figures: list[dict]) -> str:
    rows = [
        "| 页面 | 中位 ms | p95 ms | 中间件 ms | 视图 ms | 模板 ms | SQL ms | 查询数 | 目标 ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        s = f["server_ms"]
        layers = [s.get(k, "") for k in ("mw", "view", "tpl", "sql")]
        goal = f["goal_ms"]
        shown = (
            "" if goal is None else f"{goal}（{'达到' if f['median_ms'] <= goal else '未达到'}）"
        )
        rows.append(
            f"| {f['name']} | {f['median_ms']} | {f['p95_ms']} | "
            + " | ".join(str(v) for v in layers)
            + f" | {f['queries'] if s else ''} | {shown} |"
        )
    return "\n".join(rows)
