"""Office staff create a requirement through the form, watching the live audience preview."""

import re

import pytest
from django.core.management import call_command

from keshi.calendar.selectors import current_term
from keshi.rules.models import Requirement
from keshi.tests.browser import login, screenshot


@pytest.fixture
def demo_school(transactional_db):
    call_command("demo-data", verbosity=0)


@pytest.mark.browser
def test_office_creates_a_requirement_with_the_live_preview(
    demo_school,
    live_server,
    browser_page,
):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/requirements/")
    assert "新建量化要求" in page.inner_text("body")
    screenshot(page, "requirements-list-office")

    page.click("text=新建量化要求")
    page.wait_for_load_state("networkidle")
    page.fill("#id_name", "青年教师博客")
    page.fill("#id_source_text", "40周岁以下教师博客每周至少更新一次")
    page.check("text=博客/论坛（篇）")
    page.select_option("#id_period", "week")
    page.fill("#id_threshold", "1")
    page.fill("#id_age_max", "40")
    page.locator(
        "#preview [data-testid=sentence]", has_text="40周岁以下教师每周博客不少于1篇"
    ).wait_for()
    count = int(page.inner_text("#preview [data-testid=audience-count] .fs-4"))
    screenshot(page, "requirements-form-office")
    # The demo already has 教师博客 with the same sentence: the form stops once and says so.
    page.click("button[type=submit]:has-text('保存')")
    page.locator("text=与现有规则完全相同").wait_for()
    assert not Requirement.objects.filter(name="青年教师博客").exists()
    page.check("#confirm-duplicate")
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('保存')")
    page.wait_for_url(re.compile(r"/requirements/\d+/$"))

    req = Requirement.objects.get(name="青年教师博客")
    assert (req.age_max, req.period, req.threshold) == (40, "week", 1)
    assert page.url.endswith(f"/requirements/{req.pk}/")
    body = page.inner_text("body")
    assert "40周岁以下教师每周博客不少于1篇" in body and f"{count} 人" in body
    # The engine reads 周岁 at the term's first day; people without a birth date are left out.
    start = current_term(req.org).start
    young = [p for p in req.org.people.filter(active=True) if (p.age(start) or 99) <= 40]
    assert count == len(young) > 0
    assert errors == []
