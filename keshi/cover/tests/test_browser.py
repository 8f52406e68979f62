"""The arrangement page in a real browser: the office assigns a 代课 with a clash warning it
must confirm, and a colleague confirms a 调课 request on their own page."""

from datetime import date

import pytest

from keshi.cover import services
from keshi.cover.models import Cover
from keshi.cover.tests.factories import homeroom, lesson, make_term
from keshi.tests.browser import login, screenshot

PASSWORD = "pass-keshi-123"


@pytest.mark.browser
def test_arrangement_page(transactional_db, cast, live_server, browser_page):
    term = make_term(cast.school)
    t, other, lead = cast.teacher.person, cast.other_teacher.person, cast.lead.person
    for weekday, period, cls in (
        (1, 1, "高一(1)班"),
        (1, 3, "高一(2)班"),
        (2, 2, "高一(1)班"),
        (3, 5, "高一(1)班"),
    ):
        lesson(term, t, weekday, period, class_name=cls)
    lesson(term, other, 1, 1, class_name="高一(3)班")  # 李老师 teaches Monday 1st: a clash
    homeroom(term, t)
    (absence,) = services.set_absences(
        person=t,
        reference="dispatch:1",
        title="外出培训：省骨干教师研修",
        spans=[(date(2025, 11, 3), "am", date(2025, 11, 5), "pm")],
        by=None,
    )
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "office", PASSWORD)
    url = f"{live_server.url}/cover/absences/{absence.pk}/"
    browser_page.goto(url)
    assert browser_page.inner_text("#cover-kind") == "代课"
    first = browser_page.locator("#cover-lessons tbody tr").first
    option = first.locator("select[name=cover_person] option", has_text="李老师").get_attribute(
        "value"
    )
    assert "该节本人有课" in first.locator("select[name=cover_person]").inner_text()
    first.locator("select[name=cover_person]").select_option(option)
    first.locator("button[type=submit]").click()
    browser_page.wait_for_load_state("networkidle")
    first = browser_page.locator("#cover-lessons tbody tr").first
    assert "仍然安排" in first.inner_text()
    first.locator("input[name=confirm_clashes]").check()
    first.locator("button[type=submit]").click()
    browser_page.wait_for_load_state("networkidle")
    second = browser_page.locator("#cover-lessons tbody tr").nth(1)
    second.locator("select[name=cover_person]").select_option(str(lead.pk))
    second.locator("button[type=submit]").click()
    browser_page.wait_for_load_state("networkidle")
    body = browser_page.inner_text("#cover-lessons")
    assert "李老师" in body and "王组长" in body and "已确认" in body
    assert Cover.objects.filter(status="confirmed").count() == 2
    screenshot(browser_page, "cover-arrangement")
    browser_page.goto(f"{live_server.url}/cover/timetable/?person={t.pk}&term={term.pk}")
    assert "高一(2)班" in browser_page.inner_text("#timetable-grid")
    screenshot(browser_page, "cover-timetable")

    short = services.set_absences(
        person=t,
        reference="dispatch:2",
        title="区教研活动",
        spans=[(date(2025, 11, 10), "am", date(2025, 11, 10), "pm")],
        by=None,
    )[0]
    entry = t.timetable_entries.get(weekday=1, period=3)
    services.arrange_cover(
        absence=short,
        entry=entry,
        day=date(2025, 11, 10),
        cover_person=other,
        by=None,
        by_office=False,
    )
    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "other_teacher", PASSWORD)
    browser_page.goto(f"{live_server.url}/cover/mine/")
    screenshot(browser_page, "cover-mine")
    browser_page.click("button[name=accept][value='1']")
    browser_page.wait_for_load_state("networkidle")
    assert "已回复" in browser_page.inner_text("body")
    assert Cover.objects.get(absence=short).status == "confirmed"
    assert errors == []
