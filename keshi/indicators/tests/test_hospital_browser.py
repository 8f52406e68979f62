"""The 科主任's month in a real browser on the demo hospital (#24): the home page shows last
month's indicators against target with their direction and status, and the reporting due; the
pages speak the hospital's words; the entry grid takes a 108% bed-occupancy month (加床)."""

import pytest

from keshi.demo.tests.test_hospital_words import school_words
from keshi.indicators.models import Actual, Indicator
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_department_head_home_indicators_and_a_108_percent_month(
    demo_school, live_server, browser_page
):
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    occupancy = Indicator.objects.get(org__code="hospital", name="床位使用率")
    assert occupancy.may_exceed_100  # read from the plan: 加床 puts it over 100%
    login(browser_page, live_server.url, "neuro", "demo1234")

    browser_page.goto(f"{live_server.url}/")
    screenshot(browser_page, "hospital-home")
    board = browser_page.inner_text("#home-board")
    assert "科室指标" in board and "床位使用率" in board and "≥ 85%" in board
    assert "越高越好" in board and "越低越好" in board and "未达标" in board
    assert "前填报" in board and "神经内科" in board
    body = browser_page.inner_text("body")
    assert not school_words(body), school_words(body)
    menu = browser_page.text_content("nav")
    assert "工作日历" in menu and "课表" not in menu and "听课" not in menu

    browser_page.goto(f"{live_server.url}/indicators/")
    screenshot(browser_page, "hospital-indicators")
    body = browser_page.inner_text("body")
    assert "上报率" in body and "及时率" in body and not school_words(body)

    browser_page.goto(f"{live_server.url}/indicators/entry/")
    browser_page.fill("input[aria-label='床位使用率 11月 numerator']", "1361")
    browser_page.fill("input[aria-label='床位使用率 11月 denominator']", "1260")
    browser_page.click("button[type=submit]:has-text('保存')")
    browser_page.wait_for_load_state("networkidle")
    screenshot(browser_page, "hospital-entry-108")
    body = browser_page.inner_text("body")
    assert "已保存" in body and "有误" not in body, body[:400]
    month = Actual.objects.get(indicator=occupancy, year__gte=2026, month=11)
    assert (month.numerator, month.denominator) == (1361, 1260)
    assert errors == []
