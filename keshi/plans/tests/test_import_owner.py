"""Who owes an imported rule (issue 23 item 3): a person rule, a group rule, a role list and the
org's own event, through import_plan → accept_all, and the single 加入行事历 page."""

import pytest
from django.urls import reverse

from keshi.calendar import periods
from keshi.calendar.services import create_school_year
from keshi.org.models import Group
from keshi.plans import services
from keshi.plans.extraction import extract_text
from keshi.plans.imports import Lookup, holder_role, import_plan, propose
from keshi.plans.models import CalendarItem, Suggestion
from keshi.rules.models import Requirement as R

PLAN = """教科室工作计划
一、常规要求
每位教师每学期听课不少于15节。
各教研组每周开展一次教研活动。
每月召开一次组长会。
校长、副校长每学期听课不少于30节，主任不少于40节。
教研组长每学期听课不少于20节。
班主任每学期听课不少于10节。
"""


@pytest.fixture
def term(cast):
    return create_school_year(org=cast.school, start_year=2025).terms.get(number=1)


@pytest.fixture
def plan(cast, term):
    return import_plan(
        org=cast.school, user=None, extraction=extract_text(PLAN), title="计划", term=term
    )


def rules(plan, fragment):
    return list(R.objects.filter(plan=plan, source_text__contains=fragment).order_by("pk"))


def test_accept_all_gives_each_owner_its_rule_and_the_event_its_calendar(cast, plan, term):
    result = services.accept_all(plan=plan, user=cast.office)

    (person,) = rules(plan, "每位教师")
    assert person.owner == R.Owner.PERSON and not person.group_role and person.threshold == 15

    (group,) = rules(plan, "各教研组")
    assert group.owner == R.Owner.GROUP
    assert group.owner_group_kind == Group.Kind.SUBJECT and group.period == R.Period.WEEK
    assert [k.code for k in group.kinds.all()] == ["group_activity"]

    posts = rules(plan, "听课不少于30节") + rules(plan, "主任不少于40节")
    assert [(r.owner, r.owner_role, int(r.threshold)) for r in posts] == [
        (R.Owner.ROLE, R.HolderRole.LEADER, 30),  # 校长
        (R.Owner.ROLE, R.HolderRole.LEADER, 30),  # 副校长
        (R.Owner.ROLE, R.HolderRole.LEADER, 40),  # 主任
    ]
    assert not any(r.tags.exists() for r in posts)

    (lead,) = rules(plan, "教研组长")
    assert lead.owner == R.Owner.PERSON and lead.group_role == "lead"  # each group's 组长

    # the org's meeting: 行事历 items, one per month of the term, and no quota for anyone
    assert rules(plan, "组长会") == []
    meeting = plan.suggestions.get(source="每月召开一次组长会")
    assert meeting.status == Suggestion.Status.ACCEPTED and meeting.requirement is None
    items = CalendarItem.objects.filter(plan=plan, title="每月召开一次组长会")
    months = [p.start.month for p in periods.periods_overlapping("month", term.start, term.end)]
    assert sorted(items.values_list("month", flat=True)) == sorted(months)
    assert sorted(meeting.data["review"]["calendar_items"]) == sorted(i.pk for i in items)
    assert [s.source for s, _items in result.events] == ["每月召开一次组长会"]

    # 班主任 is no role the system grants: left for a person, saying which post
    (homeroom, problems) = next((s, p) for s, p in result.needs_human if "班主任" in s.source)
    assert homeroom.status == Suggestion.Status.PENDING
    assert any("班主任" in p and "没有对应的角色" in p for p in problems)
    assert len(result.accepted) == 6


def test_a_weekly_event_falls_in_each_teaching_week(cast, term):
    plan = import_plan(
        org=cast.school, user=None, extraction=extract_text("每周召开一次行政会。"), term=term,
        title="计划",
    )  # fmt: skip
    (suggestion,) = plan.suggestions.all()
    items = services.accept_event(suggestion=suggestion, user=cast.office)
    weeks = len(periods.teaching_weeks(term.start, term.end))
    assert [i.week for i in items] == list(range(1, weeks + 1))
    assert not R.objects.filter(plan=plan).exists()


def test_a_term_event_is_one_item_with_no_date(cast, term):
    text = "学校每学期举办一次读书节活动。"
    plan = import_plan(org=cast.school, user=None, extraction=extract_text(text), term=term,
                       title="计划")  # fmt: skip
    (suggestion,) = plan.suggestions.all()
    (item,) = services.accept_event(suggestion=suggestion, user=cast.office)
    assert (item.month, item.week, item.date) == (None, None, None)
    assert item.title == "学校每学期举办一次读书节活动"


def test_only_an_org_event_goes_to_the_calendar(cast, plan):
    person = plan.suggestions.get(source__contains="每位教师")
    with pytest.raises(Exception, match="全校的活动安排"):
        services.accept_event(suggestion=person, user=cast.office)
    assert not CalendarItem.objects.filter(plan=plan).exists()


def test_proposals_say_what_accepting_does(cast, plan):
    lookup = Lookup.for_org(cast.school)
    event = propose(plan.suggestions.get(source__contains="组长会").data, lookup=lookup,
                    org=cast.school, plan=plan)  # fmt: skip
    assert event.event and not event.problems and not event.values
    assert event.sentence == "这是全校的活动安排，不是每位教师的任务"
    principal = plan.suggestions.filter(source__contains="校长").first()
    proposal = propose(principal.data, lookup=lookup, org=cast.school, plan=plan)
    assert proposal.values["owner_role"] == R.HolderRole.LEADER
    assert any("学校领导" in n for n in proposal.notes)
    assert holder_role("教科室成员") == R.HolderRole.OFFICE
    assert holder_role("教研员") == R.HolderRole.OFFICE
    assert holder_role("班主任") is None and holder_role("科主任") is None


def test_a_group_rule_without_its_kind_of_group_asks(cast, term):
    text = "组内每月举行一次研讨活动。"
    plan = import_plan(org=cast.school, user=None, extraction=extract_text(text), term=term,
                       title="计划")  # fmt: skip
    (suggestion,) = plan.suggestions.all()
    proposal = propose(suggestion.data, lookup=Lookup.for_org(cast.school), org=cast.school)
    assert any("哪类组" in p for p in proposal.problems)
    plan.group = cast.group
    plan.save()
    proposal = propose(
        suggestion.data, lookup=Lookup.for_org(cast.school), org=cast.school, plan=plan
    )
    assert not proposal.problems and proposal.values["groups"] == [cast.group]


def test_the_event_page_adds_to_the_calendar(client, cast, plan):
    meeting = plan.suggestions.get(source="每月召开一次组长会")
    url = reverse("plans:suggestion_accept", args=[plan.pk, meeting.pk])
    for user in (cast.teacher, cast.lead, cast.leader, cast.outsider):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)
        assert client.post(url).status_code in (403, 404)
    assert not CalendarItem.objects.filter(plan=plan).exists()

    client.force_login(cast.office)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "这是全校的活动安排，不是每位教师的任务" in body and "加入行事历" in body
    assert 'name="threshold"' not in body  # no requirement form
    listing = client.get(reverse("plans:suggestions", args=[plan.pk])).content.decode()
    assert "全校（活动安排）" in listing
    response = client.post(url)
    assert response.status_code == 302
    assert CalendarItem.objects.filter(plan=plan, title="每月召开一次组长会").count() >= 4
    assert not R.objects.filter(plan=plan).exists()
    listing = client.get(reverse("plans:suggestions", args=[plan.pk])).content.decode()
    assert "已加入行事历" in listing
