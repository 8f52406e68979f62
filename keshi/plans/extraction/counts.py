"""The counts and period markers of a clause: 每学期…15节, 两到三次, 一学期 — the raw material the
requirement reader judges. Ordinals (第三), quoted names ("四个一"), copies of a document (一式三份)
and dates (最后一个工作日) are not counts.
"""

import re
from dataclasses import dataclass

from .numerals import NUMBER, adjacent_range, parse_number
from .vocab import GOAL_QUANTITY, PERIODS, PREFIX_RE, QUANTITY, UNIT, WEAK_PERIODS

STRICT_FOLLOW = re.compile(
    rf"^[必须需应要都还得能当可]{{0,4}}(?:写|读|听|上|交|做|开|撰写|完成|参加|上交)?"
    rf"(?:{PREFIX_RE.pattern}|{NUMBER}\s*(?:余|多)?\s*{UNIT})"
)  # 一学期至少写一篇, 一学期要写5000字
ORDINAL = re.compile(r"第(?:[\d一二三四五六七八九十]+、)*$")
WORD_ONE = "同统唯万之逐划专单任某每"


@dataclass
class Marker:
    start: int
    end: int
    period: str | None
    signal: bool = True


@dataclass
class Quantity:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    more: bool


def period_markers(text: str) -> list[Marker]:
    markers: list[Marker] = []
    taken: set[int] = set()
    for pattern, period, strict in PERIODS:
        for match in re.finditer(pattern, text):
            if taken & set(range(match.start(), match.end())):
                continue
            if text[: match.start()].endswith("第"):
                continue
            if strict and not STRICT_FOLLOW.match(text[match.end() :]):
                continue
            markers.append(Marker(match.start(), match.end(), period))
            taken |= set(range(match.start(), match.end()))
    for pattern, period in WEAK_PERIODS:
        for match in re.finditer(pattern, text):
            markers.append(Marker(match.start(), match.end(), period, signal=False))
    return sorted(markers, key=lambda marker: marker.start)


def _quoted(text: str) -> list[tuple[int, int]]:
    # a quote still open where the clause ends ("教研组每周“四个一”:" cut at the colon) runs on
    pattern = r"“[^”]*(?:”|$)|\"[^\"]*\"|「[^」]*(?:」|$)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


FILING = re.compile(r"一式$")
ISSUE = re.compile(r"[^，,。；;]{0,4}?(?:报|刊|专栏|简讯|橱窗|宣传栏)")
FILED_COPY = re.compile(
    r"(?:(?:交|送|报|留|存)[^，,。；;]{0,6}?(?:处|室|办|档|案|部|组)|各(?:存|留|执|持|保存))(?:一|1)份$"
)
DISPATCH = re.compile(
    rf"(?:安排|选派|派出|选送|输送|推荐)(?P<n>{NUMBER})\s*(?:名|人)(?=\s*(?:外出|参加|到|赴|去)?"
    r"[^，,。；;]{0,10}(?:进修|培训|学习|研修|跟岗|挂职))"
)


def quantities(text: str, *, goal: bool = False) -> list[Quantity]:
    """The counts of a clause; ``goal``: of a personal goals line, which counts people too."""
    found: list[Quantity] = []
    quoted = _quoted(text)
    for match in (GOAL_QUANTITY if goal else QUANTITY).finditer(text):
        start, before = match.start(), text[: match.start()]
        first = match["n1"] or match["n"]
        unit = match["unit"] or match["unit1"]
        if ORDINAL.search(before) or any(a <= start < b for a, b in quoted):
            continue
        if first.startswith("一") and before[-1:] and before[-1] in WORD_ONE:
            continue
        periodical = re.search(r"(?:一|每)(?:学)?(?:年|学期)$", before)
        if unit == "期" and not periodical and not ISSUE.match(text[match.end() :]):
            continue  # 每学年两期 or 每周出一期黑板报 (an issue of a paper), not 二期工程
        if unit.endswith("工作日") and re.search(r"(?:最后|最初|头|首|前|后)$", before):
            continue  # 每月最后一个工作日前: a date
        if FILING.search(before) or (unit == "份" and FILED_COPY.search(text[: match.end()])):
            continue  # 一式三份, 交教导处一份: copies of a document, not a quota
        try:
            if match["n1"]:
                value, value_max = parse_number(match["n1"]), parse_number(match["n2"])
            elif span := adjacent_range(first):
                value, value_max = span
            else:
                value, value_max = parse_number(first), None
        except ValueError:
            continue
        more = bool(match["more"] or match["more1"])
        found.append(Quantity(start, match.end(), value, value_max, unit, more))
    for match in DISPATCH.finditer(text):  # 每半年安排一人外出进修: people sent
        try:
            value = parse_number(match["n"])
        except ValueError:
            continue
        found.append(Quantity(match.start("n"), match.end(), value, None, "人", False))
    return sorted(found, key=lambda quantity: quantity.start)
