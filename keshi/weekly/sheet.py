"""The shape of a 每周工作安排 and the little date wording it needs. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
HALVES = {"am": "上午", "pm": "下午"}

# What a line is, in the order lines of one day are listed.
CALENDAR, SESSION, OPEN_CLASS, INSPECTION, DISPATCH, ABSENCE = (
    "calendar", "session", "open_class", "inspection", "dispatch", "absence",
)  # fmt: skip
KIND_LABELS = {
    CALENDAR: "行事历",
    SESSION: "教研活动",
    OPEN_CLASS: "公开课",
    INSPECTION: "检查",
    DISPATCH: "外出培训",
    ABSENCE: "外出请假",
}
ORDER = {kind: i for i, kind in enumerate(KIND_LABELS)}


@dataclass
class Line:
    kind: str
    text: str
    when: str = ""  # 第3节 / 14:30 / 上午
    uid: str = ""  # stable across rebuilds: the iCalendar UID
    people: frozenset[int] = frozenset()  # whom it concerns; empty: everyone
    details: list[str] = field(default_factory=list)  # an absence's lessons and their covers
    warning: bool = False  # something still to arrange
    start: time | None = None
    end: time | None = None
    link: str = ""
    span: tuple[date, date] | None = None  # a band line's first and last day

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Day:
    date: date
    is_workday: bool
    remark: str = ""  # 国庆节 / 调休上班
    lines: list[Line] = field(default_factory=list)
    note: str = ""

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]

    @property
    def key(self) -> str:
        return self.date.isoformat()


@dataclass
class Sheet:
    org_name: str
    term_label: str
    week: int
    monday: date
    sunday: date
    band: list[Line]  # the week's items that are not tied to one day
    days: list[Day]
    published: bool = False

    @property
    def title(self) -> str:
        return f"{self.org_name}第{self.week}周工作安排"

    @property
    def span(self) -> str:
        return span_label(self.monday, self.sunday)

    @property
    def is_empty(self) -> bool:
        return not self.band and not any(d.lines or d.note for d in self.days)

    def lines(self):
        """Every line with the day it is on (``None`` for the band)."""
        for line in self.band:
            yield None, line
        for day in self.days:
            for line in day.lines:
                yield day, line


def span_label(start: date, end: date) -> str:
    if start == end:
        return f"{start.month}月{start.day}日"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.month}月{start.day}日—{end.day}日"
    return f"{start.month}月{start.day}日—{end.month}月{end.day}日"


def halves_on(day: date, start: tuple[date, str], end: tuple[date, str]) -> str:
    """上午, 下午 or 全天: the part of ``day`` inside the half-day span ``start``–``end``."""
    am = start <= (day, "am") <= end
    pm = start <= (day, "pm") <= end
    if am and pm:
        return "全天"
    return HALVES["am"] if am else HALVES["pm"] if pm else ""


def shown(day: Day) -> bool:
    """Monday–Friday always; a weekend day when it is a school day or something is on."""
    return day.date.weekday() < 5 or day.is_workday or bool(day.lines or day.note)


def sort_lines(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda ln: (ORDER[ln.kind], ln.start or time.min, ln.when, ln.text))
