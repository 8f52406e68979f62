"""The term calendar in headless Chromium (screenshot in test-artifacts/calendar.png)."""

from datetime import date

import pytest
from django.utils import timezone

from keshi.calendar import services
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_term_calendar_in_a_browser(
    transactional_db,
    cast,
    live_server,
    browser_page,
    monkeypatch,
):
    services.create_school_year(org=cast.school, start_year=2025, first_start=date(2025, 9, 1))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2025, 10, 15))
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "teacher", "pass-keshi-123")
    browser_page.goto(f"{live_server.url}/calendar/")
    body = browser_page.inner_text("body")
    screenshot(browser_page, "calendar")
    assert "2025—2026学年第一学期" in body and "第1周" in body
    assert "国庆节" in body and "中秋节" in body and "调休上班" in body
    today = browser_page.locator("[aria-current=date]")
    assert today.count() == 1 and today.get_attribute("title") == "2025-10-15"
    # The holiday cell is red, the 调休 cell yellow.
    holiday = browser_page.locator("td[title='2025-10-01']")
    workday = browser_page.locator("td[title='2025-09-28']")
    assert "cal-holiday" in holiday.get_attribute("class")
    assert "cal-workday" in workday.get_attribute("class")
    assert holiday.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(248, 215, 218)"
    assert errors == []
