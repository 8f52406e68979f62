"""Period arithmetic for work-plan rules. Pure: no Django.

A rule such as 每周至少听课4节 or 每月最后一周星期五前提交 is counted per *period*. The compliance
engine asks two questions of this module: which period holds a date (:func:`period_containing`),
and which periods — with their deadlines — make up a term (:func:`periods_overlapping`,
:func:`deadlines`). All periods are closed date ranges: ``start`` and ``end`` both belong.

Kinds:

* ``day``; ``week`` (Monday–Sunday); ``two_weeks`` (隔周/每两周: Monday-aligned fortnights counted
  from an anchor, normally the term's first Monday);
* ``month``; ``half_year`` (1–6月, 7–12月); ``term`` (the given term, no other);
* ``school_year`` (9月1日–次年8月31日 by default).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

ONE_DAY = timedelta(days=1)
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
SCHOOL_YEAR_START = (9, 1)
# Searching for a working day gives up after this many days: no real calendar has a longer
# break, so a longer search means the predicate is wrong.
_MAX_SEARCH_DAYS = 400


class Kind(StrEnum):
    DAY = "day"
    WEEK = "week"
    TWO_WEEKS = "two_weeks"
    MONTH = "month"
    HALF_YEAR = "half_year"
    TERM = "term"
    SCHOOL_YEAR = "school_year"


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start}..{self.end}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __len__(self) -> int:
        return (self.end - self.start).days + 1

    def days(self) -> Iterator[date]:
        day = self.start
        while day <= self.end:
            yield day
            day += ONE_DAY

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end

    def clip(self, start: date, end: date) -> Period | None:
        """The part of this period inside ``start..end`` (None if they do not meet)."""
        if not self.overlaps(start, end):
            return None
        return Period(max(self.start, start), min(self.end, end))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def school_year_of(day: date, *, starts: tuple[int, int] = SCHOOL_YEAR_START) -> int:
    """The start year of the school year holding ``day`` (2025 for 2025—2026学年)."""
    return day.year if (day.month, day.day) >= starts else day.year - 1


def _add_years(year: int, month: int, day: int) -> date:
    # 29 February as a school-year start falls back to 28 February in common years.
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def period_containing(
    kind: Kind | str,
    day: date,
    *,
    anchor: date | None = None,
    term: tuple[date, date] | None = None,
    school_year_start: tuple[int, int] = SCHOOL_YEAR_START,
) -> Period:
    """The period of ``kind`` holding ``day``.

    ``two_weeks`` counts fortnights from the Monday of ``anchor`` (default: the Monday of the
    term's first week). ``term`` needs ``term=(start, end)`` and raises ``ValueError`` for a day
    outside it.
    """
    kind = Kind(kind)
    if kind is Kind.DAY:
        return Period(day, day)
    if kind is Kind.WEEK:
        monday = monday_of(day)
        return Period(monday, monday + timedelta(days=6))
    if kind is Kind.TWO_WEEKS:
        if anchor is None:
            if term is None:
                raise ValueError("two_weeks needs an anchor or a term")
            anchor = term[0]
        origin = monday_of(anchor)
        start = origin + timedelta(days=14 * ((day - origin).days // 14))
        return Period(start, start + timedelta(days=13))
    if kind is Kind.MONTH:
        return Period(day.replace(day=1), month_end(day.year, day.month))
    if kind is Kind.HALF_YEAR:
        if day.month <= 6:
            return Period(date(day.year, 1, 1), date(day.year, 6, 30))
        return Period(date(day.year, 7, 1), date(day.year, 12, 31))
    if kind is Kind.TERM:
        if term is None:
            raise ValueError("term periods need term=(start, end)")
        period = Period(*term)
        if day not in period:
            raise ValueError(f"{day} is outside the term {term[0]}..{term[1]}")
        return period
    year = school_year_of(day, starts=school_year_start)
    start = _add_years(year, *school_year_start)
    return Period(start, _add_years(year + 1, *school_year_start) - ONE_DAY)


def periods_overlapping(
    kind: Kind | str,
    start: date,
    end: date,
    *,
    anchor: date | None = None,
    term: tuple[date, date] | None = None,
    school_year_start: tuple[int, int] = SCHOOL_YEAR_START,
) -> Iterator[Period]:
    """Every period of ``kind`` that shares at least one day with ``start..end``, in order.

    The periods are whole (not clipped); use :meth:`Period.clip` for the part in the range.
    """
    kind = Kind(kind)
    if kind is Kind.TERM:
        if term is None:
            raise ValueError("term periods need term=(start, end)")
        if Period(*term).overlaps(start, end):
            yield Period(*term)
        return
    day = start
    while day <= end:
        period = period_containing(
            kind, day, anchor=anchor, term=term, school_year_start=school_year_start
        )
        yield period
        day = period.end + ONE_DAY


def nth_weekday_of_month(year: int, month: int, weekday: int, n: int) -> date | None:
    """The ``n``-th ``weekday`` (0 = Monday) of the month; ``n=-1`` is the last, ``-2`` the one
    before. None when the month has no such day (a fifth Monday, say)."""
    if n == 0:
        raise ValueError("n counts from 1 (or from -1 for the last)")
    if n > 0:
        first = date(year, month, 1)
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    else:
        last = month_end(year, month)
        day = last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))
    return day if day.month == month and day.year == year else None


def last_weekday_of_month(year: int, month: int, weekday: int) -> date:
    """每月最后一个星期五 and the like."""
    day = nth_weekday_of_month(year, month, weekday, -1)
    assert day is not None  # every weekday occurs at least four times a month
    return day


def last_week_of_month(year: int, month: int) -> Period:
    """每月最后一周 as the plans use it: the last Monday–Sunday week whose Friday lies in the month.

    So 每月最后一周星期五前 is always the month's last Friday, and a month ending on a Monday to
    Thursday does not push the deadline into the next month.
    """
    friday = last_weekday_of_month(year, month, FRIDAY)
    return period_containing(Kind.WEEK, friday)


def previous_workday(
    day: date, is_workday: Callable[[date], bool], *, inclusive: bool = False
) -> date:
    """The last working day before ``day`` (on or before it with ``inclusive=True``)."""
    return _search(day if inclusive else day - ONE_DAY, is_workday, -ONE_DAY)


def next_workday(day: date, is_workday: Callable[[date], bool], *, inclusive: bool = False) -> date:
    """The first working day after ``day`` (on or after it with ``inclusive=True``)."""
    return _search(day if inclusive else day + ONE_DAY, is_workday, ONE_DAY)


def _search(day: date, is_workday: Callable[[date], bool], step: timedelta) -> date:
    for _ in range(_MAX_SEARCH_DAYS):
        if is_workday(day):
            return day
        day += step
    raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days of {day}")


def teaching_week_number(term_start: date, day: date) -> int:
    """第N周 of ``day``: week 1 is the Monday–Sunday week holding ``term_start``.

    Days before that week give 0 or negative numbers; callers decide whether that is an error.
    """
    return (monday_of(day) - monday_of(term_start)).days // 7 + 1


def teaching_weeks(term_start: date, term_end: date) -> list[tuple[int, Period]]:
    """(number, Monday–Sunday week) for every week of the term, 第1周 first."""
    weeks = periods_overlapping(Kind.WEEK, term_start, term_end)
    return [(n, week) for n, week in enumerate(weeks, start=1)]


@dataclass(frozen=True)
class Deadline:
    period: Period  # the part of the period inside the term
    due: date


def deadlines(
    kind: Kind | str,
    term: tuple[date, date],
    *,
    weekday: int | None = None,
    is_workday: Callable[[date], bool] | None = None,
    anchor: date | None = None,
    school_year_start: tuple[int, int] = SCHOOL_YEAR_START,
) -> list[Deadline]:
    """The deadline of each period of ``kind`` in the term.

    By default a period is due on its last day inside the term. ``weekday`` moves the deadline
    to the last such weekday in the period (``kind="month", weekday=FRIDAY`` is
    每月最后一周星期五前); ``is_workday`` then moves a deadline that falls on a rest day back to
    the previous working day inside the period (it stays put if the period has none).
    """
    result = []
    for whole in periods_overlapping(
        kind, *term, anchor=anchor, term=term, school_year_start=school_year_start
    ):
        part = whole.clip(*term)
        assert part is not None
        due = part.end
        if weekday is not None:
            due = due - timedelta(days=(due.weekday() - weekday) % 7)
            if due < part.start:
                continue  # the weekday does not occur in this slice of the period
        if is_workday is not None and not is_workday(due):
            earlier = due - ONE_DAY
            while earlier >= part.start and not is_workday(earlier):
                earlier -= ONE_DAY
            if earlier >= part.start:
                due = earlier
        result.append(Deadline(part, due))
    return result
