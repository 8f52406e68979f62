"""Office staff set a cap inside a rule on the form and read, on a teacher's 我的任务, what the cap
left out. Term: 2026-09-01 .. 2027-01-22."""

from datetime import date

import pytest

from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules import services
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_office_sets_a_cap_and_the_task_explains_it(
    transactional_db, cast, term, live_server, browser_page
):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    rule = services.create_requirement(
        org=cast.school,
        user=cast.office,
        name="教学反思",
        kinds=[kind("reflection"), kind("reading")],
        threshold=3,
        period="month",
    )
    me = cast.teacher.person
    for day in (date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 17)):
        ActivityFactory(person=me, kind=kind("reading"), date=day)
    login(page, live_server.url, "office", "pass-keshi-123")
    page.goto(f"{live_server.url}/requirements/{rule.pk}/edit/")
    page.select_option("#id_cap_kind_1", str(kind("reading").pk))
    page.fill("#id_cap_limit_1", "1")
    page.locator("#preview", has_text="其中读书笔记最多计1篇").wait_for()
    page.locator("#kind-caps").scroll_into_view_if_needed()
    screenshot(page, "kind-caps-form-office")
    page.click("button[type=submit]:has-text('保存')")
    page.wait_for_load_state("networkidle")
    assert "其中读书笔记最多计1篇" in page.inner_text("body")
    assert [(c.kind.code, c.limit) for c in rule.kind_caps.all()] == [("reading", 1)]

    page.goto(f"{live_server.url}/tasks/?person={me.pk}&at=2026-11-26")
    line = "读书笔记最多计 1 篇（本期已计 1 篇，另有 2 篇未计入）"
    assert line in page.inner_text("body")
    screenshot(page, "kind-caps-task-office")
    assert errors == []
