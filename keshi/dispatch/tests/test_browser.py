"""The dispatch list and detail in a real browser: the office dispatches, the teacher returns
and acknowledges their 联."""

from datetime import date

import pytest

from keshi.dispatch import services
from keshi.dispatch.tests.helpers import dispatch
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_dispatch_pages(transactional_db, cast, live_server, browser_page):
    d = dispatch(cast, cast.teacher, cast.other_teacher)
    dispatch(cast, cast.lead, title="市初中语文命题培训", cross_province=False, level="city",
             start_date=date(2026, 11, 16), end_date=date(2026, 11, 16))  # fmt: skip
    services.mark_returned(member=d.members.get(person__user=cast.other_teacher), by=cast.office)
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "office", "pass-keshi-123")
    browser_page.goto(f"{live_server.url}/dispatch/")
    table = browser_page.inner_text("#dispatch-table")
    assert "全国中学语文教学研讨会" in table and "市初中语文命题培训" in table
    screenshot(browser_page, "dispatch-list")
    browser_page.goto(f"{live_server.url}/dispatch/{d.pk}/")
    assert "学习心得（不少于2000字）" in browser_page.inner_text("#obligations")
    screenshot(browser_page, "dispatch-detail")
    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "teacher", "pass-keshi-123")
    browser_page.goto(f"{live_server.url}/dispatch/{d.pk}/")
    browser_page.click("#members button:has-text('登记返校')")
    browser_page.wait_for_load_state("networkidle")
    browser_page.click("#notice-parts button:has-text('签收')")
    browser_page.wait_for_load_state("networkidle")
    assert "teacher 已签收" in browser_page.inner_text("#notice-parts")
    assert "已返校" in browser_page.inner_text("h1 + .badge, .badge")
    screenshot(browser_page, "dispatch-detail-teacher")
    assert errors == []
