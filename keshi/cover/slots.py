"""Half-days, weekdays and 节次 as plain values. Pure: no Django.

A lesson slot is (date, 节次); an absence is a run of half-days ("am"/"pm"). Days count as
school days when the calendar says they are worked; any absent half of such a day makes it a
day away (so 2.5 days away counts as 3 for the 调课/代课 rule).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date, timedelta

HALVES = ("am", "pm")

_WEEKDAY_CHARS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
_WEEKDAY_EN = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
_WEEKDAY = re.compile(r"^(?:周|星期|礼拜)?([一二三四五六日天七1-7])$")
_PERIOD = re.compile(r"^第?(\d{1,2}|[一二三四五六七八九十]|十[一二三四五六七八九])节?(?:课)?$")
_CN_DIGITS = "一二三四五六七八九"


def half_days(start: date, start_half: str, end: date, end_half: str) -> Iterator[tuple[date, str]]:
    """Every (date, half) from (start, start_half) to (end, end_half), both included."""
    day = start
    while day <= end:
        for half in HALVES:
            if (start, start_half) <= (day, half) <= (end, end_half):
                yield day, half
        day += timedelta(days=1)


def days_away(halves: list[tuple[date, str]], is_workday: Callable[[date], bool]) -> int:
    """School days touched by ``halves``: a worked day with any absent half counts as one."""
    return len({day for day, _half in halves if is_workday(day)})


def needs_substitute(days: int, threshold: int) -> bool:
    """≥ ``threshold`` school days → 代课 arranged by the 教务处; fewer → 调课 among colleagues."""
    return days >= threshold


def parse_weekday(value: object) -> int:
    """3, "3", "周三", "星期三", "礼拜三", "三", "Wed" → 3; ValueError with a Chinese message."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
        if 1 <= number <= 7:
            return number
        raise ValueError(f"星期“{number}”超出范围（1–7）")
    text = "".join(unicodedata.normalize("NFKC", str(value or "")).split())
    if text.lower()[:3] in _WEEKDAY_EN:
        return _WEEKDAY_EN[text.lower()[:3]]
    found = _WEEKDAY.match(text)
    if not found:
        raise ValueError(f"无法识别的星期“{text}”（可写 3、周三、星期三）")
    char = found.group(1)
    return int(char) if char.isdigit() else _WEEKDAY_CHARS[char]


def parse_period(value: object, max_period: int) -> int:
    """3, "3", "第3节", "第三节" → 3; ValueError when unreadable or outside 1..max_period."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
    else:
        text = "".join(unicodedata.normalize("NFKC", str(value or "")).split())
        found = _PERIOD.match(text)
        if not found:
            raise ValueError(f"无法识别的节次“{text}”（可写 3 或 第3节）")
        number = _cn_number(found.group(1))
    if not 1 <= number <= max_period:
        raise ValueError(f"节次 {number} 超出范围（本校每天 1–{max_period} 节）")
    return number


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS.index(text[1]) + 1 if len(text) > 1 else 0)
    return _CN_DIGITS.index(text) + 1


def timetable_weekday(day: date, adjusted_workday: bool, makeup_weekday: int) -> int:
    """Whose weekday's timetable runs on ``day``: its own, except that a 调休 working day on a
    weekend runs the timetable of ``makeup_weekday`` (a per-school setting, Monday by default)."""
    if adjusted_workday and day.isoweekday() >= 6:
        return makeup_weekday
    return day.isoweekday()
