"""A hand-made school day for reminder tests, and a real local webhook receiver.

Term 2026-09-01 .. 2027-01-22; the day is Friday 2026-09-25 (中秋节). Requirements:

* 教学反思, monthly, 1 篇 by the last Friday: September's last Friday is a holiday, so the
  deadline is Thursday 09-24 — on the 25th an unmet one is overdue (missed);
* 听课, weekly, 2 节: this week (09-21..09-27) is due Sunday 09-27, two days ahead.

张老师: no reflection (overdue), 1 observation (on track, due soon).
李老师: a reflection, no observation (behind, due soon).
王组长 (leads 语文组): a reflection, 1 observation (due soon) — and two members behind.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import import_module
from urllib.parse import parse_qs, urlsplit

import pytest

from keshi.calendar.services import create_school_year
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory

DAY = date(2026, 9, 25)


@pytest.fixture
def builtin_kinds():
    """Transactional tests flush the tables: put back the kinds migration 0002 creates."""
    from django.apps import apps

    import_module("keshi.records.migrations.0002_builtin_kinds").create(apps, None)


@pytest.fixture
def term(cast):
    year = create_school_year(
        org=cast.school, start_year=2026, first_start=date(2026, 9, 1), first_end=date(2027, 1, 22)
    )
    return year.terms.get(number=1)


@dataclass
class Scenario:
    reflection: Requirement
    observation: Requirement


@pytest.fixture
def scenario(cast, term) -> Scenario:
    reflection = RequirementFactory(
        org=cast.school,
        name="教学反思",
        threshold=1,
        period=Requirement.Period.MONTH,
        deadline=Requirement.Deadline.LAST_FRIDAY,
        kinds=[kind("reflection")],
    )
    observation = RequirementFactory(
        org=cast.school,
        name="听课",
        threshold=2,
        period=Requirement.Period.WEEK,
        kinds=[kind("observation")],
    )
    teacher, other, lead = (u.person for u in (cast.teacher, cast.other_teacher, cast.lead))
    ActivityFactory(person=teacher, date=date(2026, 9, 21))
    ActivityFactory(person=lead, date=date(2026, 9, 22))
    for p in (other, lead):
        ActivityFactory(person=p, kind=kind("reflection"), date=date(2026, 9, 10), chars=900)
    cast.teacher.email = "zhang@example.cn"
    cast.teacher.save()
    cast.office.email = "office@example.cn"
    cast.office.save()
    return Scenario(reflection, observation)


@dataclass
class Received:
    path: str
    query: dict[str, str]
    body: dict


@dataclass
class Receiver:
    """A webhook endpoint on 127.0.0.1. ``/fail`` answers 500, ``/errcode`` answers DingTalk's
    "sign not match", ``/redirect`` redirects to ``/ok``; everything else ``{"errcode": 0}``."""

    port: int
    received: list[Received] = field(default_factory=list)

    def url(self, path: str = "/robot/send?access_token=abc") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def receiver(settings):
    received: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            received.append(Received(parts.path, query, body))
            if parts.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/ok")
                self.end_headers()
                return
            if parts.path == "/fail":
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"boom")
                return
            answer = (
                {"errcode": 310000, "errmsg": "sign not match"}
                if parts.path == "/errcode"
                else {"errcode": 0, "errmsg": "ok"}
            )
            raw = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # Plain http on a random port: allowed only because the allow-list names both exactly.
    allow(settings, f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Receiver(server.server_address[1], received)
    finally:
        server.shutdown()
        server.server_close()


def allow(settings, entry: str) -> None:
    """Add ``entry`` to the webhook allow-list of this test (keshi.notify.webhooks.check_url)."""
    hosts = settings.KESHI_WEBHOOK_HOSTS
    settings.KESHI_WEBHOOK_HOSTS = [*(h for h in hosts if h != "127.0.0.1"), entry]


@pytest.fixture
def closed_port(settings) -> int:
    """A port nothing listens on (connection refused), allowed for webhooks."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    allow(settings, f"http://127.0.0.1:{port}")
    return port
