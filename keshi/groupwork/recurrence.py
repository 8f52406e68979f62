"""Which teaching weeks a schedule meets in (pure: no Django). Holidays are not decided here:
the caller skips days that are not workdays (keshi.calendar, chinese-calendar underneath)."""

from __future__ import annotations

from datetime import date

WEEK, TWO_WEEKS, MONTH = "week", "2weeks", "month"


def nth_in_month(day: date) -> int:
    """1 for the first Monday (Tuesday…) of its month, 2 for the second, and so on."""
    return (day.day - 1) // 7 + 1


def falls_on(
    every: str, *, week: int, day: date, first_week: int = 1, week_of_month: int = 1
) -> bool:
    """Does a schedule repeating ``every`` meet on ``day``, its weekday in teaching week
    ``week``? Weekly and fortnightly count from ``first_week``; monthly is the
    ``week_of_month``-th such weekday of the calendar month (每月第一个星期一)."""
    if every == MONTH:
        return nth_in_month(day) == week_of_month
    if week < first_week:
        return False
    if every == TWO_WEEKS:
        return (week - first_week) % 2 == 0
    if every == WEEK:
        return True
    raise ValueError(every)
