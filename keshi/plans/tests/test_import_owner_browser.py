"""The org's own event in a real browser: the suggestion says it is no teacher's task, and
加入行事历 puts it in the plan's calendar (issue 23 item 3)."""

import pytest

from keshi.calendar.services import create_school_year
from keshi.plans.extraction import extract_text
from keshi.plans.imports import import_plan
from keshi.plans.models import CalendarItem
from keshi.rules.models import Requirement
from keshi.tests.browser import login, screenshot

PLAN = "教科室工作计划\n每月召开一次组长会。\n校长、副校长每学期听课不少于30节，主任不少于40节。\n"


@pytest.mark.browser
def test_event_suggestion_goes_to_the_calendar(cast, live_server, browser_page):
    term = create_school_year(org=cast.school, start_year=2025).terms.get(number=1)
    plan = import_plan(
        org=cast.school, user=None, extraction=extract_text(PLAN), title="计划", term=term
    )
    cast.office.set_password("pw-office-1")
    cast.office.save()
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", "pw-office-1")
    page.goto(f"{live_server.url}/plans/{plan.pk}/suggestions/")
    body = page.inner_text("body")
    assert "这是全校的活动安排，不是每位教师的任务" in body and "全校（活动安排）" in body
    assert body.count("按角色考核") >= 3  # 校长, 副校长, 主任: one rule each
    screenshot(page, "plans-suggestions-owners")

    page.click("#pending article:has-text('组长会') a:has-text('加入行事历')")
    page.wait_for_load_state("networkidle")
    assert "不会建为量化要求" in page.inner_text("body")
    screenshot(page, "plans-suggestion-event")
    page.click("button:has-text('加入行事历')")
    page.wait_for_load_state("networkidle")
    assert "已加入行事历" in page.inner_text("body")
    assert CalendarItem.objects.filter(plan=plan, title="每月召开一次组长会").count() >= 4
    assert not Requirement.objects.filter(plan=plan).exists()
    assert errors == []
