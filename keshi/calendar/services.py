"""Writes for school years and terms.

A school keeps 学年 (9月–次年8月, two terms); a hospital keeps 年度 (the calendar year, one term
covering it: ``uses_calendar_years``). ``create_school_year`` makes the shape the org keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keshi.calendar import periods
from keshi.calendar.models import SchoolYear, Term
from keshi.org.models import Org

# 春节 (正月初一) by Gregorian date: a lunar date has no formula worth carrying here.
SPRING_FESTIVAL = {
    2004: date(2004, 1, 22), 2005: date(2005, 2, 9), 2006: date(2006, 1, 29),
    2007: date(2007, 2, 18), 2008: date(2008, 2, 7), 2009: date(2009, 1, 26),
    2010: date(2010, 2, 14), 2011: date(2011, 2, 3), 2012: date(2012, 1, 23),
    2013: date(2013, 2, 10), 2014: date(2014, 1, 31), 2015: date(2015, 2, 19),
    2016: date(2016, 2, 8), 2017: date(2017, 1, 28), 2018: date(2018, 2, 16),
    2019: date(2019, 2, 5), 2020: date(2020, 1, 25), 2021: date(2021, 2, 12),
    2022: date(2022, 2, 1), 2023: date(2023, 1, 22), 2024: date(2024, 2, 10),
    2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
    2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
    2031: date(2031, 1, 23), 2032: date(2032, 2, 11), 2033: date(2033, 1, 31),
    2034: date(2034, 2, 19), 2035: date(2035, 2, 8), 2036: date(2036, 1, 28),
    2037: date(2037, 2, 15), 2038: date(2038, 2, 4), 2039: date(2039, 1, 24),
    2040: date(2040, 2, 12),
}  # fmt: skip


@dataclass(frozen=True)
class TermDates:
    first: tuple[date, date]
    second: tuple[date, date]


def spring_festival(year: int) -> date:
    """正月初一 of ``year``; outside the table, 5 February (the middle of its range)."""
    return SPRING_FESTIVAL.get(year, date(year, 2, 5))


def _sunday_on_or_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def default_term_dates(start_year: int, first_start: date | None = None) -> TermDates:
    """Usual dates, to be corrected by the office.

    第一学期: the first Monday of September (or ``first_start``) to the last Sunday at least a
    week before 春节 and not after 31 January. 第二学期: the first Monday at least two weeks after
    春节 to the first Sunday of July.
    """
    first_start = first_start or periods.nth_weekday_of_month(start_year, 9, periods.MONDAY, 1)
    sf = spring_festival(start_year + 1)
    first_end = min(
        _sunday_on_or_before(sf - timedelta(days=7)),
        _sunday_on_or_before(date(start_year + 1, 1, 31)),
    )
    second_start = _monday_on_or_after(sf + timedelta(days=14))
    second_end = periods.nth_weekday_of_month(start_year + 1, 7, periods.SUNDAY, 1)
    return TermDates((first_start, first_end), (second_start, second_end))


# Org kinds that work in calendar years (#24): their plan is annual, their months are the year's.
CALENDAR_YEAR_KINDS = (Org.Kind.HOSPITAL,)


def uses_calendar_years(org: Org) -> bool:
    return org.kind in CALENDAR_YEAR_KINDS


def year_of(org: Org, day: date) -> int:
    """The ``start_year`` of the year of ``org`` holding ``day``: 2026 for 2026年度 (a hospital)
    and for 2026—2027学年 (a school, from 1 September)."""
    return day.year if uses_calendar_years(org) else periods.school_year_of(day)


def calendar_year_dates(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@transaction.atomic
def create_calendar_year(*, org: Org, year: int) -> SchoolYear:
    """年度 1月1日–12月31日 with one term (number 1) covering it: a hospital's year.

    Raises ``ValidationError`` (Chinese messages) for a year that exists or overlaps another."""
    if SchoolYear.objects.filter(org=org, start_year=year).exists():
        raise ValidationError(_("%(org)s已有%(year)d年度。") % {"org": org, "year": year})
    start, end = calendar_year_dates(year)
    school_year = SchoolYear(org=org, start_year=year, start=start, end=end)
    school_year.full_clean()
    school_year.save()
    term = Term(school_year=school_year, number=Term.Number.FIRST, start=start, end=end)
    term.full_clean()
    term.save()
    return school_year


@transaction.atomic
def create_school_year(
    *,
    org: Org,
    start_year: int,
    first_start: date | None = None,
    first_end: date | None = None,
    second_start: date | None = None,
    second_end: date | None = None,
) -> SchoolYear:
    """学年 9月1日–次年8月31日 with its two terms; missing term dates take the defaults. For an
    org that keeps calendar years (a hospital) the 年度 ``start_year`` instead
    (:func:`create_calendar_year`), which has no term dates to give.

    Raises ``ValidationError`` (Chinese messages) for a year that exists, terms outside the year,
    terms that overlap each other or another term of the org.
    """
    if uses_calendar_years(org):
        if any((first_start, first_end, second_start, second_end)):
            raise ValueError("a calendar year's only term is the whole year: no term dates")
        return create_calendar_year(org=org, year=start_year)
    if SchoolYear.objects.filter(org=org, start_year=start_year).exists():
        raise ValidationError(
            _("%(org)s已有%(year)d—%(next)d学年。")
            % {"org": org, "year": start_year, "next": start_year + 1}
        )
    defaults = default_term_dates(start_year, first_start)
    year = SchoolYear(
        org=org,
        start_year=start_year,
        start=date(start_year, 9, 1),
        end=date(start_year + 1, 8, 31),
    )
    year.full_clean()
    year.save()
    first = Term(
        school_year=year,
        number=Term.Number.FIRST,
        start=first_start or defaults.first[0],
        end=first_end or defaults.first[1],
    )
    second = Term(
        school_year=year,
        number=Term.Number.SECOND,
        start=second_start or defaults.second[0],
        end=second_end or defaults.second[1],
    )
    for term in (first, second):
        term.full_clean()
        term.save()
    return year


@transaction.atomic
def update_term(*, term: Term, start: date, end: date) -> Term:
    term.start, term.end = start, end
    term.full_clean()
    term.save()
    return term
