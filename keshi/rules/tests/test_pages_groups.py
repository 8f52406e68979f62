"""按组考核 on the pages: the lead's 本组 tasks, the group's standing, the compliance section —
and who may see them."""

from datetime import date

import pytest
from django.urls import reverse

from keshi.calendar.services import create_school_year
from keshi.org.models import Group
from keshi.org.tests.factories import GroupFactory
from keshi.records.tests.factories import kind
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory
from keshi.rules.tests.test_owners import session
from keshi.web.tests.pages import get

pytestmark = pytest.mark.django_db
TASKS = reverse("rules:my_tasks")
COMPLIANCE = reverse("rules:compliance")


@pytest.fixture
def setup(cast):
    """A year covering today; 每个教研组每学期3次教研活动; 语文组 held 3 (closed) today."""
    today = date.today()
    y = today.year if today.month >= 9 else today.year - 1
    create_school_year(
        org=cast.school, start_year=y, first_start=date(y, 9, 1), first_end=date(y + 1, 1, 31),
        second_start=date(y + 1, 2, 1), second_end=date(y + 1, 8, 31),
    )  # fmt: skip
    req = RequirementFactory(
        org=cast.school,
        name="读书活动",
        threshold=3,
        kinds=[kind("group_activity")],
        owner=Requirement.Owner.GROUP,
        owner_group_kind=Group.Kind.SUBJECT,
    )
    for _ in range(3):
        session(cast.group, today)
    maths = GroupFactory(org=cast.school, name="数学组", kind=Group.Kind.SUBJECT)
    return req, maths


def test_lead_sees_the_groups_task_in_my_tasks(client, cast, setup):
    r = get(client, cast.lead, TASKS)
    assert r.status_code == 200
    [task] = [t for t in r.context["tasks"].items if t.group]
    assert task.group == cast.group and task.shown.text == "3/3"
    assert "本组 · 语文组" in r.content.decode()
    assert "3/3" in r.content.decode()


def test_a_member_has_no_group_task(client, cast, setup):
    r = get(client, cast.teacher, TASKS)
    assert not [t for t in r.context["tasks"].items if t.group]
    assert "读书活动" not in r.content.decode()


def test_group_standing_for_lead_and_office(client, cast, setup):
    url = reverse("rules:group_standing", args=[cast.group.pk])
    for user in (cast.lead, cast.office, cast.leader):
        r = get(client, user, url)
        assert r.status_code == 200
        [task] = r.context["tasks"]
        assert task.shown.text == "3/3" and task.requirement.name == "读书活动"
    r = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in r.content.decode()


def test_group_standing_refused(client, cast, setup):
    req, maths = setup
    url = reverse("rules:group_standing", args=[cast.group.pk])
    assert get(client, cast.teacher, url).status_code == 403  # a member, not the lead
    assert get(client, cast.lead, reverse("rules:group_standing", args=[maths.pk])).status_code == (
        403
    )  # a lead of another group
    assert get(client, cast.outsider, url).status_code == 404  # another school
    client.logout()
    assert client.get(url).status_code == 302


def test_group_page_loads_the_standing_only_for_those_who_may_read_it(client, cast, setup):
    page = reverse("org:group", args=[cast.group.pk])
    standing = reverse("rules:group_standing", args=[cast.group.pk])
    assert standing in get(client, cast.lead, page).content.decode()
    assert standing not in get(client, cast.teacher, page).content.decode()


def test_compliance_has_a_row_per_group(client, cast, setup):
    req, maths = setup
    r = get(client, cast.office, COMPLIANCE)
    matrix = r.context["group_matrix"]
    assert [row.group for row in matrix.rows] == [maths, cast.group]
    assert [c.text for c in matrix.rows[1].cells] == ["3/3"]
    assert req not in r.context["matrix"].requirements  # not 60 personal quotas
    assert 'id="group-standing"' in r.content.decode()
    # The lead: their own group's row only.
    r = get(client, cast.lead, COMPLIANCE)
    assert [row.group for row in r.context["group_matrix"].rows] == [cast.group]


def test_another_school_sees_none_of_it(client, cast, setup):
    r = get(client, cast.outsider, COMPLIANCE)
    assert "读书活动" not in r.content.decode()
    r = get(client, cast.outsider, TASKS)
    assert "读书活动" not in r.content.decode()
