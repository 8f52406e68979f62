"""Reads for terms and the school calendar."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from keshi.calendar import periods
from keshi.calendar.holidays import DayCalendar, DayInfo
from keshi.calendar.models import Term
from keshi.org.models import Org
from keshi.org.scoping import scope_for, visible


def current_term(org: Org, on: date | None = None) -> Term | None:
    """The term of ``org`` holding ``on`` (today in Asia/Shanghai by default), else the next one."""
    on = on or timezone.localdate()
    terms = Term.objects.filter(school_year__org=org).select_related("school_year")
    return (
        terms.filter(start__lte=on, end__gte=on).first()
        or terms.filter(start__gt=on).order_by("start").first()
    )


def teaching_week(term: Term, on: date) -> int | None:
    """第N周 of ``on`` in ``term`` (1-based from the Monday of the week holding term.start)."""
    if not (term.start <= on <= term.end):
        return None
    return periods.teaching_week_number(term.start, on)


def shown_week(term: Term, on: date) -> int | None:
    """第N周 as pages show it beside the term: a 年度 (a hospital) has no teaching weeks, so
    none (its weeks still count from 1 January inside, for weekly rules and sheets)."""
    if term.school_year.is_calendar_year:
        return None
    return teaching_week(term, on)


def terms_of_org(user, org: Org) -> QuerySet[Term]:
    """The terms of ``org`` that ``user`` may read, latest first."""
    qs = Term.objects.filter(school_year__org=org).select_related("school_year")
    return visible(user, qs).order_by("-start")


def home_org(user) -> Org | None:
    """The org whose calendar a user sees first: their Person's org, else their role's org.
    Asked by the words middleware, the menu and most pages: computed once per request, like
    the scope (kept on the user object)."""
    if user is None:
        return None
    if not hasattr(user, "_keshi_home_org"):
        user._keshi_home_org = _home_org(user)
    return user._keshi_home_org


def _home_org(user) -> Org | None:
    scope = scope_for(user)
    if scope.person_org_id:
        return Org.objects.filter(pk=scope.person_org_id).first()
    from keshi.accounts.models import RoleGrant

    grant = RoleGrant.objects.filter(user=user).select_related("org").order_by("org__path").first()
    return grant.org if grant else None


def calendar_org(user) -> Org | None:
    """The org whose terms a user opens first: their own, else (district staff, whose office
    keeps no terms) the first school they may read that does."""
    orgs = readable_orgs(user)
    home = home_org(user)
    if home is not None and orgs.filter(pk=home.pk, school_years__isnull=False).exists():
        return home
    return orgs.filter(school_years__isnull=False).distinct().first() or home


def readable_orgs(user) -> QuerySet[Org]:
    """Orgs whose calendar ``user`` may switch to (district staff: their whole subtree)."""
    return visible(user, Org.objects.all()).order_by("path")


@dataclass(frozen=True)
class TeachingWeek:
    number: int
    monday: date
    sunday: date
    days: list[DayInfo | None]  # Monday…Sunday; None for a day outside the term

    @property
    def workdays(self) -> int:
        return sum(1 for d in self.days if d is not None and d.is_workday)

    @property
    def holidays(self) -> list[DayInfo]:
        return [d for d in self.days if d is not None and d.is_holiday]

    @property
    def adjusted_workdays(self) -> list[DayInfo]:
        return [d for d in self.days if d is not None and d.is_adjusted_workday]

    @property
    def notes(self) -> list[str]:
        """Holiday names in order, once each (国庆节、中秋节)."""
        seen: list[str] = []
        for d in self.days:
            if d is not None and d.is_holiday and d.name and d.name not in seen:
                seen.append(d.name)
        return seen


def term_day_calendar(term: Term) -> DayCalendar:
    return DayCalendar(term.start, term.end, term.school_year.org)


def teaching_weeks(term: Term, days: DayCalendar | None = None) -> list[TeachingWeek]:
    """第1周…第N周 of ``term`` with each day's workday facts (one overrides query in all)."""
    days = days or term_day_calendar(term)
    result = []
    for number, week in periods.teaching_weeks(term.start, term.end):
        cells = [days.day(d) if term.start <= d <= term.end else None for d in week.days()]
        result.append(TeachingWeek(number, week.start, week.end, cells))
    return result


@dataclass(frozen=True)
class CalendarMonth:
    year: int
    month: int
    weeks: list[list[DayInfo | None]]  # Monday-first rows; None outside the month or term
    week_numbers: list[int]  # 第N周 of each row

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


def term_months(term: Term, days: DayCalendar | None = None) -> list[CalendarMonth]:
    """The term month by month, as Monday-first grids."""
    days = days or term_day_calendar(term)
    months = []
    for month in periods.periods_overlapping(periods.Kind.MONTH, term.start, term.end):
        rows, numbers = [], []
        for monday in calendar.Calendar().itermonthdates(month.start.year, month.start.month):
            if monday.weekday() != 0:
                continue
            row = []
            for i in range(7):
                d = monday + timedelta(days=i)
                inside = d in month and term.start <= d <= term.end
                row.append(days.day(d) if inside else None)
            if any(row):
                rows.append(row)
                numbers.append(periods.teaching_week_number(term.start, monday))
        months.append(CalendarMonth(month.start.year, month.start.month, rows, numbers))
    return months
