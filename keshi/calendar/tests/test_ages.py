from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from keshi.calendar.ages import full_years


def test_birthday_counts_on_the_day():
    assert full_years(date(1986, 11, 26), date(2026, 11, 25)) == 39
    assert full_years(date(1986, 11, 26), date(2026, 11, 26)) == 40


def test_leap_day_birthday_completes_on_first_of_march():
    born = date(2000, 2, 29)
    assert full_years(born, date(2001, 2, 28)) == 0
    assert full_years(born, date(2001, 3, 1)) == 1
    assert full_years(born, date(2004, 2, 29)) == 4


def test_before_start_is_zero():
    assert full_years(date(2020, 1, 1), date(2019, 1, 1)) == 0


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 60000))
def test_monotonic_and_bounded(start, days):
    at = start + timedelta(days=days)
    years = full_years(start, at)
    assert years <= days / 365 + 1
    assert full_years(start, at + timedelta(days=1)) in (years, years + 1)
