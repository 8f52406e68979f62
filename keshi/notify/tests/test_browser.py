"""The inbox and the channel page in headless Chromium, after a real reminder run."""

import pytest

from keshi.notify import daily
from keshi.notify.models import Channel
from keshi.notify.tests.conftest import DAY
from keshi.tests.browser import login, screenshot

PASSWORD = "pass-keshi-123"


@pytest.fixture
def reminded(transactional_db, builtin_kinds, cast, term, scenario):
    Channel.objects.create(
        org=cast.school,
        name="教研群（钉钉）",
        kind=Channel.Kind.DINGTALK,
        webhook_url="https://robot.example.invalid/send?access_token=t",
        secret="SECx",
    )
    daily.send_daily_reminders(at=DAY)  # the robot's host is not allowed: a logged failure


def _check(page, errors):
    body = page.inner_text("body")
    assert "Server Error" not in body and "Traceback" not in body
    assert errors == []
    return body


@pytest.mark.browser
@pytest.mark.parametrize("username", ["teacher", "lead", "office"])
def test_inbox(reminded, live_server, browser_page, username):
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, username, PASSWORD)
    browser_page.click("a[href='/notifications/']")  # the bell
    browser_page.wait_for_load_state("networkidle")
    body = _check(browser_page, errors)
    screenshot(browser_page, f"notify-inbox-{username}")
    assert "每日提醒（9月25日周五）" in body and "1 条未读" in body
    browser_page.click("text=全部标为已读")
    browser_page.wait_for_load_state("networkidle")
    assert "已将 1 条通知标为已读" in browser_page.inner_text("body")


@pytest.mark.browser
def test_channels_page(reminded, live_server, browser_page):
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "office", PASSWORD)
    browser_page.goto(f"{live_server.url}/notifications/channels/")
    body = _check(browser_page, errors)
    screenshot(browser_page, "notify-channels-office")
    assert "教研群（钉钉）" in body and "失败" in body and "已发送" in body
    browser_page.click("text=添加渠道")
    browser_page.wait_for_load_state("networkidle")
    browser_page.select_option("select[name=kind]", "wecom")
    browser_page.fill("input[name=name]", "年级群")
    browser_page.click("main button[type=submit]")
    browser_page.wait_for_load_state("networkidle")
    body = _check(browser_page, errors)
    screenshot(browser_page, "notify-channel-form-error")
    assert "群机器人需要填写 Webhook 地址。" in body


@pytest.mark.browser
def test_remind_the_people_behind(demo_school, live_server, browser_page):
    """提醒未完成的人 on the demo school: from the compliance page to the preview, confirmed."""
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/compliance/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "notify-remind-compliance")
    page.click("text=提醒未完成的人")
    page.wait_for_load_state("networkidle")
    body = _check(page, errors)
    assert "提醒未完成的人" in body and "将收到的消息" in body
    page.click("#to-send details >> nth=0")  # open one message
    screenshot(page, "notify-remind-preview")
    to_send = page.locator("#to-send tbody tr").count()
    assert to_send > 0
    page.click("text=确认发送")
    page.wait_for_load_state("networkidle")
    body = _check(page, errors)
    screenshot(page, "notify-remind-sent")
    assert f"已提醒 {to_send} 人，跳过 0 人（今天已提醒）。" in body
    assert "今天已提醒（不再发送）" in body
