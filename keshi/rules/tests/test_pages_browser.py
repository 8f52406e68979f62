"""我的任务 and the office matrix in a real browser on the demo school."""

from datetime import timedelta

import pytest
from django.utils import timezone

from keshi.calendar.selectors import current_term
from keshi.org.models import Person
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.tests.factories import RequirementFactory
from keshi.tests.browser import login, screenshot


@pytest.fixture
def demo_with_records(demo_school):
    org = demo_school
    today = timezone.localdate()
    term = current_term(org, today)
    RequirementFactory(org=org, name="浏览器听课", threshold=3, kinds=[kind("observation")])
    day = max(term.start, min(today, term.end) - timedelta(days=1))
    for person in Person.objects.filter(org=org, active=True)[:20]:
        ActivityFactory(person=person, date=day)
    return org


def errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.mark.browser
def test_my_tasks_as_teacher(demo_with_records, live_server, browser_page):
    errors = errors_of(browser_page)
    login(browser_page, live_server.url, "teacher", "demo1234")
    browser_page.goto(f"{live_server.url}/tasks/")
    browser_page.wait_for_load_state("networkidle")
    screenshot(browser_page, "rules-tasks-teacher")
    body = browser_page.inner_text("body")
    assert "我的任务" in body and "浏览器听课" in body and "去登记" in body
    assert browser_page.locator(".task .badge").count() >= 1
    assert errors == []


@pytest.mark.browser
def test_office_matrix_with_trend_chart_and_drill_down(
    demo_with_records, live_server, browser_page
):
    errors = errors_of(browser_page)
    login(browser_page, live_server.url, "office", "demo1234")
    browser_page.goto(f"{live_server.url}/compliance/")
    browser_page.wait_for_selector("#trend canvas", timeout=10_000)
    screenshot(browser_page, "rules-matrix-office")
    boxes = browser_page.locator("#trend-lines input[type=checkbox]")
    ticked = browser_page.locator("#trend-lines input:checked")
    assert boxes.count() >= 2 and 2 <= ticked.count() <= 6
    before = ticked.count()
    with browser_page.expect_response(lambda r: "/compliance/trend" in r.url and "line=" in r.url):
        ticked.first.uncheck()
    browser_page.wait_for_function(
        f"document.querySelectorAll('#trend-lines input:checked').length == {before - 1}"
    )
    assert "浏览器听课" in browser_page.inner_text("table.matrix")
    browser_page.locator("table.matrix td.cell a").first.click()
    browser_page.wait_for_selector("#drill-body .cell-detail", timeout=10_000)
    assert "统计区间" in browser_page.inner_text("#drill-body")
    screenshot(browser_page, "rules-matrix-drill")
    assert errors == []
