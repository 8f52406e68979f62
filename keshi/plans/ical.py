"""The 行事历 as an iCalendar feed (RFC 5545) built with the ``icalendar`` package.

Every event is all-day: a dated item from its date to its end date, a 第N周 item over that
week's Monday–Friday, a month-only item on the 1st with its title prefixed 「（本月）」. UIDs
depend only on the item's id, so a phone updates events in place when the plan changes.

iCalendar text may hold no control character but tab (RFC 5545 TSAFE-CHAR; icalendar escapes
line breaks as ``\n``): the feed drops those that stored titles and names may still hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone

from keshi.documents.text import strip_control_chars
from keshi.plans.calendar_selectors import MONTH, Placement
from keshi.plans.models import CalendarItem

TZID = "Asia/Shanghai"
PRODID = "-//keshi//行事历//ZH"
MONTH_PREFIX = "（本月）"
ICAL_STATUS = {
    CalendarItem.Status.PLANNED: "CONFIRMED",
    CalendarItem.Status.DONE: "CONFIRMED",
    CalendarItem.Status.POSTPONED: "TENTATIVE",
    CalendarItem.Status.CANCELLED: "CANCELLED",
}


def item_uid(item: CalendarItem) -> str:
    return f"calendaritem-{item.pk}@keshi"


def item_event(item: CalendarItem, placement: Placement, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item_uid(item))
    event.add("dtstamp", stamp)
    title = item.title
    if placement.kind == MONTH:
        title = MONTH_PREFIX + title
        start = end = placement.start
    else:
        start, end = placement.start, placement.end
    event.add("summary", title)
    event.add("dtstart", start)
    event.add("dtend", end + timedelta(days=1))  # DTEND of an all-day event is exclusive
    event.add("transp", "TRANSPARENT")
    event.add("status", ICAL_STATUS[item.status])
    event.add("description", _description(item, placement))
    event.add("categories", ["行事历"])
    return event


def _description(item: CalendarItem, placement: Placement) -> str:
    lines = [f"时间：{placement.label}"]
    owners = "、".join(p.name for p in item.owners.all())
    if owners:
        lines.append(f"负责人：{owners}")
    if item.group_id:
        lines.append(f"负责组：{item.group.name}")
    status = item.get_status_display()
    lines.append(f"状态：{status}" + (f"（{item.reason}）" if item.reason else ""))
    lines.append(f"计划：{item.plan.title}")
    return "\n".join(lines)


def build_calendar(
    name: str,
    entries: Iterable[tuple[CalendarItem, Placement]],
    *,
    stamp: datetime | None = None,
    extra: Iterable[Event] = (),
) -> bytes:
    """The feed: the calendar items, then ``extra`` events (the published 每周工作安排)."""
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    cal.add_component(Timezone.from_tzid(TZID))
    for item, placement in entries:
        cal.add_component(item_event(item, placement, stamp))
    for event in extra:
        cal.add_component(event)
    # After serialising, so that every property of every event (weekly's too) is covered; the
    # CR LF line ends and the escaped line breaks are not control characters to drop.
    return strip_control_chars(cal.to_ical().decode()).encode()
