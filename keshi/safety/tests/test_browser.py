"""不良事件上报 in a real browser on the demo hospital: the doctor reports from the menu, the
医务科 finds it in the list and answers, and the doctor reads the answer."""

import pytest

from keshi.demo.tests.test_hospital_words import school_words
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_report_handle_and_read_the_answer(demo_school, live_server, browser_page):
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "doctor", "demo1234")
    browser_page.goto(f"{live_server.url}/")
    browser_page.get_by_role("button", name="业务与检查").click()
    browser_page.get_by_role("link", name="不良事件上报").click()
    browser_page.wait_for_load_state()
    assert "只有上报人、所在科室的科主任和医务科可以查看" in browser_page.inner_text("main")
    browser_page.get_by_role("link", name="＋ 上报不良事件").click()
    browser_page.wait_for_load_state()
    browser_page.fill("input[name=occurred_on]", "2026-11-20")
    browser_page.fill("input[name=place]", "神经内科病区12床")
    browser_page.select_option("select[name=category]", "fall")
    browser_page.select_option("select[name=severity]", "3")
    browser_page.fill("input[name=title]", "夜间如厕跌倒，未受伤")
    browser_page.fill(
        "textarea[name=description]", "患者（病案号 A1024）夜间独自如厕时跌倒，查体无外伤。"
    )
    browser_page.fill("textarea[name=measures]", "加床栏，告知家属陪护。")
    screenshot(browser_page, "safety-report-form")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="提交报告").click()
    assert "夜间如厕跌倒，未受伤" in browser_page.inner_text("main")

    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "hospital_office", "demo1234")
    browser_page.goto(f"{live_server.url}/safety/?q=如厕")
    screenshot(browser_page, "safety-list-office")
    browser_page.get_by_role("link", name="夜间如厕跌倒，未受伤").click()
    browser_page.wait_for_load_state()
    browser_page.select_option("select[name=status]", "closed")
    browser_page.fill("textarea[name=handling]", "已组织科室学习防跌倒流程。")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="保存处理意见").click()
    assert "已处理完毕" in browser_page.inner_text("main")

    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "doctor", "demo1234")
    browser_page.goto(f"{live_server.url}/safety/")
    browser_page.get_by_role("link", name="夜间如厕跌倒，未受伤").click()
    browser_page.wait_for_load_state()
    body = browser_page.inner_text("main")
    assert "已组织科室学习防跌倒流程。" in body and not school_words(body)
    screenshot(browser_page, "safety-detail-doctor")
    assert errors == []
