"""Reads: period settings, the lessons an absence leaves uncovered, who is busy when, counts."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings as django_settings
from django.db.models import Count, Q, QuerySet

from keshi.calendar.holidays import DayCalendar
from keshi.calendar.models import Term
from keshi.cover import slots
from keshi.cover.models import Absence, Cover, CoverSettings, HomeroomDuty, TimetableEntry
from keshi.org.models import Org, Person
from keshi.org.scoping import visible

AWAY, TEACHING, COVERING = "away", "teaching", "covering"


def substitute_threshold() -> int:
    """KESHI_COVER_SUBSTITUTE_DAYS (default 3): this many school days away or more → 代课."""
    value = getattr(django_settings, "KESHI_COVER_SUBSTITUTE_DAYS", None)
    return int(value if value is not None else os.environ.get("KESHI_COVER_SUBSTITUTE_DAYS", 3))


def cover_settings(org: Org | int) -> CoverSettings:
    """The org's period settings, or the defaults (unsaved) when it has none."""
    org_id = org if isinstance(org, int) else org.pk
    found = CoverSettings.objects.filter(org_id=org_id).first()
    return found or CoverSettings(org_id=org_id)


class Slots:
    """Which weekday's timetable runs on a date, and in which term, for one org and date range."""

    def __init__(self, org: Org, start: date, end: date) -> None:
        self.settings = cover_settings(org)
        self.calendar = DayCalendar(start, end, org)
        self.terms = list(Term.objects.filter(school_year__org=org, start__lte=end, end__gte=start))

    def lesson_day(self, day: date) -> tuple[Term, int] | None:
        """(term, timetable weekday) when lessons run on ``day``, else None."""
        info = self.calendar.day(day)
        term = next((t for t in self.terms if t.start <= day <= t.end), None)
        if term is None or not info.is_workday:
            return None
        return term, slots.timetable_weekday(
            day, info.is_adjusted_workday, self.settings.makeup_weekday
        )


@dataclass
class Need:
    """One lesson the absent teacher misses on one date, and its cover if arranged."""

    entry: TimetableEntry
    date: date
    half: str
    cover: Cover | None = None
    busy: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.entry.pk}-{self.date:%Y%m%d}"


def lessons_to_cover(absence: Absence) -> list[Need]:
    """The absent teacher's lessons on the absent half-days that are school days."""
    org = absence.org
    days = Slots(org, absence.start_date, absence.end_date)
    entries = TimetableEntry.objects.filter(
        person_id=absence.person_id, term__in=days.terms
    ).order_by("period")
    by_slot: dict[tuple[int, int, str], list[TimetableEntry]] = defaultdict(list)
    for e in entries:
        by_slot[(e.term_id, e.weekday, days.settings.half_of(e.period))].append(e)
    needs = []
    for day, half in slots.half_days(
        absence.start_date, absence.start_half, absence.end_date, absence.end_half
    ):
        found = days.lesson_day(day)
        if found:
            term, weekday = found
            needs += [Need(e, day, half) for e in by_slot[(term.pk, weekday, half)]]
    if needs:
        live = Cover.objects.filter(
            entry_id__in={n.entry.pk for n in needs},
            date__gte=absence.start_date,
            date__lte=absence.end_date,
            status__in=Cover.LIVE,
        ).select_related("cover_person", "swap_entry")
        by_key = {(c.entry_id, c.date): c for c in live}
        for need in needs:
            need.cover = by_key.get((need.entry.pk, need.date))
    return needs


def homeroom_to_cover(absence: Absence) -> list[tuple[HomeroomDuty, Cover | None]]:
    duties = HomeroomDuty.objects.filter(
        person_id=absence.person_id,
        term__start__lte=absence.end_date,
        term__end__gte=absence.start_date,
    )
    live = {
        c.homeroom_id: c
        for c in absence.covers.filter(
            status__in=Cover.LIVE, homeroom__isnull=False
        ).select_related("cover_person")
    }
    return [(d, live.get(d.pk)) for d in duties]


def days_away(absence: Absence) -> int:
    """School days away for the 调课/代课 rule, summed over the spans with the same reference
    (a dispatch's several spans are one training)."""
    rows = [absence]
    if absence.reference:
        rows = list(
            Absence.objects.filter(person_id=absence.person_id, reference=absence.reference)
        )
    start = min(a.start_date for a in rows)
    end = max(a.end_date for a in rows)
    calendar = DayCalendar(start, end, absence.org)
    halves = [
        h for a in rows for h in slots.half_days(a.start_date, a.start_half, a.end_date, a.end_half)
    ]
    return slots.days_away(halves, calendar.is_workday)


def cover_kind(absence: Absence) -> str:
    if slots.needs_substitute(days_away(absence), substitute_threshold()):
        return Cover.Kind.SUBSTITUTE
    return Cover.Kind.SWAP


Busy = dict[int, list[tuple[str, str, int | None]]]  # person id → [(why, message, cover pk)]


def busy_at(org: Org, wanted: set[tuple[date, int]]) -> dict[tuple[date, int], Busy]:
    """For each (date, 节次): who of ``org`` cannot simply take a lesson then, and why: away
    (``AWAY``), teaching (``TEACHING``) or covering (``COVERING``, with the cover's pk).
    A handful of queries whatever the number of slots."""
    result: dict[tuple[date, int], Busy] = {slot: defaultdict(list) for slot in wanted}
    if not wanted:
        return result
    start, end = min(d for d, _p in wanted), max(d for d, _p in wanted)
    days = Slots(org, start, end)
    lesson_days = {d: days.lesson_day(d) for d, _p in wanted}
    periods = {p for _d, p in wanted}
    entries = TimetableEntry.objects.filter(
        org=org, term__in=days.terms, period__in=periods
    ).values_list("person_id", "term_id", "weekday", "period", "class_name", "subject")
    teaching = defaultdict(list)
    for person_id, term_id, weekday, period, class_name, subject in entries:
        teaching[(term_id, weekday, period)].append((person_id, f"{class_name}{subject}"))
    absences = list(Absence.objects.filter(org=org, start_date__lte=end, end_date__gte=start))
    covers = (
        Cover.objects.filter(org=org, status__in=Cover.LIVE)
        .filter(
            Q(date__gte=start, date__lte=end, entry__period__in=periods)
            | Q(swap_date__gte=start, swap_date__lte=end, swap_entry__period__in=periods)
        )
        .select_related("entry", "swap_entry", "absence__person", "cover_person")
    )
    for (day, period), busy in result.items():
        half = days.settings.half_of(period)
        for a in absences:
            if a.covers_slot(day, half):
                busy[a.person_id].append((AWAY, f"该时段外出/请假（{a.title}）", None))
        found = lesson_days[day]
        if found:
            for person_id, what in teaching[(found[0].pk, found[1], period)]:
                busy[person_id].append((TEACHING, f"该节本人有课（{what}）", None))
        for c in covers:
            if c.date == day and c.entry and c.entry.period == period:
                what = f"{c.entry.class_name}{c.entry.subject}"
                busy[c.cover_person_id].append(
                    (COVERING, f"该节已{c.get_kind_display()}{c.absence.person}的{what}", c.pk)
                )
            if c.swap_date == day and c.swap_entry and c.swap_entry.period == period:
                busy[c.absence.person_id].append(
                    (
                        COVERING,
                        f"该节换上{c.swap_entry.class_name}的课（与{c.cover_person}调课）",
                        c.pk,
                    )
                )
    return result


def annotate_busy(org: Org, needs: list[Need]) -> None:
    busy = busy_at(org, {(n.date, n.entry.period) for n in needs})
    for need in needs:
        need.busy = busy[(need.date, need.entry.period)]


def cover_clashes(need: Need) -> list[str]:
    """Clashes of an arranged cover that arose after it was saved (its teacher since became
    busy or away), for the overview; the cover itself is not a clash."""
    if need.cover is None:
        return []
    reasons = need.busy.get(need.cover.cover_person_id, [])
    known = need.cover.warnings  # acknowledged when the cover was saved
    return [msg for _why, msg, pk in reasons if pk != need.cover.pk and msg not in known]


def colleagues(org: Org, exclude: Person | None = None) -> QuerySet[Person]:
    people = Person.objects.filter(org=org, active=True).order_by("name", "pk")
    return people.exclude(pk=exclude.pk) if exclude else people


def visible_absences(user, *, reference: str = "", q: str = "") -> QuerySet[Absence]:
    rows = visible(user, Absence.objects.select_related("person", "org"))
    if reference:
        rows = rows.filter(reference=reference)
    if q:
        rows = rows.filter(Q(person__name__icontains=q) | Q(title__icontains=q))
    return rows


def cover_counts(org: Org, term: Term) -> list[dict]:
    """Confirmed covers per cover teacher in ``term``: 调课节数, 代课节数, 班主任代理次数."""
    in_term = Q(date__gte=term.start, date__lte=term.end) | Q(
        date__isnull=True,
        absence__start_date__lte=term.end,
        absence__end_date__gte=term.start,
    )
    rows = (
        Cover.objects.filter(org=org, status=Cover.Status.CONFIRMED)
        .filter(in_term)
        .values("cover_person_id", "cover_person__name", "cover_person__staff_no")
        .annotate(
            swap=Count("pk", filter=Q(kind=Cover.Kind.SWAP)),
            substitute=Count("pk", filter=Q(kind=Cover.Kind.SUBSTITUTE)),
            homeroom=Count("pk", filter=Q(kind=Cover.Kind.HOMEROOM)),
        )
        .order_by("-substitute", "-swap", "cover_person__name")
    )
    return [
        {
            "person_id": r["cover_person_id"],
            "name": r["cover_person__name"],
            "staff_no": r["cover_person__staff_no"],
            "swap": r["swap"],
            "substitute": r["substitute"],
            "homeroom": r["homeroom"],
            "total": r["swap"] + r["substitute"],
        }
        for r in rows
    ]
