"""The office in a real browser: configures the DingTalk app against the local server, tests
the connection, previews and confirms the address-book sync."""

import pytest

from keshi.integrations.tests.fakeserver import DINGTALK_SECRET, User
from keshi.org.models import Person
from keshi.tests.browser import login, screenshot

PASSWORD = "pass-keshi-123"


@pytest.mark.browser
def test_office_configures_tests_and_syncs(transactional_db, cast, fake, live_server,
                                           browser_page):  # fmt: skip
    page = browser_page
    fake.state.departments = {10: ("教科室", 1), 11: ("语文组", 1)}
    fake.state.users = {
        "u1": User("u1", "陈老师", "13800000002", "T100", (11,)),
        "u2": User("u2", "周主任", "13800000003", "T101", (10,)),
    }
    login(page, live_server.url, "office", PASSWORD)
    page.goto(f"{live_server.url}/integrations/?org=demo")
    page.get_by_label("平台").select_option("dingtalk")
    page.get_by_label("企业 ID（CorpId）").fill("dingcorp")
    page.get_by_label("AppKey").fill(DINGTALK_SECRET[0])
    page.get_by_label("应用密钥（AppSecret / Secret）").fill(DINGTALK_SECRET[1])
    page.get_by_label("应用 AgentId").fill("123")
    page.get_by_role("button", name="保存设置").click()
    page.wait_for_load_state("networkidle")
    assert "应用设置已保存" in page.inner_text("body")
    page.get_by_role("button", name="测试连接").click()
    page.wait_for_load_state("networkidle")
    checks = page.inner_text("#checks")
    assert "获取 access_token" in checks and "2 个部门" in checks
    screenshot(page, "integrations-settings")
    page.get_by_role("link", name="同步通讯录（先预览）").click()
    page.wait_for_load_state("networkidle")
    preview = page.inner_text("#preview")
    assert "陈老师" in preview and "教科室" in preview
    screenshot(page, "integrations-sync-preview")
    page.get_by_role("button", name="确认同步").click()
    page.wait_for_load_state("networkidle")
    assert "通讯录已同步" in page.inner_text("body")
    assert Person.objects.filter(org=cast.school, name="陈老师").exists()
