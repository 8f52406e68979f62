"""按组考核 in a real browser on the demo school: the 语文教研组 holds its weekly sessions."""

import pytest

from keshi.org.models import Group
from keshi.records.tests.factories import kind
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_lead_sees_the_groups_standing(demo_school, live_server, browser_page):
    group = Group.objects.get(org=demo_school, name="语文教研组")
    req = RequirementFactory(
        org=demo_school,
        name="本组教研活动",
        threshold=1,
        period=Requirement.Period.WEEK,
        kinds=[kind("group_activity")],
        owner=Requirement.Owner.GROUP,
    )
    req.groups.set([group])
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "lead", "demo1234")

    browser_page.goto(f"{live_server.url}/tasks/")
    browser_page.wait_for_load_state("networkidle")
    screenshot(browser_page, "rules-tasks-lead-group")
    assert "本组 · 语文教研组" in browser_page.inner_text("body")

    browser_page.goto(f"{live_server.url}/org/groups/{group.pk}/")
    browser_page.wait_for_selector("#group-standing .task", timeout=10_000)
    screenshot(browser_page, "rules-group-standing")
    assert "本组教研活动" in browser_page.inner_text("#group-standing")

    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "office", "demo1234")
    browser_page.goto(f"{live_server.url}/compliance/")
    browser_page.wait_for_load_state("networkidle")
    screenshot(browser_page, "rules-compliance-groups")
    assert "语文教研组" in browser_page.inner_text("#group-standing")
    assert errors == []
