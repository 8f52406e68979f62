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

from .audience import Subject, find_audience, holder_list, subject_of
from .clauses import strip_list_number
from .counts import period_markers, quantities
from .numerals import normalise
from .targets import GOAL_LABEL

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
    sets_period: bool = True  # False: a duties lead-in, which gives its subject only
    goal: str | None = None  # "（二）教研发展目标" above: the lines below state the org's goals


# "…，青年教师导师的主要职责有：" ending a line: the items below are that post's.
DUTIES_LEAD = re.compile(
    r"(?:^|[，,。；;])(?P<who>[^，,。；;]{2,16}?)的?(?:主要|具体)?(?:工作)?职责(?:有|是|为|如下)?[:：]$"
)
# A heading that names a post or an audience: "二、师傅", "乙方（徒弟）：", "对青年教师的要求：",
# "（一）指导教师职责", "徒弟应做到：". Its words, less these.
POST_HEADING_TAIL = re.compile(
    r"(?:的)?(?:主要|具体|基本)?(?:(?:工作|岗位)?(?:职责|要求|任务|义务|责任))?"
    r"(?:有|是|为|如下)?(?:应|须|要|必须)?(?:做到)?[:：]?$"
)
PARTY = re.compile(r"^(?:[甲乙丙]方)?[（(](?P<who>[^）)]+)[）)]$")


def level_of(line: str) -> int | None:
    return next((level for level, pattern in LEVELS if pattern.match(line)), None)


def heading_scopes(lines: list[str]) -> dict[int, Scope]:
    """The lines that headings govern, by line index: those after a heading, up to a section
    number of its own level or above, or the next heading of its level. Headings nest: a
    period heading under a post's ("一、师傅" then "每周：") gives its period, the post's
    subject still holds."""
    scopes: dict[int, Scope] = {}
    open_: list[Scope] = []
    for number, line in enumerate(lines):
        heading = _period_heading(line) or _subject_heading(line) or _goal_heading(line)
        level = heading.level if heading is not None else level_of(line)
        if level is not None:
            open_ = [scope for scope in open_ if scope.level < level]
        if heading is not None:
            open_.append(heading)
            continue
        if open_:
            scopes[number] = _combined(open_)
    return scopes


def _combined(open_: list[Scope]) -> Scope:
    periods = [scope for scope in open_ if scope.sets_period]
    subjects = [scope.subject for scope in open_ if scope.subject is not None]
    goals = [scope.goal for scope in open_ if scope.goal]
    return Scope(
        periods[-1].period if periods else None,
        subjects[-1] if subjects else None,
        open_[-1].level,
        sets_period=bool(periods),
        goal=goals[-1] if goals else None,
    )


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


def _subject_heading(line: str) -> Scope | None:
    """A duties lead-in ending a line, or a heading that names only a post or an audience."""
    text = normalise(strip_list_number(line).strip())
    level = level_of(line)
    lead = DUTIES_LEAD.search(text)
    if lead:
        words = lead["who"]
    elif (
        text
        and len(text) <= HEADING_MAX
        and text[-1] not in SENTENCE_END
        and (level is not None or text[-1] in ":：")
        and not quantities(text)
    ):
        words = re.sub(r"^对于?", "", POST_HEADING_TAIL.sub("", text))
        party = PARTY.match(words)
        words = party["who"] if party else words
        if not (holder_list(words) == [words] or find_audience(words) == words):
            return None  # a topic ("听课要求"), not a post
    else:
        return None
    subject = subject_of(words)
    if subject is None or subject.owner not in ("person", "role"):
        return None
    return Scope(None, subject, UNNUMBERED if level is None else level, sets_period=False)


def _goal_heading(line: str) -> Scope | None:
    """A heading that is a goals label alone: "（二）教研发展目标", "工作目标：". Not 个人…目标,
    whose counts are the writer's quotas (a goals line of its own handles that)."""
    text = normalise(strip_list_number(line).strip()).rstrip(":：")
    level = level_of(line)
    if level is None and not line.rstrip().endswith((":", "：")):
        return None
    if not GOAL_LABEL.fullmatch(text) or "个人" in text:
        return None
    return Scope(None, None, UNNUMBERED if level is None else level, False, goal=text)
