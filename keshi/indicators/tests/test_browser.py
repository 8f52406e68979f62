"""The department head's pages in a real browser on the demo hospital."""

import pytest

from keshi.indicators.models import Indicator
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_department_head_sees_index_chart_and_grid(demo_school, live_server, browser_page):
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    stay = Indicator.objects.get(org__code="hospital", name="平均住院日")
    login(browser_page, live_server.url, "neuro", "demo1234")

    browser_page.goto(f"{live_server.url}/indicators/")
    body = browser_page.inner_text("body")
    screenshot(browser_page, "indicators-index")
    assert "神经内科" in body and "上报率" in body and "及时率" in body
    assert browser_page.locator("td.ind-missed").count() >= 5
    assert "从计划指标创建" not in body  # the head enters figures; the office manages

    browser_page.goto(f"{live_server.url}/indicators/{stay.pk}/")
    browser_page.wait_for_selector("#trend canvas")
    screenshot(browser_page, "indicators-detail")
    assert "≤ 9天" in browser_page.inner_text("body")
    browser_page.fill("input[name=year]", "2027")
    browser_page.fill("input[name=target]", "8.5")
    browser_page.click("text=设定年度目标")
    browser_page.wait_for_load_state("networkidle")
    screenshot(browser_page, "indicators-year-target")
    body = browser_page.inner_text("body")
    assert "已设定2027年目标：≤ 8.5天" in body and "2027年" in body

    browser_page.goto(f"{live_server.url}/indicators/entry/")
    screenshot(browser_page, "indicators-entry")
    grid = browser_page.locator("input.grid-input")
    assert grid.count() == 12 * 8  # three rates (two inputs) and two values, twelve months
    assert errors == []
