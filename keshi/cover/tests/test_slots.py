from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keshi.cover import slots


@pytest.mark.parametrize(
    "value", [3, 3.0, "3", "周三", "星期三", "礼拜三", "三", "Wed", "wednesday", "３", " 周 三 "]
)
def test_weekday_spellings(value):
    assert slots.parse_weekday(value) == 3


@pytest.mark.parametrize("value", ["周日", "星期天", 7, "7"])
def test_sunday(value):
    assert slots.parse_weekday(value) == 7


@pytest.mark.parametrize("value", ["周八", 0, 8, "", None, "明天", "3.5"])
def test_bad_weekday(value):
    with pytest.raises(ValueError, match="星期"):
        slots.parse_weekday(value)


@pytest.mark.parametrize(
    "value, expected", [(3, 3), ("3", 3), ("第3节", 3), ("第三节", 3), ("第十节", 10), ("十一", 11)]
)
def test_period_spellings(value, expected):
    assert slots.parse_period(value, 12) == expected


@pytest.mark.parametrize("value", [0, 9, "第九节", "第x节", "", "上午"])
def test_bad_period(value):
    with pytest.raises(ValueError, match="节次"):
        slots.parse_period(value, 8)


def test_half_days():
    got = list(slots.half_days(date(2025, 11, 3), "pm", date(2025, 11, 5), "am"))
    assert got == [
        (date(2025, 11, 3), "pm"),
        (date(2025, 11, 4), "am"),
        (date(2025, 11, 4), "pm"),
        (date(2025, 11, 5), "am"),
    ]


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 20))
def test_days_away_counts_weekdays_touched(start, length):
    end = date.fromordinal(start.toordinal() + length)
    halves = list(slots.half_days(start, "pm", end, "am"))
    weekdays = {d for d, _h in halves if d.isoweekday() <= 5}
    assert slots.days_away(halves, lambda d: d.isoweekday() <= 5) == len(weekdays)


def test_threshold_rule():
    assert not slots.needs_substitute(2, 3)
    assert slots.needs_substitute(3, 3)


def test_makeup_day_runs_the_chosen_weekday():
    sunday = date(2025, 9, 28)
    assert slots.timetable_weekday(sunday, True, 1) == 1
    assert slots.timetable_weekday(sunday, False, 1) == 7
    assert slots.timetable_weekday(date(2025, 9, 29), True, 5) == 1  # a weekday keeps its own
