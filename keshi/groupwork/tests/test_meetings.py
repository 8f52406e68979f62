"""例会 (issue 21 item 6): recurring meetings as sessions with attendance, not quotas."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from keshi.accounts.models import RoleGrant
from keshi.groupwork import recurrence, selectors, services, services_meetings, stats
from keshi.groupwork.models import Audience, Every, Meeting, SessionAttendance
from keshi.groupwork.selectors import meeting_attendance
from keshi.groupwork.tests.conftest import records_of
from keshi.org.models import Group, Membership
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    grant,
)

pytestmark = pytest.mark.django_db


# ---- recurrence (pure) ----------------------------------------------------------------------


def test_fortnightly_counts_from_the_first_week():
    hits = [w for w in range(1, 11) if recurrence.falls_on("2weeks", week=w, day=date(2025, 9, 1),
                                                          first_week=2)]  # fmt: skip
    assert hits == [2, 4, 6, 8, 10]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_each_month_has_one_nth_weekday(day):
    n = recurrence.nth_in_month(day)
    assert 1 <= n <= 5
    assert recurrence.falls_on("month", week=1, day=day, week_of_month=n)
    assert not recurrence.falls_on("month", week=1, day=day, week_of_month=n % 5 + 1)


# ---- dates in a term, holidays skipped --------------------------------------------------


def _dates(cast, term, **slot):
    group = GroupFactory(org=cast.school, name=f"组{len(slot)}{slot.get('every')}")
    schedule = services.create_schedule(group=group, term=term, start_time=time(8),
                                        end_time=time(9), place="会议室", by=cast.office, **slot)  # fmt: skip
    return sorted(schedule.sessions.values_list("date", flat=True))


def test_fortnightly_wednesday_skips_national_day(cast, term):
    days = _dates(cast, term, weekday=2, every=Every.TWO_WEEKS)
    assert days[:3] == [date(2025, 9, 3), date(2025, 9, 17), date(2025, 10, 15)]  # 10-01: 国庆
    assert all((b - a).days % 14 == 0 for a, b in zip(days, days[1:], strict=False))


def test_monthly_first_monday(cast, term):
    days = _dates(cast, term, weekday=0, every=Every.MONTH, week_of_month=1)
    # 10-06 is in the 国庆 holiday: that month has none
    assert days == [date(2025, 9, 1), date(2025, 11, 3), date(2025, 12, 1), date(2026, 1, 5)]


def test_weekly_stays_as_it_was(cast, term):
    days = _dates(cast, term, weekday=2)
    assert days[0] == date(2025, 9, 3) and date(2025, 10, 1) not in days
    assert len(days) == len({d.isocalendar()[1] for d in days})


# ---- a 组长会 --------------------------------------------------------------------------------


@pytest.fixture
def leads(cast, people):
    """Two 组长: the cast's 语文组 lead and a 数学组 lead; a 备课组 lead too."""
    math = GroupFactory(org=cast.school, name="数学组")
    math_lead = PersonFactory(org=cast.school, name="孙组长")
    MembershipFactory(person=math_lead, group=math, role=Membership.Role.LEAD)
    prep = GroupFactory(org=cast.school, name="初一语文备课组", kind=Group.Kind.PREP)
    prep_lead = PersonFactory(org=cast.school, name="周组长")
    MembershipFactory(person=prep_lead, group=prep, role=Membership.Role.LEAD)
    return people(cast.lead), math_lead, prep_lead


def _meeting(cast, term, audience=Audience.GROUP_LEADS, **extra):
    values = dict(org=cast.school, name="组长会", audience=audience, term=term, weekday=0,
                  every=Every.TWO_WEEKS, start_time=time(16), end_time=time(17), place="三楼会议室",
                  by=cast.office)  # fmt: skip
    return services_meetings.create_meeting(**(values | extra))


def test_a_leads_meeting_is_attended_by_the_group_leads(cast, term, leads):
    meeting = _meeting(cast, term)
    names = set(meeting.group.memberships.values_list("person__name", flat=True))
    assert names == {"王组长", "孙组长", "周组长"}
    subject = _meeting(cast, term, audience=Audience.SUBJECT_LEADS, name="学科主任会",
                       every=Every.MONTH)  # fmt: skip
    assert set(subject.group.memberships.values_list("person__name", flat=True)) == {
        "王组长",
        "孙组长",
    }
    assert meeting.group.kind == Group.Kind.OTHER
    assert meeting.group.sessions.count() > 5


def test_attendance_counts_and_gives_no_record_nor_quota(cast, term, leads):
    lead, math_lead, prep_lead = leads
    meeting = _meeting(cast, term)
    first, second = meeting.group.sessions.order_by("date")[:2]
    services.set_session_attendance(session=first, people=[lead, math_lead], by=cast.office)
    services.sign_in_session(session=first, person=prep_lead)
    assert services.close_session(session=first, by=cast.office) == 0
    services.set_session_attendance(session=second, people=[lead], by=cast.office)
    services.close_session(session=second, by=cast.office)
    assert not records_of(lead, "group_activity").exists()

    (row,) = meeting_attendance(cast.school, term)
    assert row.meeting == meeting and row.planned == meeting.group.sessions.count()
    assert (row.held, row.expected, row.attended) == (2, 6, 4)
    by_name = {m.person.name: m for m in row.members}
    assert by_name["孙组长"].rate == 0.5 and [s.pk for s in by_name["孙组长"].absences] == [
        second.pk
    ]
    mine = stats.attendance_of(math_lead, term)
    assert mine.meeting_attended == 1 and len(mine.meetings) == 2 and mine.sessions == []
    # the 教研组's statistics do not count it
    (group,) = stats.groups_attendance([cast.group], term.start, term.end)
    assert group.sessions == 0


def test_chairing_a_meeting_makes_no_one_owe_a_leads_quota(cast, term, leads):
    from keshi.records.models import ActivityKind
    from keshi.rules.engine import evaluate
    from keshi.rules.tests.factories import RequirementFactory

    chair = PersonFactory(org=cast.school, name="教科室主任")
    _meeting(cast, term, chair=chair)
    observation = ActivityKind.objects.get(org=None, code="observation")
    rule = RequirementFactory(org=cast.school, threshold=20, group_role=Membership.Role.LEAD,
                              kinds=[observation])  # fmt: skip  # 教研组长每学期听课不少于20节
    owing = {p for p, _ in evaluate(term=term, at=date(2025, 10, 1), requirements=[rule]).cells}
    assert owing == {p.pk for p in leads} and chair.pk not in owing


def test_only_attendees_sign_in(cast, term, leads, people):
    meeting = _meeting(cast, term)
    session = meeting.group.sessions.order_by("date").first()
    with pytest.raises(ValidationError, match="组长会"):
        services.sign_in_session(session=session, person=people(cast.teacher))
    assert not SessionAttendance.objects.exists()


def test_refresh_follows_who_leads_today(cast, term, leads):
    lead, math_lead, _prep = leads
    meeting = _meeting(cast, term, chair=PersonFactory(org=cast.school, name="教科室主任"))
    Membership.objects.filter(person=math_lead, group__name="数学组").update(end=date(2025, 10, 31))
    newcomer = PersonFactory(org=cast.school, name="吴组长")
    MembershipFactory(person=newcomer, group=Group.objects.get(name="数学组"),
                      role=Membership.Role.LEAD, start=date(2025, 11, 1))  # fmt: skip
    assert services_meetings.refresh_members(meeting=meeting, by=cast.office,
                                             today=date(2025, 11, 3)) == (1, 1)  # fmt: skip
    now = Membership.objects.current(date(2025, 11, 3)).filter(group=meeting.group)
    assert set(now.values_list("person__name", flat=True)) == {"王组长", "周组长", "吴组长",
                                                                "教科室主任"}  # fmt: skip
    ended = Membership.objects.get(group=meeting.group, person=math_lead)
    assert ended.end == date(2025, 11, 2)  # still expected at the sessions before


def test_named_people_and_refusals(cast, term, people):
    with pytest.raises(ValidationError):
        _meeting(cast, term, audience=Audience.PEOPLE, name="行政碰头会", people=[])
    outsider = people(cast.outsider)
    with pytest.raises(ValidationError, match="赵老师"):
        _meeting(cast, term, audience=Audience.PEOPLE, name="行政碰头会", people=[outsider])
    assert not Meeting.objects.exists() and not Group.objects.filter(name="行政碰头会").exists()
    meeting = _meeting(cast, term, audience=Audience.PEOPLE, name="行政碰头会",
                       people=[people(cast.lead)], every=Every.WEEK)  # fmt: skip
    with pytest.raises(ValidationError, match="行政碰头会"):
        _meeting(
            cast, term, audience=Audience.PEOPLE, name="行政碰头会", people=[people(cast.lead)]
        )
    with pytest.raises(ValidationError):
        services_meetings.refresh_members(meeting=meeting, by=cast.office)


# ---- pages -----------------------------------------------------------------------------------


def as_(client, user):
    client.force_login(user)
    return client


def _form(term, people=()):
    return {"name": "行政碰头会", "audience": "people", "people": [p.pk for p in people],
            "term": term.pk, "every": "week", "weekday": 0, "first_week": 1, "week_of_month": 1,
            "start_time": "07:40", "end_time": "08:20", "place": "校长室"}  # fmt: skip


def test_office_creates_a_meeting_from_the_page(client, cast, term, people):
    page = as_(client, cast.office).get(reverse("groupwork:meetings"))
    assert page.status_code == 200 and "还没有例会" in page.text
    response = client.post(reverse("groupwork:meeting_create"), _form(term, [people(cast.lead)]))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "groupwork:meeting", args=[meeting.pk]
    )
    assert meeting.group.schedules.get().every == Every.WEEK
    page = client.get(reverse("groupwork:meetings"))
    assert "行政碰头会" in page.text and "每周星期一" in page.text


@pytest.mark.parametrize("who", ["teacher", "lead", "leader", "district", "outsider"])
def test_only_the_office_creates_meetings(client, cast, term, people, who):
    c = as_(client, getattr(cast, who))
    assert c.get(reverse("groupwork:meeting_create")).status_code == 403
    assert (
        c.post(reverse("groupwork:meeting_create"), _form(term, [people(cast.lead)])).status_code
        == 403
    )
    assert not Meeting.objects.exists()


def test_schedule_page_refuses_a_teacher(client, cast, term):
    c = as_(client, cast.teacher)
    assert c.get(reverse("groupwork:schedule_create")).status_code == 403


def test_who_sees_a_meeting(client, cast, term, leads, people):
    meeting = _meeting(cast, term)
    url = reverse("groupwork:meeting", args=[meeting.pk])
    for who in ("office", "leader", "district", "lead"):  # readers of the school, an attendee
        page = as_(client, getattr(cast, who)).get(url)
        assert page.status_code == 200 and "组长会" in page.text, who
    assert "按现任组长更新参会人员" not in page.text  # the lead attends; the office manages
    for who in ("teacher", "outsider"):
        assert as_(client, getattr(cast, who)).get(url).status_code == 404, who
        listed = client.get(reverse("groupwork:meetings"))
        assert "组长会" not in listed.text and "没有您参加的例会" in listed.text
    other_school_office = UserFactory(username="office2")
    grant(other_school_office, cast.other_school, RoleGrant.Role.OFFICE)
    assert as_(client, other_school_office).get(url).status_code == 404
    post = client.post(reverse("groupwork:meeting_members", args=[meeting.pk]))
    assert post.status_code == 404


def test_members_change_only_by_the_office(client, cast, term, people):
    meeting = _meeting(cast, term, audience=Audience.PEOPLE, name="行政碰头会",
                       people=[people(cast.lead)])  # fmt: skip
    url = reverse("groupwork:meeting_members", args=[meeting.pk])
    teacher = people(cast.teacher)
    assert as_(client, cast.lead).post(url, {"people": [teacher.pk]}).status_code == 403
    assert as_(client, cast.leader).post(url, {"people": [teacher.pk]}).status_code == 403
    as_(client, cast.office).post(url, {"people": [people(cast.lead).pk, teacher.pk]})
    assert set(meeting.group.memberships.values_list("person__name", flat=True)) == {
        "王组长",
        "张老师",
    }


def test_statistics_pages_show_the_meeting(client, cast, term, leads, people):
    meeting = _meeting(cast, term)
    first = meeting.group.sessions.order_by("date").first()
    services.set_session_attendance(session=first, people=[leads[0]], by=cast.office)
    services.close_session(session=first, by=cast.office)
    page = as_(client, cast.office).get(reverse("groupwork:stats"), {"term": term.pk})
    part = page.text.split('id="meeting-stats"', 1)[1].split("</table>", 1)[0]
    assert "组长会" in part and "1 / 3" in part and "33%" in part
    assert "组长会</strong>" not in page.text  # not among the 教研组
    teacher = people(cast.teacher)
    own = _meeting(cast, term, audience=Audience.PEOPLE, name="行政碰头会", people=[teacher])
    services.close_session(session=own.group.sessions.order_by("date").first(), by=cast.office)
    mine = as_(client, cast.teacher).get(reverse("groupwork:stats"), {"term": term.pk})
    assert "例会 · 行政碰头会" in mine.text and "✗ 缺席" in mine.text
    assert "组长会" not in mine.text  # not hers


def test_the_create_page_takes_a_plans_clause(client, cast, term):
    page = as_(client, cast.office).get(reverse("groupwork:meeting_create"),
                                        {"name": "组长会", "every": "2weeks", "weekday": "3"})  # fmt: skip
    assert page.status_code == 200
    assert 'value="组长会"' in page.text
    assert '<option value="2weeks" selected>' in page.text
    assert '<option value="3" selected>' in page.text
    assert '<option value="group_leads" selected>' in page.text
    heads = client.get(reverse("groupwork:meeting_create"), {"name": "学科主任会"})
    assert '<option value="subject_leads" selected>' in heads.text
    bad = client.get(reverse("groupwork:meeting_create"), {"every": "daily"})
    assert '<option value="week" selected>' in bad.text


# ---- a 例会 that meets once (a 质量分析会) -----------------------------------------------------


def test_a_single_meeting_has_its_attendees_and_one_session_and_a_roll(cast, people):
    zhang, li = people(cast.teacher), people(cast.other_teacher)
    session = services_meetings.create_single_meeting(
        org=cast.school,
        name="《期中考试》质量分析会",
        people=[zhang, li],
        day=date(2025, 11, 20),
        start_time=time(15, 30),
        place="阶梯教室",
        by=cast.office,
    )
    meeting = Meeting.objects.get(group=session.group)
    assert meeting.audience == Audience.PEOPLE and not session.group.schedules.exists()
    assert session.topic == "《期中考试》质量分析会" and session.group.sessions.count() == 1
    roll = selectors.roll_of(session)
    assert (roll.expected, roll.present, roll.absent) == (2, [], [zhang, li])
    services.sign_in_session(session=session, person=li)
    roll = selectors.roll_of(session)
    assert (roll.present, roll.absent) == ([li], [zhang])
    assert services.close_session(session=session, by=cast.office) == 0
    # a second one of the same name on another day: its own group, named with the day
    again = services_meetings.create_single_meeting(
        org=cast.school,
        name="《期中考试》质量分析会",
        people=[zhang],
        day=date(2025, 11, 27),
        by=cast.office,
    )
    assert again.group.name == "《期中考试》质量分析会（2025-11-27）"
    with pytest.raises(ValidationError, match="参会人员"):
        services_meetings.create_single_meeting(
            org=cast.school, name="空会", people=[], day=date(2025, 11, 20), by=cast.office
        )
    outsider = people(cast.outsider)
    with pytest.raises(ValidationError, match="不是本单位的在职教师"):
        services_meetings.create_single_meeting(
            org=cast.school, name="别校", people=[outsider], day=date(2025, 11, 20), by=cast.office
        )
