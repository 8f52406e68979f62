"""教研活动: schedules over teaching weeks, sign-in lists, closing into records."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from keshi.groupwork import services, stats
from keshi.groupwork.models import Session, SessionAttendance
from keshi.groupwork.tests.conftest import records_of
from keshi.org.tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_schedule_generates_one_session_per_teaching_week_skipping_holidays(cast, term):
    schedule = services.create_schedule(
        group=cast.group,
        term=term,
        weekday=2,  # 星期三
        start_time=time(15, 30),
        end_time=time(17, 0),
        place="语文组办公室",
        by=cast.lead,
    )
    dates = list(schedule.sessions.order_by("date").values_list("date", flat=True))
    assert all(d.weekday() == 2 and term.start <= d <= term.end for d in dates)
    assert date(2025, 9, 3) in dates and date(2025, 10, 15) in dates
    assert date(2025, 10, 1) not in dates and date(2025, 10, 8) not in dates  # 国庆节
    assert date(2026, 1, 1) not in dates  # 元旦 (a Thursday: not our weekday, but close)
    weeks = {(d - term.start).days // 7 for d in dates}
    assert len(weeks) == len(dates), "one session a week"
    session = schedule.sessions.get(date=date(2025, 9, 10))
    assert (session.place, session.start_time) == ("语文组办公室", time(15, 30))
    assert services.generate_sessions(schedule=schedule) == 0, "generating again adds nothing"


def test_schedule_refuses_end_before_start(cast, term):
    with pytest.raises(ValidationError):
        services.create_schedule(
            group=cast.group,
            term=term,
            weekday=2,
            start_time=time(17, 0),
            end_time=time(15, 0),
            place="x",
            by=cast.lead,
        )
    assert not Session.objects.exists()


def test_close_creates_one_group_activity_record_per_attendee_idempotently(cast, session, people):
    teacher, other = people(cast.teacher), people(cast.other_teacher)
    services.set_session_attendance(session=session, people=[teacher, other], by=cast.lead)
    assert services.close_session(session=session, by=cast.lead) == 2
    assert services.close_session(session=session, by=cast.lead) == 0
    record = records_of(teacher, "group_activity").get()
    assert record.date == session.date and record.title == "整本书阅读教学研讨"
    assert record.data["place"] == "语文组办公室" and record.data["host"] == "王组长"
    assert records_of(other, "group_activity").count() == 1
    assert not records_of(people(cast.lead), "group_activity").exists(), "the lead was absent"


def test_attendance_cannot_change_while_closed(cast, session, people):
    services.close_session(session=session, by=cast.lead)
    with pytest.raises(ValidationError):
        services.set_session_attendance(
            session=session, people=[people(cast.teacher)], by=cast.lead
        )


def test_reopening_and_removing_an_attendee_removes_their_record(cast, session, people):
    teacher, other = people(cast.teacher), people(cast.other_teacher)
    services.set_session_attendance(session=session, people=[teacher, other], by=cast.lead)
    services.close_session(session=session, by=cast.lead)
    services.reopen_session(session=session, by=cast.lead)
    services.set_session_attendance(session=session, people=[other], by=cast.lead)
    assert not records_of(teacher, "group_activity").exists()
    assert records_of(other, "group_activity").count() == 1
    assert services.close_session(session=session, by=cast.lead) == 0


def test_only_members_can_be_ticked(cast, session):
    stranger = PersonFactory(org=cast.school, name="钱老师")
    with pytest.raises(ValidationError, match="钱老师"):
        services.set_session_attendance(session=session, people=[stranger], by=cast.lead)
    assert not SessionAttendance.objects.exists()


def test_attendance_statistics_per_member_and_group(cast, term, people):
    teacher, other, lead = people(cast.teacher), people(cast.other_teacher), people(cast.lead)
    late = PersonFactory(org=cast.school, name="新老师")
    MembershipFactory(person=late, group=cast.group, start=date(2025, 10, 1))
    days = [date(2025, 9, 10), date(2025, 9, 17), date(2025, 10, 15)]
    for i, day in enumerate(days):
        s = services.save_session(group=cast.group, by=cast.lead, date=day, topic=f"第{i}次")
        present = [lead, teacher] + ([other] if i == 0 else []) + ([late] if i == 2 else [])
        services.set_session_attendance(session=s, people=present, by=cast.lead)
        services.close_session(session=s, by=cast.lead)
    services.save_session(group=cast.group, by=cast.lead, date=date(2025, 10, 22))  # still open
    (group,) = stats.groups_attendance([cast.group], term.start, term.end)
    by_name = {m.person.name: m for m in group.members}
    assert group.sessions == 3
    assert (by_name["李老师"].expected, by_name["李老师"].attended) == (3, 1)
    assert [s.date for s in by_name["李老师"].absences] == days[1:]
    assert (by_name["新老师"].expected, by_name["新老师"].attended) == (1, 1)
    assert by_name["张老师"].rate == 1
    assert (group.expected, group.attended, group.absences) == (10, 8, 2)
    mine = stats.attendance_of(other, term)
    assert len(mine.sessions) == 3 and mine.session_attended == 1
    assert [s.date for s in mine.session_absences] == days[1:]
