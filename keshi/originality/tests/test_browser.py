"""The flag page in a real browser: passages side by side for the office, only a score for the
teacher whose record it is."""

import pytest

from keshi.originality.models import Flag
from keshi.originality.tests.samples import COPIED
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_flag_page_as_office_and_as_the_teacher(cast, template, record, live_server, browser_page):
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    flag = Flag.objects.get(activity=record(cast.teacher, COPIED, title="第一学期教学反思"))

    login(browser_page, live_server.url, "office", "pass-keshi-123")
    browser_page.goto(f"{live_server.url}/originality/flags/{flag.pk}/")
    marks = browser_page.locator("table.passages mark")
    assert marks.count() >= 8  # both sides of at least four passages
    assert "围绕学校总体工作要点" in browser_page.inner_text("table.passages")
    screenshot(browser_page, "originality-flag-office")
    browser_page.goto(f"{live_server.url}/originality/")
    assert "张老师" in browser_page.inner_text("#flag-table")
    screenshot(browser_page, "originality-dashboard-office")
    browser_page.goto(f"{live_server.url}/originality/corpus/")
    assert "教科室工作计划范文.txt" in browser_page.inner_text("#corpus-table")
    screenshot(browser_page, "originality-corpus-office")

    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "teacher", "pass-keshi-123")
    browser_page.goto(f"{live_server.url}/records/{flag.activity_id}/")
    screenshot(browser_page, "originality-record-teacher")
    browser_page.click(".originality-badge")
    browser_page.wait_for_load_state("networkidle")
    body = browser_page.inner_text("body")
    assert "与他人作品相似" in body and "<mark>" not in browser_page.content()
    assert browser_page.locator("table.passages").count() == 0
    screenshot(browser_page, "originality-flag-teacher")
    assert errors == []
