"""Group robots against a real HTTP server on 127.0.0.1; failures recorded, never raised."""

import base64
import hashlib
import hmac
import time
from datetime import timedelta

import pytest
from django.core import mail

from keshi.notify import daily, services, webhooks
from keshi.notify.models import Channel, Digest, Notification
from keshi.notify.tests.conftest import DAY

pytestmark = pytest.mark.django_db

SECRET = "SECtest0123456789abcdef"


def channel(cast, kind, url="", **kw):
    return Channel.objects.create(org=cast.school, name=kind, kind=kind, webhook_url=url, **kw)


def expected_sign(timestamp: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def test_dingtalk_and_wecom_receive_one_signed_summary(cast, term, scenario, receiver):
    ding = channel(cast, Channel.Kind.DINGTALK, receiver.url(), secret=SECRET)
    wecom = channel(cast, Channel.Kind.WECOM, receiver.url("/cgi-bin/webhook/send?key=k1"))
    before = int(time.time() * 1000)
    report = daily.send_daily_reminders(at=DAY)[0]
    assert report.sent["dingtalk"] == 1 and report.sent["wecom"] == 1
    assert len(receiver.received) == 2
    by_path = {r.path: r for r in receiver.received}

    d = by_path["/robot/send"]
    assert d.query["access_token"] == "abc"
    assert before <= int(d.query["timestamp"]) <= int(time.time() * 1000)
    # parse_qs has URL-decoded the sign: it must equal the HMAC we compute ourselves.
    assert d.query["sign"] == expected_sign(d.query["timestamp"], SECRET)
    assert d.body["msgtype"] == "markdown"
    assert d.body["markdown"]["title"] == "示范中学每日提醒（9月25日周五）"
    text = d.body["markdown"]["text"]
    assert "- 已逾期：1人" in text and "- 逾期名单：张老师" in text and "- 落后名单：李老师" in text
    assert d.body["at"] == {"isAtAll": False}

    w = by_path["/cgi-bin/webhook/send"]
    assert w.query == {"key": "k1"}
    assert w.body == {"msgtype": "markdown", "markdown": {"content": text}}

    daily.send_daily_reminders(at=DAY)
    assert len(receiver.received) == 2  # idempotent
    assert set(
        Digest.objects.filter(channel__in=[ding, wecom]).values_list("status", flat=True)
    ) == {"sent"}


def test_failures_are_recorded_and_other_channels_still_sent(
    cast, term, scenario, receiver, closed_port
):
    failing = channel(cast, Channel.Kind.WECOM, receiver.url("/fail"))
    refused = channel(cast, Channel.Kind.WECOM, f"http://127.0.0.1:{closed_port}/send?key=x")
    bad_sign = channel(cast, Channel.Kind.DINGTALK, receiver.url("/errcode"), secret="SECwrong")
    good = channel(cast, Channel.Kind.WECOM, receiver.url("/ok?key=1"))
    mailbox = Channel.objects.create(
        org=cast.school, name="教科室邮箱", kind=Channel.Kind.EMAIL, email="jks@example.cn"
    )
    report = daily.send_daily_reminders(at=DAY)[0]
    assert report.error == ""
    assert report.failed == {"wecom": 2, "dingtalk": 1}
    assert report.sent["wecom"] == 1 and report.sent["email"] == 3
    log = {d.channel_id: d for d in Digest.objects.filter(channel__isnull=False)}
    assert log[failing.pk].status == "failed" and "HTTP 500" in log[failing.pk].error
    assert log[refused.pk].status == "failed" and "连接失败" in log[refused.pk].error
    assert log[bad_sign.pk].error == "errcode 310000: sign not match"
    assert log[good.pk].status == "sent" and log[mailbox.pk].status == "sent"
    assert "jks@example.cn" in [m.to[0] for m in mail.outbox]
    assert Notification.objects.count() == 4

    good_posts = sum(1 for r in receiver.received if r.path == "/ok")
    daily.send_daily_reminders(at=DAY)  # a rerun retries the failures only
    log = {d.channel_id: d for d in Digest.objects.filter(channel__isnull=False)}
    assert log[failing.pk].attempts == 2 and log[failing.pk].status == "failed"
    assert log[good.pk].attempts == 1
    assert sum(1 for r in receiver.received if r.path == "/ok") == good_posts == 1


def test_hosts_outside_the_allow_list_are_refused(cast, term, scenario, receiver, settings):
    settings.KESHI_WEBHOOK_HOSTS = ["oapi.dingtalk.com"]
    ch = channel(cast, Channel.Kind.DINGTALK, receiver.url(), secret=SECRET)
    daily.send_daily_reminders(at=DAY)
    digest = Digest.objects.get(channel=ch)
    assert digest.status == "failed" and "不在允许列表" in digest.error
    assert receiver.received == []


def test_redirects_are_not_followed(receiver):
    with pytest.raises(webhooks.WebhookError, match="重定向"):
        webhooks.post_json(receiver.url("/redirect"), {"msgtype": "text"}, timeout=5)
    assert [r.path for r in receiver.received] == ["/redirect"]


def test_send_test_reports_errors(cast, receiver, closed_port):
    ok = channel(cast, Channel.Kind.DINGTALK, receiver.url(), secret=SECRET, mention_all=True)
    assert services.send_test(ok) is None
    body = receiver.received[-1].body
    assert "测试消息" in body["markdown"]["text"] and body["at"] == {"isAtAll": True}
    down = channel(cast, Channel.Kind.WECOM, f"http://127.0.0.1:{closed_port}/x")
    assert "连接失败" in services.send_test(down)


def test_dingtalk_url_and_sign():
    url = webhooks.dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=t", "s", 1000)
    sign = expected_sign("1000", "s")
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1000&sign="
        + sign.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    )
    assert webhooks.dingtalk_url("https://x/send", "", 1000) == "https://x/send"


def test_truncate_counts_utf8_bytes():
    text = "汉" * 2000  # 6000 bytes
    cut = webhooks.truncate(text)
    assert len(cut.encode()) <= webhooks.MAX_MARKDOWN_BYTES and cut.endswith("…")
    assert webhooks.truncate("短") == "短"


# ---- issue #19.8: what a webhook URL may look like ------------------------------------------

BAD_URLS = [
    "http://127.0.0.1:8199\\@oapi.dingtalk.com/robot/send?access_token=t",  # user-info trick
    "https://127.0.0.1:8199\\@oapi.dingtalk.com/robot/send?access_token=t",
    "https://attacker@oapi.dingtalk.com/robot/send?access_token=t",
    "https://user:pw@oapi.dingtalk.com/robot/send?access_token=t",
    "https://oapi.dingtalk.com\\robot/send?access_token=t",
    "https://oapi.dingtalk.com/robot\\send?access_token=t",
    "https://oapi.dingtalk.com:8443/robot/send?access_token=t",  # non-default port
    "https://oapi.dingtalk.com:80/robot/send?access_token=t",
    "http://oapi.dingtalk.com/robot/send?access_token=t",  # not https
    "https://qyapi.weixin.qq.com:0/cgi-bin/webhook/send?key=k",
    "https://qyapi.weixin.qq.com:99999/cgi-bin/webhook/send?key=k",
    "https://oapi.dingtalk.com./robot/send?access_token=t",
    "https://oapi.dingtalk.com.evil.example/robot/send?access_token=t",
]
GOOD_URLS = [
    "https://oapi.dingtalk.com/robot/send?access_token=t",
    "https://oapi.dingtalk.com:443/robot/send?access_token=t",
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
    "https://OAPI.dingtalk.com/robot/send?access_token=t",
]
DEFAULT_HOSTS = ["oapi.dingtalk.com", "qyapi.weixin.qq.com"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_channel_form_refuses_tricky_webhook_urls(cast, settings, url):
    from keshi.notify.forms import ChannelForm

    settings.KESHI_WEBHOOK_HOSTS = DEFAULT_HOSTS
    form = ChannelForm({"name": "群", "kind": "dingtalk", "webhook_url": url, "active": "on"})
    assert not form.is_valid() and "webhook_url" in form.errors


@pytest.mark.parametrize("url", BAD_URLS)
def test_tricky_webhook_urls_are_refused_at_send_time(cast, settings, monkeypatch, url):
    settings.KESHI_WEBHOOK_HOSTS = DEFAULT_HOSTS
    posted = []
    monkeypatch.setattr(webhooks, "post_json", lambda *a, **kw: posted.append(a))
    ch = channel(cast, Channel.Kind.DINGTALK, url)  # e.g. written before the rule, or by admin
    with pytest.raises(webhooks.WebhookError):
        services.deliver(ch, services.Message("t", "x", "x"))
    assert posted == [], "refused before any connection"


@pytest.mark.parametrize("url", GOOD_URLS)
def test_the_robot_apis_are_accepted(cast, settings, url):
    from keshi.notify.forms import ChannelForm

    settings.KESHI_WEBHOOK_HOSTS = DEFAULT_HOSTS
    form = ChannelForm({"name": "群", "kind": "dingtalk", "webhook_url": url, "active": "on"})
    assert form.is_valid(), form.errors


def test_an_allow_list_entry_may_name_scheme_and_port():
    allowed = ["oapi.dingtalk.com", "http://127.0.0.1:8199"]
    webhooks.check_url("http://127.0.0.1:8199/robot/send", allowed)
    for url in (
        "http://127.0.0.1:8200/robot/send",  # another port
        "https://127.0.0.1:8199/robot/send",  # another scheme
        "http://127.0.0.1/robot/send",
        "http://localhost:8199/robot/send",
    ):
        with pytest.raises(webhooks.WebhookError):
            webhooks.check_url(url, allowed)


def test_a_failed_channel_is_retried_by_the_task_with_back_off(
    cast, term, scenario, receiver, closed_port
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from keshi.notify import tasks

    channel(cast, Channel.Kind.WECOM, f"http://127.0.0.1:{closed_port}/send?key=x")
    before = timezone.now()
    tasks.send_daily_reminders.call(at="2026-09-25")
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"] == {"at": "2026-09-25", "org": "demo", "attempt": 1}
    assert retry.run_after >= before + tasks.RETRY_DELAYS[0]

    tasks.send_daily_reminders.call(at="2026-09-25", org="demo", attempt=1)  # still down
    later = DBTaskResult.objects.exclude(pk=retry.pk).get()
    assert later.args_kwargs["kwargs"]["attempt"] == 2
    assert later.run_after >= timezone.now() + tasks.RETRY_DELAYS[1] - timedelta(seconds=5)
    assert Digest.objects.get(channel__isnull=False).attempts == 2
    assert Notification.objects.count() == 4  # the people's digests went out once

    last = len(tasks.RETRY_DELAYS)
    tasks.send_daily_reminders.call(at="2026-09-25", org="demo", attempt=last)
    assert DBTaskResult.objects.count() == 2  # no retry after the last delay
