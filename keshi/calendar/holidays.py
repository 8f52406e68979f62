"""Workdays, holidays and 调休 working days: the ``chinese-calendar`` package plus ``DayOverride``.

Precedence for a date, first match wins: an override of the org itself, then of its nearest
ancestor, …, then a global override (org empty), then the package, then — for a year the package
does not cover — Monday to Friday are working days and a warning says the year is not covered.
A year counts as covered when the package has it or any applicable override falls in it.

Build a :class:`DayCalendar` for a date range (a term) and ask it about each day: it reads the
overrides in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import chinese_calendar
from django.db.models import Q
from django.utils.translation import gettext as _

from keshi.calendar.models import DayOverride
from keshi.org.models import Org

# The package names holidays in English; these are the names on a Chinese school calendar.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
}


class DayKind(StrEnum):
    WORKDAY = "workday"  # an ordinary working day
    WEEKEND = "weekend"  # an ordinary Saturday or Sunday
    HOLIDAY = "holiday"  # 法定节假日 (or 放假 by override)
    ADJUSTED_WORKDAY = "adjusted_workday"  # 调休上班: a weekend day worked


class Source(StrEnum):
    PACKAGE = "package"
    OVERRIDE = "override"
    WEEKDAYS = "weekdays"  # year not covered: Monday–Friday assumed


@dataclass(frozen=True)
class DayInfo:
    date: date
    kind: DayKind
    name: str = ""  # 国庆节, 中秋节…; for a 调休 day the holiday it makes up for
    source: Source = Source.PACKAGE

    @property
    def is_workday(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY)

    @property
    def is_holiday(self) -> bool:
        return self.kind is DayKind.HOLIDAY

    @property
    def is_adjusted_workday(self) -> bool:
        return self.kind is DayKind.ADJUSTED_WORKDAY


def holiday_name(package_name: str | None) -> str:
    if not package_name:
        return ""
    if package_name in HOLIDAY_NAMES:
        return HOLIDAY_NAMES[package_name]
    try:
        return chinese_calendar.Holiday(package_name).chinese
    except ValueError:
        return package_name


@cache
def package_covers(year: int) -> bool:
    """Whether ``chinese-calendar`` has the State Council's arrangement for ``year``."""
    try:
        chinese_calendar.get_holiday_detail(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


def _ordinary(day: date, source: Source) -> DayInfo:
    kind = DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY
    return DayInfo(day, kind, source=source)


def package_day(day: date) -> DayInfo:
    """The package's answer alone (ordinary weekdays for a year it does not cover)."""
    if not package_covers(day.year):
        return _ordinary(day, Source.WEEKDAYS)
    is_holiday, name = chinese_calendar.get_holiday_detail(day)
    if name is None:
        return _ordinary(day, Source.PACKAGE)
    if is_holiday:
        return DayInfo(day, DayKind.HOLIDAY, holiday_name(name))
    if day.weekday() >= 5:
        return DayInfo(day, DayKind.ADJUSTED_WORKDAY, holiday_name(name))
    # A weekday the package lists as worked (e.g. a cancelled bridge day): ordinary.
    return DayInfo(day, DayKind.WORKDAY, holiday_name(name))


def uncovered_message(years: list[int]) -> str:
    listed = "、".join(f"{y}年" for y in years)
    return _(
        "节假日数据尚未收录%(years)s的法定节假日安排（国务院通常在上一年年底公布）。"
        "这些日期暂按周一至周五上班、周六周日休息计算；"
        "请管理员在后台“节假日调整”中录入放假和调休上班日期，或升级 chinese-calendar。"
    ) % {"years": listed}


class DayCalendar:
    """Workday facts for ``start..end`` as seen by ``org`` (None: global overrides only)."""

    def __init__(self, start: date, end: date, org: Org | None = None) -> None:
        if end < start:
            raise ValueError("end before start")
        self.start, self.end = start, end
        chain = [o.pk for o in org.ancestors()] if org is not None else []
        rank = {pk: i for i, pk in enumerate(reversed(chain))}  # the org itself ranks 0
        rows = DayOverride.objects.filter(
            Q(org__isnull=True) | Q(org_id__in=chain), date__gte=start, date__lte=end
        ).values_list("date", "org_id", "kind", "name")
        self._overrides: dict[date, tuple[int, str, str]] = {}
        for day, org_id, kind, name in rows:
            r = rank.get(org_id, len(rank))
            if day not in self._overrides or r < self._overrides[day][0]:
                self._overrides[day] = (r, kind, name)
        years = range(start.year, end.year + 1)
        override_years = {day.year for day in self._overrides}
        self.uncovered_years = [
            y for y in years if not package_covers(y) and y not in override_years
        ]

    def __call__(self, day: date) -> DayInfo:
        return self.day(day)

    def day(self, day: date) -> DayInfo:
        if not (self.start <= day <= self.end):
            raise ValueError(f"{day} is outside {self.start}..{self.end}")
        if day in self._overrides:
            _rank, kind, name = self._overrides[day]
            if kind == DayOverride.Kind.HOLIDAY:
                return DayInfo(day, DayKind.HOLIDAY, name, Source.OVERRIDE)
            kind = DayKind.ADJUSTED_WORKDAY if day.weekday() >= 5 else DayKind.WORKDAY
            return DayInfo(day, kind, name, Source.OVERRIDE)
        return package_day(day)

    def is_workday(self, day: date) -> bool:
        return self.day(day).is_workday

    def days(self) -> list[DayInfo]:
        n = (self.end - self.start).days + 1
        return [self.day(self.start + timedelta(days=i)) for i in range(n)]

    @property
    def warning(self) -> str | None:
        return uncovered_message(self.uncovered_years) if self.uncovered_years else None


def day_info(day: date, org: Org | None = None) -> DayInfo:
    return DayCalendar(day, day, org).day(day)


def is_workday(day: date, org: Org | None = None) -> bool:
    return day_info(day, org).is_workday


def coverage_warning(start: date, end: date, org: Org | None = None) -> str | None:
    """The Chinese message for years in ``start..end`` that neither the package nor an override
    covers, else None. Pages and reminders show it next to anything built on workdays."""
    return DayCalendar(start, end, org).warning
