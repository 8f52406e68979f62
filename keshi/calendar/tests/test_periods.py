from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keshi.calendar import periods
from keshi.calendar.periods import FRIDAY, MONDAY, SUNDAY, Kind, Period, period_containing

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
kinds = st.sampled_from([k for k in Kind if k is not Kind.TERM])
ANCHOR = date(2025, 9, 3)  # a Wednesday: fortnights start on Monday 1 September 2025


def containing(kind, day):
    return period_containing(kind, day, anchor=ANCHOR)


@given(kinds, days)
def test_a_period_holds_its_day_and_is_its_own_containing_period(kind, day):
    p = containing(kind, day)
    assert day in p
    assert containing(kind, p.start) == p
    assert containing(kind, p.end) == p


@given(kinds, days)
def test_periods_tile_time_without_gaps_or_overlaps(kind, day):
    p = containing(kind, day)
    after = containing(kind, p.end + timedelta(days=1))
    before = containing(kind, p.start - timedelta(days=1))
    assert after.start == p.end + timedelta(days=1)
    assert before.end == p.start - timedelta(days=1)


@given(kinds, days, st.integers(min_value=0, max_value=800))
def test_every_day_of_a_range_lies_in_exactly_one_overlapping_period(kind, start, length):
    end = start + timedelta(days=length)
    found = list(periods.periods_overlapping(kind, start, end, anchor=ANCHOR))
    assert found[0].start <= start and found[-1].end >= end
    for a, b in zip(found, found[1:], strict=False):
        assert b.start == a.end + timedelta(days=1)
    for offset in range(0, length + 1, 7):
        day = start + timedelta(days=offset)
        assert sum(day in p for p in found) == 1


@given(days)
def test_shapes_of_each_kind(day):
    week = containing(Kind.WEEK, day)
    assert week.start.weekday() == MONDAY and len(week) == 7
    fortnight = containing(Kind.TWO_WEEKS, day)
    assert fortnight.start.weekday() == MONDAY and len(fortnight) == 14
    assert (fortnight.start - date(2025, 9, 1)).days % 14 == 0
    month = containing(Kind.MONTH, day)
    assert month.start.day == 1 and (month.end + timedelta(days=1)).day == 1
    half = containing(Kind.HALF_YEAR, day)
    assert (half.start.month, half.start.day) in {(1, 1), (7, 1)}
    assert (half.end.month, half.end.day) in {(6, 30), (12, 31)}
    year = containing(Kind.SCHOOL_YEAR, day)
    assert (year.start.month, year.start.day, year.end.month, year.end.day) == (9, 1, 8, 31)
    assert year.end.year == year.start.year + 1


def test_month_and_half_year_boundaries_and_leap_years():
    assert containing(Kind.MONTH, date(2024, 2, 10)) == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert containing(Kind.MONTH, date(2025, 2, 10)) == Period(date(2025, 2, 1), date(2025, 2, 28))
    assert containing(Kind.MONTH, date(2100, 2, 1)).end == date(2100, 2, 28)  # not a leap year
    assert containing(Kind.HALF_YEAR, date(2025, 6, 30)).end == date(2025, 6, 30)
    assert containing(Kind.HALF_YEAR, date(2025, 7, 1)).start == date(2025, 7, 1)
    assert containing(Kind.SCHOOL_YEAR, date(2025, 8, 31)) == Period(
        date(2024, 9, 1), date(2025, 8, 31)
    )
    assert containing(Kind.SCHOOL_YEAR, date(2025, 9, 1)).start == date(2025, 9, 1)
    assert len(containing(Kind.SCHOOL_YEAR, date(2024, 1, 1))) == 366  # 2023-09..2024-08


def test_school_year_start_can_be_changed():
    p = period_containing(Kind.SCHOOL_YEAR, date(2025, 8, 20), school_year_start=(8, 15))
    assert p == Period(date(2025, 8, 15), date(2026, 8, 14))


def test_term_kind_is_the_term_itself():
    term = (date(2025, 9, 1), date(2026, 1, 18))
    assert period_containing(Kind.TERM, date(2025, 12, 1), term=term) == Period(*term)
    with pytest.raises(ValueError):
        period_containing(Kind.TERM, date(2026, 1, 19), term=term)
    assert (
        list(periods.periods_overlapping(Kind.TERM, date(2026, 2, 1), date(2026, 3, 1), term=term))
        == []
    )


def test_two_weeks_default_to_the_terms_first_monday():
    term = (date(2025, 9, 3), date(2026, 1, 18))
    p = period_containing(Kind.TWO_WEEKS, date(2025, 9, 16), term=term)
    assert p == Period(date(2025, 9, 15), date(2025, 9, 28))
    with pytest.raises(ValueError):
        period_containing(Kind.TWO_WEEKS, date(2025, 9, 16))


@given(st.integers(1990, 2090), st.integers(1, 12), st.integers(0, 6))
def test_nth_and_last_weekday_of_month(year, month, weekday):
    found = [periods.nth_weekday_of_month(year, month, weekday, n) for n in range(1, 6)]
    real = [d for d in found if d is not None]
    assert 4 <= len(real) <= 5 and found[: len(real)] == real
    assert all(d.weekday() == weekday and d.month == month for d in real)
    assert real[0].day <= 7
    last = periods.last_weekday_of_month(year, month, weekday)
    assert last == real[-1] and (last + timedelta(days=7)).month != month
    assert periods.nth_weekday_of_month(year, month, weekday, -2) == real[-2]


def test_known_weekdays_of_months():
    assert periods.last_weekday_of_month(2025, 10, FRIDAY) == date(2025, 10, 31)
    assert periods.last_weekday_of_month(2026, 2, FRIDAY) == date(2026, 2, 27)
    assert periods.nth_weekday_of_month(2025, 9, MONDAY, 1) == date(2025, 9, 1)
    assert periods.nth_weekday_of_month(2026, 9, MONDAY, 1) == date(2026, 9, 7)
    assert periods.nth_weekday_of_month(2026, 2, SUNDAY, 5) is None


@given(st.integers(1990, 2090), st.integers(1, 12))
def test_last_week_of_month_holds_the_last_friday(year, month):
    week = periods.last_week_of_month(year, month)
    friday = periods.last_weekday_of_month(year, month, FRIDAY)
    assert friday in week and week.start.weekday() == MONDAY


def test_last_week_of_a_month_ending_early_in_the_week():
    # March 2025 ends on a Monday: its last week is 24–30 March, not 31 March–6 April.
    assert periods.last_week_of_month(2025, 3) == Period(date(2025, 3, 24), date(2025, 3, 30))


def weekdays_only(day):
    return day.weekday() < 5


@given(days)
def test_previous_and_next_workday(day):
    before = periods.previous_workday(day, weekdays_only)
    after = periods.next_workday(day, weekdays_only)
    assert before < day < after
    assert weekdays_only(before) and weekdays_only(after)
    assert all(not weekdays_only(before + timedelta(days=i)) for i in range(1, (day - before).days))
    on_or_before = periods.previous_workday(day, weekdays_only, inclusive=True)
    assert on_or_before == (day if weekdays_only(day) else before)


def test_workday_search_gives_up_on_a_predicate_that_never_holds():
    with pytest.raises(ValueError):
        periods.previous_workday(date(2025, 1, 1), lambda d: False)


def test_teaching_week_numbers_start_on_the_monday_before_a_wednesday_start():
    start = date(2025, 9, 3)  # Wednesday
    assert periods.teaching_week_number(start, date(2025, 9, 1)) == 1
    assert periods.teaching_week_number(start, date(2025, 9, 7)) == 1
    assert periods.teaching_week_number(start, date(2025, 9, 8)) == 2
    assert periods.teaching_week_number(start, date(2025, 8, 31)) == 0
    weeks = periods.teaching_weeks(start, date(2026, 1, 18))
    assert weeks[0] == (1, Period(date(2025, 9, 1), date(2025, 9, 7)))
    assert weeks[-1] == (20, Period(date(2026, 1, 12), date(2026, 1, 18)))


@given(days, st.integers(0, 200), days)
def test_teaching_week_number_matches_the_weeks_list(start, length, probe):
    end = start + timedelta(days=length)
    for number, week in periods.teaching_weeks(start, end):
        assert periods.teaching_week_number(start, week.start) == number
        assert periods.teaching_week_number(start, week.end) == number


def test_monthly_deadlines_on_the_last_friday_moved_before_holidays():
    term = (date(2025, 9, 1), date(2026, 1, 18))
    rest = {date(2025, 10, 31)}  # pretend the last Friday of October is a day off

    def is_workday(d):
        return d.weekday() < 5 and d not in rest

    due = periods.deadlines(Kind.MONTH, term, weekday=FRIDAY, is_workday=is_workday)
    assert [d.due for d in due] == [
        date(2025, 9, 26),
        date(2025, 10, 30),
        date(2025, 11, 28),
        date(2025, 12, 26),
        date(2026, 1, 16),
    ]
    assert due[-1].period == Period(date(2026, 1, 1), date(2026, 1, 18))


def test_weekly_deadlines_cover_the_term():
    term = (date(2025, 9, 3), date(2025, 9, 30))
    due = periods.deadlines(Kind.WEEK, term)
    assert due[0].period == Period(date(2025, 9, 3), date(2025, 9, 7))
    assert [d.due for d in due][-1] == date(2025, 9, 30)
    assert len(due) == 5
    # A slice of a week without a Friday has no Friday deadline.
    fridays = periods.deadlines(Kind.WEEK, term, weekday=FRIDAY)
    assert len(fridays) == 4
