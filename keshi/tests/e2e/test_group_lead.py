"""The 教研组长's journey: open the group's compliance matrix from the menu, pick the group,
drill into a member's cell and read the records behind it."""

import pytest

from keshi.org.models import Group, Membership
from keshi.tests.e2e.journey import Journey


@pytest.mark.browser
def test_group_lead_journey(demo_school, live_server, browser_page):
    group = Group.objects.get(
        memberships__person__user__username="lead",
        memberships__role=Membership.Role.LEAD,
        kind=Group.Kind.SUBJECT,
    )
    members = set(group.memberships.values_list("person__name", flat=True))
    j = Journey(browser_page, live_server.url, "lead")
    page = j.page
    j.log_in("lead")
    j.shot("home")

    j.nav("达标情况")
    page.get_by_label("组", exact=True).select_option(label=group.name)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("table.matrix tbody tr")
    shown = {rows.nth(i).locator("td.person").inner_text() for i in range(rows.count())}
    assert shown and shown <= members, shown - members
    j.shot("group-matrix")

    cell = rows.first.locator("td.cell a").first
    person = rows.first.locator("td.person").inner_text()
    cell.click()
    detail = page.locator("#drill-body .cell-detail")
    detail.wait_for()
    assert person in detail.inner_text()
    assert "统计区间" in detail.inner_text()
    j.shot("cell-drill-down")
    j.assert_clean()
