"""The 行事历 in a real browser: the teaching-week view (with month, print and subscribe pages
captured for review)."""

from datetime import timedelta

import pytest

from keshi.plans.models import CalendarItem
from keshi.plans.tests.itinerary_world import make_item
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.tests.browser import login, screenshot

PASSWORD = "pass-keshi-123"


def more_items(w) -> None:
    plan, start, people = w.plan, w.term.start, w.people
    done = make_item(plan, "开学工作会议暨教学常规培训", date=start, owners=[people["lead"]])
    done.status = CalendarItem.Status.DONE
    done.save()
    done.evidence.add(
        ActivityFactory(
            person=people["lead"], kind=kind("meeting"), date=start, title="开学工作会议"
        )
    )
    ActivityFactory(person=people["lead"], kind=kind("meeting"), date=start, title="组长例会")
    make_item(plan, "青年教师汇报课", week=6, owners=[people["teacher"], people["other_teacher"]])
    make_item(plan, "期中教学质量检测", week=9, group=w.cast.group)
    late = make_item(plan, "读书交流会", month=(start + timedelta(days=35)).month)
    late.status, late.reason = CalendarItem.Status.POSTPONED, "与区教研活动冲突，顺延"
    late.save()
    make_item(
        plan, "课题中期检查", date=start + timedelta(days=50), end_date=start + timedelta(days=52)
    )


@pytest.mark.browser
def test_week_view_in_the_browser(world, live_server, browser_page):
    more_items(world)
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "office", PASSWORD)
    browser_page.goto(f"{live_server.url}/itinerary/weeks/")
    body = browser_page.inner_text("body")
    screenshot(browser_page, "itinerary-weeks")
    assert "第1周" in body and "教研组长会议" in body and "（本月内）" in body
    assert "草稿里的安排" in body  # office sees drafts
    current = browser_page.locator("tr.itin-current")
    assert current.count() == 1 and "本周" in current.inner_text()
    browser_page.select_option("select[name=group]", label="语文组")
    browser_page.click("form[aria-label='筛选'] button")
    browser_page.wait_for_load_state("networkidle")
    filtered = browser_page.inner_text("table.itin-weeks")
    assert "语文组集体备课" in filtered and "张老师公开课" not in filtered

    browser_page.goto(f"{live_server.url}/itinerary/")
    screenshot(browser_page, "itinerary-month")
    assert "逾期" in browser_page.inner_text("body") or "本月" in browser_page.inner_text("body")
    browser_page.click("text=教研组长会议")
    browser_page.wait_for_load_state("networkidle")
    browser_page.fill("#evidence-q", "会议")
    browser_page.wait_for_selector("#evidence-results li")
    screenshot(browser_page, "itinerary-item-office")
    assert "组长例会" in browser_page.inner_text("#evidence-results")

    browser_page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    browser_page.goto(f"{live_server.url}/itinerary/print/?plan={world.plan.pk}")
    browser_page.emulate_media(media="print")
    screenshot(browser_page, "itinerary-print")
    assert not browser_page.locator(".toolbar").is_visible()
    browser_page.emulate_media(media="screen")
    browser_page.set_viewport_size({"width": 1366, "height": 900})
    browser_page.goto(f"{live_server.url}/itinerary/subscribe/")
    browser_page.click("text=生成订阅地址")
    browser_page.wait_for_load_state("networkidle")
    screenshot(browser_page, "itinerary-subscribe")
    assert "webcal://" in browser_page.content()
    assert errors == []


@pytest.mark.browser
def test_teacher_month_view_and_item(world, live_server, browser_page):
    more_items(world)
    login(browser_page, live_server.url, "teacher", PASSWORD)
    browser_page.goto(f"{live_server.url}/itinerary/")
    screenshot(browser_page, "itinerary-month-teacher")
    body = browser_page.inner_text("body")
    assert "张老师公开课" in body and "草稿里的安排" not in body and "新增事项" not in body
    browser_page.click("text=开学工作会议暨教学常规培训")
    browser_page.wait_for_load_state("networkidle")
    screenshot(browser_page, "itinerary-item-teacher")
    assert "佐证记录" in browser_page.inner_text("body")
    browser_page.goto(f"{live_server.url}/org/people/{world.people['teacher'].pk}/")
    screenshot(browser_page, "itinerary-person-duties")
    assert "负责青年教师培训" in browser_page.inner_text("#duties")
