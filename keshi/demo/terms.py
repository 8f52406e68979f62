"""Term dates for the demo school, by a fixed rule. Pure: no Django.

第一学期 opens on 1 September (the Monday after, if that is a weekend) and ends on the Friday of
its 21st teaching week; 第二学期 opens on the Monday four weeks after that and ends on the Friday
of its 19th week. For 2026—2027 that gives 2026-09-01 … 2027-01-22 and 2027-02-22 … 2027-07-02.
"""

from dataclasses import dataclass
from datetime import date, timedelta

FIRST_TERM_WEEKS = 21
SECOND_TERM_WEEKS = 19
WINTER_BREAK_WEEKS = 4


@dataclass(frozen=True)
class TermDates:
    number: int
    start: date
    end: date


@dataclass(frozen=True)
class SchoolYearDates:
    start_year: int
    start: date
    end: date
    terms: tuple[TermDates, TermDates]


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _friday_of_week(start: date, week: int) -> date:
    return _monday(start) + timedelta(weeks=week - 1, days=4)


def school_year_dates(start_year: int) -> SchoolYearDates:
    first_start = date(start_year, 9, 1)
    if first_start.weekday() >= 5:
        first_start = _monday(first_start) + timedelta(weeks=1)
    first_end = _friday_of_week(first_start, FIRST_TERM_WEEKS)
    second_start = _monday(first_end) + timedelta(weeks=1 + WINTER_BREAK_WEEKS)
    second_end = _friday_of_week(second_start, SECOND_TERM_WEEKS)
    return SchoolYearDates(
        start_year=start_year,
        start=date(start_year, 9, 1),
        end=date(start_year + 1, 8, 31),
        terms=(TermDates(1, first_start, first_end), TermDates(2, second_start, second_end)),
    )


def demo_start_years(today: date) -> list[int]:
    """The school years the demo needs on ``today``: the previous and the current one, and the
    next one during the summer break so that there is always a current or coming term."""
    current = today.year if today.month >= 9 else today.year - 1
    years = [current - 1, current]
    if today > school_year_dates(current).terms[1].end:
        years.append(current + 1)
    return years
