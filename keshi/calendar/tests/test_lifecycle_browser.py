"""The rollover review in headless Chromium (screenshot in test-artifacts/calendar-rollover.png)."""

from datetime import date

import pytest

from keshi.calendar import services
from keshi.org.models import Group, Membership
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    MentorshipFactory,
    PersonFactory,
)
from keshi.records.tests.factories import kind
from keshi.rules.tests.factories import RequirementFactory
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_the_review_page_in_a_browser(transactional_db, cast, live_server, browser_page):
    year = services.create_school_year(org=cast.school, start_year=2026)
    year.terms.get(number=1).delete()  # "now" is the second term: the next is a new school year
    prep = GroupFactory(org=cast.school, name="七年级语文备课组", kind=Group.Kind.PREP)
    for name, role in (("钱组长", Membership.Role.LEAD), ("孙老师", Membership.Role.MEMBER)):
        person = PersonFactory(org=cast.school, name=name)
        MembershipFactory(group=prep, person=person, role=role, start=date(2026, 9, 1))
    mentor = PersonFactory(org=cast.school, name="周师傅")
    mentee = PersonFactory(org=cast.school, name="吴徒弟")
    MentorshipFactory(mentor=mentor, mentee=mentee, subject="语文", end=date(2027, 8, 31))
    RequirementFactory(
        org=cast.school, name="每学期听课不少于15节", threshold=15, kinds=[kind("observation")]
    )
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "office", "pass-keshi-123")
    browser_page.goto(f"{live_server.url}/calendar/")
    browser_page.get_by_role("link", name="开始下一学期 / 学年").click()
    assert "2027—2028学年第一学期" in browser_page.inner_text("h1")
    with browser_page.expect_navigation():  # a form post: read the page it answers with
        browser_page.get_by_role("button", name="下一步：核对沿用内容").click()
    body = browser_page.inner_text("body")
    assert "七年级语文备课组" in body and "周师傅 → 吴徒弟" in body and "在下学期开始前结束" in body
    assert "每学期听课不少于15节" in body
    browser_page.locator("label[for^=rules-][for$=-change]").first.click()
    browser_page.locator("input[name$=-threshold]").first.fill("20")
    with browser_page.expect_navigation():  # a form post: read the page it answers with
        browser_page.get_by_role("button", name="重新统计").click()
    assert "保留 0，修改 1，不再沿用 0" in browser_page.inner_text("body")
    screenshot(browser_page, "calendar-rollover")
    with browser_page.expect_navigation():  # a form post: read the page it answers with
        browser_page.get_by_role("button", name="确认更替").click()
    assert "已建立2027—2028学年第一学期" in browser_page.inner_text("h1")
    screenshot(browser_page, "calendar-rollover-done")
    assert errors == []
