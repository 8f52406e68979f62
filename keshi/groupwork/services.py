"""Writes for 教研活动, 校本研修 and open classes. Records go through keshi.records.services.

The three share one attendance pattern: attendance rows (ticked by the lead, or signed in by
the member through the QR page) and, once the event is closed (or the hours granted), one
activity record per attendee, remembered on the row. Closing again finds every row already
recorded and creates nothing; removing an attendee removes their record with them.
"""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.calendar.models import Term
from keshi.calendar.selectors import teaching_weeks, term_day_calendar
from keshi.groupwork import selectors
from keshi.groupwork.attendance import (
    delete_file,
    kind_for,
    record_rows,
    set_attendees,
    sign_in,
    store_file,
)
from keshi.groupwork.models import (
    Every,
    Meeting,
    Schedule,
    Session,
    SessionAttendance,
    SessionFile,
)
from keshi.groupwork.recurrence import falls_on
from keshi.org.models import Group, Person
from keshi.records import services as records
from keshi.records.models import Activity

# ---- schedules and sessions ----------------------------------------------------------------


@transaction.atomic
def create_schedule(
    *,
    group: Group,
    term: Term,
    weekday: int,
    start_time: time,
    end_time: time,
    place: str,
    plan: str = "",
    every: str = Every.WEEK,
    first_week: int = 1,
    week_of_month: int = 1,
    by,
) -> Schedule:
    if term.school_year.org_id != group.org_id:
        raise ValidationError({"term": _("学期不属于该组所在单位。")})
    if end_time <= start_time:
        raise ValidationError({"end_time": _("结束时间必须晚于开始时间。")})
    schedule = Schedule(
        org_id=group.org_id,
        group=group,
        term=term,
        weekday=weekday,
        every=every,
        first_week=first_week,
        week_of_month=week_of_month,
        start_time=start_time,
        end_time=end_time,
        place=place.strip(),
        plan=plan.strip(),
        created_by=by,
    )
    schedule.full_clean(exclude=["created_by"])
    schedule.save()
    generate_sessions(schedule=schedule)
    return schedule


def schedule_dates(schedule: Schedule, today: date | None = None) -> list[date]:
    """The schedule's weekday in the teaching weeks it meets in (every week, every other week
    or once a month, keshi.groupwork.recurrence), skipping days that are not workdays
    (holidays and their weeks), and, when ``today`` is given, days before it."""
    term = schedule.term
    days = term_day_calendar(term)
    result = []
    for week in teaching_weeks(term, days):
        cell = week.days[schedule.weekday]
        if cell is None or not cell.is_workday:
            continue
        if not falls_on(
            schedule.every,
            week=week.number,
            day=cell.date,
            first_week=schedule.first_week,
            week_of_month=schedule.week_of_month,
        ):
            continue
        if today is not None and cell.date < today:
            continue
        result.append(cell.date)
    return result


@transaction.atomic
def generate_sessions(*, schedule: Schedule, today: date | None = None) -> int:
    """Create the missing sessions of the schedule (idempotent); the number created."""
    existing = set(schedule.sessions.values_list("date", flat=True))
    new = [
        Session(
            org_id=schedule.org_id,
            group_id=schedule.group_id,
            schedule=schedule,
            date=day,
            start_time=schedule.start_time,
            end_time=schedule.end_time,
            place=schedule.place,
        )
        for day in schedule_dates(schedule, today)
        if day not in existing
    ]
    for session in new:  # save() rather than bulk_create: the history wants every row
        session.save()
    return len(new)


SESSION_FIELDS = ("date", "start_time", "end_time", "place", "topic", "host", "minutes")


@transaction.atomic
def save_session(*, group: Group, by, session: Session | None = None, **values) -> Session:
    session = session or Session(org_id=group.org_id, group=group)
    for name, value in values.items():
        if name not in SESSION_FIELDS:
            raise TypeError(name)
        setattr(session, name, value)
    if session.start_time and session.end_time and session.end_time <= session.start_time:
        raise ValidationError({"end_time": _("结束时间必须晚于开始时间。")})
    if session.host_id and session.host.org_id != group.org_id:
        raise ValidationError({"host": _("主持人须是本单位的教师。")})
    session.full_clean()
    session.save()
    return session


def _check_session_people(session: Session, people: list[Person]) -> None:
    members = set(selectors.members_of(session.group, session.date).values_list("pk", flat=True))
    outsiders = [p.name for p in people if p.pk not in members]
    if outsiders:
        raise ValidationError(_("不是本组成员：%(names)s") % {"names": "、".join(outsiders)})


@transaction.atomic
def set_session_attendance(*, session: Session, people: list[Person], by) -> None:
    if session.is_closed:
        raise ValidationError(_("活动已结束，请先重新开启再修改签到。"))
    _check_session_people(session, people)
    set_attendees(session.attendances.all(), SessionAttendance, {"session": session}, people, by)


@transaction.atomic
def sign_in_session(*, session: Session, person: Person) -> SessionAttendance:
    if person.org_id != session.org_id:
        raise ValidationError(_("您不是本单位的教师，不能签到。"))
    if session.is_closed:
        raise ValidationError(_("活动已结束，签到已关闭。"))
    if not selectors.members_of(session.group, session.date).filter(pk=person.pk).exists():
        raise ValidationError(
            _("您不是%(group)s的成员，不能签到这次活动。") % {"group": session.group.name}
        )
    return sign_in(SessionAttendance, {"session": session}, person)


@transaction.atomic
def close_session(*, session: Session, by) -> int:
    """End the session: every attendee gets a 教研活动 record (once). The number created.
    A 例会 gives none: its attendance is counted as it is, not as anyone's 教研活动."""
    given, session = session, Session.objects.select_for_update().get(pk=session.pk)
    if Meeting.objects.filter(group_id=session.group_id).exists():
        if session.closed_at is None:
            session.closed_at = timezone.now()
            session.save(update_fields=["closed_at"])
        given.closed_at = session.closed_at
        return 0
    kind = kind_for(session.org, "group_activity")
    data = {"place": session.place, "host": session.host.name if session.host else ""}
    data["session"] = session.pk

    def make(person: Person) -> Activity:
        title = session.topic or _("%(group)s教研活动") % {"group": session.group.name}
        return records.record_activity(
            person=person, kind=kind, by=by, on=session.date, title=title, data=data
        )

    created = record_rows(session.attendances.all(), make)
    if session.closed_at is None:
        session.closed_at = timezone.now()
        session.save(update_fields=["closed_at"])
    given.closed_at = session.closed_at
    return created


@transaction.atomic
def reopen_session(*, session: Session, by) -> None:
    session.closed_at = None
    session.save(update_fields=["closed_at"])


def add_session_file(*, session: Session, name: str, data: bytes, content_type: str):
    """``data`` was checked by keshi.records.uploads (the form does it)."""
    row = SessionFile(session=session)
    store_file(row, name, data, content_type)
    return row


def delete_session_file(*, row: SessionFile) -> None:
    delete_file(row=row)
