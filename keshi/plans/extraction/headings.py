"""Headings that set a period for the list below them: "二、班主任每周应该做的事" followed by
"•召开一次班级主要学生干部的例会；" makes that meeting weekly (and the 班主任's), as routines
documents do (每日/每周/每月/每学期德育工作…).

A period heading is a short line with a period word (每周, 每月, 每半期…) and no count, numbered
as a section (一、, （一）, 1.) or ending with a colon. Its period and its subject hold for the
lines after it — sub-items numbered below its level included — up to a section number of its
own level or above, or the next period heading.
"""

import re
from dataclasses import dataclass

from .audience import Subject, subject_of
from .clauses import strip_list_number
from .numerals import normalise
from .requirements import period_markers, quantities

HEADING_MAX = 24
# Section numbers by level: 第一章/第一条 (0), 一、 (1), （一） (2), 1、 or 1. (3), （1） or ① (4).
LEVELS = [
    (0, re.compile(r"^\s*第[一二三四五六七八九十]+[章节条部分]")),
    (1, re.compile(r"^\s*第?[一二三四五六七八九十]+[、.．]")),
    (2, re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\s*\d+\s*[、.．](?!\d)")),
    (4, re.compile(r"^\s*(?:[（(]\d+[）)]|[①②③④⑤⑥⑦⑧⑨⑩])")),
]
UNNUMBERED = 2  # a heading with no number ("每周：") yields to 一、 and （一）, not to 1、
SENTENCE_END = "。！？!?；;"


@dataclass(frozen=True)
class Scope:
    period: str | None
    subject: Subject | None
    level: int = UNNUMBERED


def level_of(line: str) -> int | None:
    return next((level for level, pattern in LEVELS if pattern.match(line)), None)


def heading_scopes(lines: list[str]) -> dict[int, Scope]:
    """The lines that a period heading governs, by line index: those after it, up to a section
    number of its own level or above, or the next period heading."""
    scopes: dict[int, Scope] = {}
    current: Scope | None = None
    for number, line in enumerate(lines):
        heading = _period_heading(line)
        if heading is not None:
            current = heading
            continue
        level = level_of(line)
        if current is not None and level is not None and level <= current.level:
            current = None
        if current is not None:
            scopes[number] = current
    return scopes


def _period_heading(line: str) -> Scope | None:
    text = normalise(strip_list_number(line).strip())
    if not text or len(text) > HEADING_MAX or text[-1] in SENTENCE_END or quantities(text):
        return None
    level = level_of(line)
    if level is None and text[-1] not in ":：":
        return None
    markers = [marker for marker in period_markers(text) if marker.signal]
    if not markers:
        return None
    subject = subject_of(text[: markers[0].start])
    return Scope(markers[0].period, subject, UNNUMBERED if level is None else level)
