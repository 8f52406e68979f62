import io
import json
import threading
from datetime import datetime
from decimal import Decimal as D
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from keshi.indicators import alerts, tasks
from keshi.indicators.models import Actual, Alert
from keshi.notify.models import Channel, Digest, Notification


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KESHI_WEBHOOK_HOSTS = [f"http://127.0.0.1:{server.server_port}"]
    yield f"http://127.0.0.1:{server.server_port}/robot/send?access_token=t"
    server.shutdown()
    server.server_close()


def _stay(hospital, values: dict[int, str]):
    for month, value in values.items():
        Actual.objects.create(
            indicator=hospital.stay, year=2026, month=month, value=D(value),
            entered_at=timezone.make_aware(datetime(2026, month + 1, 3)),
        )  # fmt: skip


def test_two_misses_in_a_row_reach_the_webhook_once(hospital, receiver):
    Channel.objects.create(org=hospital.org, name="科室群", kind="dingtalk", webhook_url=receiver)
    _stay(hospital, {7: "9.5", 8: "8.0", 9: "9.4", 10: "9.6"})  # July alone; Sep and Oct in a row
    run = alerts.send_alerts(at=timezone.datetime(2026, 11, 20).date())
    assert [a.period for a in run.raised] == ["2026-10"] and run.posted == 1
    assert len(Receiver.received) == 1
    payload = Receiver.received[0]
    assert payload["msgtype"] == "markdown"
    assert (
        "平均住院日" in payload["markdown"]["text"] and "2026年9月" in payload["markdown"]["text"]
    )
    recipients = set(Notification.objects.values_list("user__username", flat=True))
    assert recipients == {"head", "hospital_office"}  # the head and the office, not the staff
    assert Digest.objects.get().status == Digest.Status.SENT
    again = alerts.send_alerts(at=timezone.datetime(2026, 11, 25).date())
    assert not again.raised and again.posted == 0
    assert len(Receiver.received) == 1 and Notification.objects.count() == 2


def test_a_failed_post_is_retried_next_run(hospital, receiver):
    channel = Channel.objects.create(
        org=hospital.org, name="群", kind="wecom", webhook_url="http://127.0.0.1:9/nothing"
    )
    _stay(hospital, {9: "9.4", 10: "9.6"})
    run = alerts.send_alerts(at=timezone.datetime(2026, 11, 20).date())
    assert run.raised and run.failed and Digest.objects.get().status == Digest.Status.FAILED
    channel.webhook_url = receiver
    channel.save()
    again = alerts.send_alerts(at=timezone.datetime(2026, 11, 21).date())
    assert not again.raised and again.posted == 1
    assert Receiver.received[0]["msgtype"] == "markdown"
    assert Alert.objects.count() == 1 and Notification.objects.count() == 2


def test_no_alert_for_a_single_miss_or_a_gap(hospital):
    _stay(hospital, {8: "9.4", 10: "9.6"})  # September unreported: not "in a row"
    assert not alerts.send_alerts(at=timezone.datetime(2026, 11, 20).date()).raised


def test_command_and_task(hospital, cast):
    _stay(hospital, {9: "9.4", 10: "9.6"})
    out = io.StringIO()
    call_command("indicator-alerts", "--org", "demo", "--at", "2026-11-20", stdout=out)
    assert "新预警 0 条" in out.getvalue()  # another org: nothing
    out = io.StringIO()
    call_command("indicator-alerts", "--org", "hosp", "--at", "2026-11-20", "--format", "json",
                 stdout=out)  # fmt: skip
    assert json.loads(out.getvalue())["raised"] == ["神经内科·平均住院日·2026-10"]
    result = tasks.send_indicator_alerts.call(at="2026-11-21", org="hosp")
    assert result["raised"] == []


def test_names_in_the_alert_are_escaped_for_the_robots(hospital, receiver):
    """Issue #19.6: a department or indicator name is text in the robot's markdown."""
    hospital.neuro.name = "神经*内科*"
    hospital.neuro.save()
    hospital.stay.name = "[平均住院日](http://evil.example)"
    hospital.stay.save()
    Channel.objects.create(org=hospital.org, name="群", kind="dingtalk", webhook_url=receiver)
    _stay(hospital, {9: "9.4", 10: "9.6"})
    alerts.send_alerts(at=timezone.datetime(2026, 11, 20).date())
    (payload,) = Receiver.received
    text = payload["markdown"]["text"]
    assert "*内科*" not in text and "](http://evil" not in text
    assert r"神经\*内科\*“\[平均住院日\]\(http://evil.example\)”连续两期未达标" in text
    assert payload["markdown"]["title"].startswith("指标预警：神经*内科*“[平均住院日]")
