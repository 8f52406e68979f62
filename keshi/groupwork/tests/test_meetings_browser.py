"""例会 pages in headless Chromium on the demo school (its 行政碰头会 and 组长会): the office's
list, a meeting with its sessions and per-person attendance, the new-meeting form, the
statistics page's 例会 card, and the empty list a teacher outside every meeting sees.
Screenshots: groupwork-meetings*.png in test-artifacts/."""

import pytest
from django.urls import reverse

from keshi.groupwork.models import Meeting
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_meeting_pages(demo_school, live_server, browser_page):
    errors: list[str] = []
    page = browser_page
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", "demo1234")
    page.goto(live_server.url + reverse("groupwork:meetings"))
    rows = page.locator("#meetings-table tbody tr")
    assert rows.count() == 3  # 行政碰头会, 组长会 and the 期中考试's 质量分析会 (meets once)
    assert "每两周星期四" in page.inner_text("#meetings-table")
    assert "质量分析会" in page.inner_text("#meetings-table")
    screenshot(page, "groupwork-meetings")

    leads = Meeting.objects.get(org=demo_school, group__name="组长会")
    page.goto(live_server.url + reverse("groupwork:meeting", args=[leads.pk]))
    assert page.locator("#meeting-people tbody tr").count() >= 9
    screenshot(page, "groupwork-meeting-detail")

    page.goto(
        live_server.url + reverse("groupwork:meeting_create") + "?name=学科主任会&every=month"
    )
    assert page.input_value("#id_name") == "学科主任会"
    screenshot(page, "groupwork-meeting-new")

    page.goto(live_server.url + reverse("groupwork:stats"))
    assert "行政碰头会" in page.inner_text("#meeting-stats")
    screenshot(page, "groupwork-stats-meetings")

    page.context.clear_cookies()
    login(page, live_server.url, "teacher", "demo1234")
    page.goto(live_server.url + reverse("groupwork:meetings"))
    assert "没有您参加的例会" in page.inner_text("main")
    screenshot(page, "groupwork-meetings-empty")
    assert errors == []
