"""The published 每周工作安排 in the 行事历 feeds: a person's feed gets what concerns them (their
absences, the lessons they cover, their group's activities) and whatever concerns everyone; an
org's feed gets everything. Calendar items are already in the feed and are left out here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Event

from keshi.plans.models import CalendarFeed
from keshi.weekly import selectors
from keshi.weekly import sheet as sh
from keshi.weekly.models import WeekSchedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
KEEP_DAYS = 366  # weeks of terms that ended longer ago drop out of the feed


def events_for(feed: CalendarFeed, *, stamp: datetime | None = None) -> list[Event]:
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    since = timezone.localdate() - timedelta(days=KEEP_DAYS)
    schedules = (
        WeekSchedule.objects.filter(org_id=feed.org_id, published_at__isnull=False)
        .filter(term__end__gte=since)
        .select_related("org", "term__school_year")
    )
    events = []
    for schedule in schedules:
        week = selectors.week_of(schedule.term, schedule.week)
        if week is None:
            continue
        sheet = selectors.build_sheet(schedule.org, schedule.term, week, schedule)
        for day, line in sheet.lines():
            if line.kind == sh.CALENDAR or not _concerns(line, feed.person_id):
                continue
            if day is None and line.span is None:
                continue
            events.append(_event(line, day.date if day else None, sheet, stamp))
        for day in sheet.days:
            if day.note:
                events.append(_note_event(day, schedule, sheet, stamp))
    return events


def _concerns(line: sh.Line, person_id: int | None) -> bool:
    return person_id is None or not line.people or person_id in line.people


def _event(line: sh.Line, day: date | None, sheet: sh.Sheet, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{line.uid}@keshi")
    event.add("dtstamp", stamp)
    event.add("summary", line.text)
    if day is not None and line.start is not None:
        start = datetime.combine(day, line.start, SHANGHAI)
        end = datetime.combine(day, line.end, SHANGHAI) if line.end else start + timedelta(hours=1)
        event.add("dtstart", start)
        event.add("dtend", end)
    else:
        first, last = (day, day) if day is not None else line.span
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    lines = [f"{sheet.title}（{line.kind_label}）"]
    if line.when:
        lines.append(f"时间：{line.when}")
    event.add("description", "\n".join(lines + line.details))
    event.add("categories", ["每周工作安排"])
    return event


def _note_event(day: sh.Day, schedule: WeekSchedule, sheet: sh.Sheet, stamp) -> Event:
    event = Event()
    event.add("uid", f"weekly-note-{schedule.pk}-{day.date:%Y%m%d}@keshi")
    event.add("dtstamp", stamp)
    event.add("summary", f"工作安排：{day.note.splitlines()[0][:40]}")
    event.add("dtstart", day.date)
    event.add("dtend", day.date + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("description", f"{sheet.title}\n{day.note}")
    event.add("categories", ["每周工作安排"])
    return event
