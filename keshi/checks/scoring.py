"""Rubric arithmetic, without Django: criteria, totals, weighted percentages and levels.

A criterion has a maximum score and a weight. The weight defaults to the maximum, so a plain
rubric's percentage is simply total / sum of maxima; an explicit weight (say 40/30/30 for
制度建设/活动成效/…) rescales each criterion's share independently of its own score range.
Levels (优/良/中/差) are bands on that percentage: the first band whose minimum is reached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO = Decimal("0.01")
_SPLIT = re.compile(r"\s*[|｜]\s*")


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    max: Decimal
    weight: Decimal | None = None
    note: str = ""

    @property
    def effective_weight(self) -> Decimal:
        return self.max if self.weight is None else self.weight

    def as_json(self) -> dict:
        data = {"key": self.key, "name": self.name, "max": str(self.max), "note": self.note}
        if self.weight is not None:
            data["weight"] = str(self.weight)
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Criterion:
        weight = data.get("weight")
        return cls(
            key=str(data["key"]),
            name=str(data["name"]),
            max=Decimal(str(data["max"])),
            weight=None if weight in (None, "") else Decimal(str(weight)),
            note=str(data.get("note", "")),
        )


@dataclass(frozen=True)
class Level:
    label: str
    min: Decimal  # percentage, 0–100

    def as_json(self) -> dict:
        return {"label": self.label, "min": str(self.min)}

    @classmethod
    def from_json(cls, data: Mapping) -> Level:
        return cls(label=str(data["label"]), min=Decimal(str(data["min"])))


@dataclass(frozen=True)
class Score:
    total: Decimal
    max_total: Decimal
    percent: Decimal
    level: str


class ScoringError(ValueError):
    """A message meant for the user (Chinese)."""


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise ScoringError(f"{what}“{text}”不是数字") from None
    if not value.is_finite():
        raise ScoringError(f"{what}“{text}”不是数字")
    return value


def parse_criteria(text: str) -> list[Criterion]:
    """One criterion a line: ``名称 | 满分 [| 权重] [| 说明]`` (｜ also accepted)."""
    criteria: list[Criterion] = []
    names: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = _SPLIT.split(line)
        if len(parts) < 2 or not parts[0]:
            raise ScoringError(f"第{number}行：请写成“名称 | 满分 | 权重（可省） | 说明（可省）”")
        name = parts[0]
        if name in names:
            raise ScoringError(f"第{number}行：项目“{name}”重复")
        names.add(name)
        maximum = _decimal(parts[1], f"第{number}行满分")
        if maximum <= 0:
            raise ScoringError(f"第{number}行：满分必须大于 0")
        weight = None
        if len(parts) > 2 and parts[2]:
            weight = _decimal(parts[2], f"第{number}行权重")
            if weight < 0:
                raise ScoringError(f"第{number}行：权重不能为负数")
        note = " | ".join(parts[3:]) if len(parts) > 3 else ""
        criteria.append(Criterion(f"c{len(criteria) + 1}", name, maximum, weight, note))
    if not criteria:
        raise ScoringError("至少需要一个评分项目")
    if sum(c.effective_weight for c in criteria) <= 0:
        raise ScoringError("权重之和必须大于 0")
    return criteria


def criteria_text(criteria: Iterable[Criterion]) -> str:
    lines = []
    for c in criteria:
        parts = [c.name, _plain(c.max), "" if c.weight is None else _plain(c.weight)]
        if c.note:
            parts.append(c.note)
        lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)


def parse_levels(text: str) -> list[Level]:
    """``优 90、良 75、中 60、差 0`` (separators: 、，, ; or newlines): label then minimum %."""
    levels: list[Level] = []
    for chunk in re.split(r"[、，,;；\n]+", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        match = re.fullmatch(r"(.+?)\s*[:：]?\s*(\d+(?:\.\d+)?)\s*%?(?:分?以上)?", chunk)
        if not match:
            raise ScoringError(f"等级“{chunk}”请写成“优 90”（名称 + 最低百分比）")
        minimum = Decimal(match.group(2))
        if minimum > 100:
            raise ScoringError(f"等级“{match.group(1)}”的最低百分比不能超过 100")
        levels.append(Level(match.group(1).strip(), minimum))
    levels.sort(key=lambda lv: lv.min, reverse=True)
    if len({lv.min for lv in levels}) != len(levels):
        raise ScoringError("两个等级的最低百分比相同")
    return levels


def levels_text(levels: Iterable[Level]) -> str:
    return "、".join(f"{lv.label} {_plain(lv.min)}" for lv in levels)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def clean_scores(criteria: Sequence[Criterion], raw: Mapping[str, object]) -> dict[str, Decimal]:
    """Validate one row of a scoring grid: every criterion scored within 0..max."""
    scores: dict[str, Decimal] = {}
    for c in criteria:
        value = raw.get(c.key)
        if value in (None, ""):
            raise ScoringError(f"“{c.name}”未评分")
        number = _decimal(str(value), f"“{c.name}”的得分")
        if number < 0 or number > c.max:
            raise ScoringError(f"“{c.name}”的得分应在 0 到 {_plain(c.max)} 之间")
        scores[c.key] = number
    return scores


def level_for(percent: Decimal, levels: Sequence[Level]) -> str:
    for lv in sorted(levels, key=lambda lv: lv.min, reverse=True):
        if percent >= lv.min:
            return lv.label
    return ""


def score(
    criteria: Sequence[Criterion], scores: Mapping[str, Decimal], levels: Sequence[Level] = ()
) -> Score:
    total = sum((scores[c.key] for c in criteria), Decimal(0))
    max_total = sum((c.max for c in criteria), Decimal(0))
    weights = sum((c.effective_weight for c in criteria), Decimal(0))
    share = sum((c.effective_weight * scores[c.key] / c.max for c in criteria), Decimal(0))
    percent = (share * 100 / weights).quantize(TWO, ROUND_HALF_UP) if weights else Decimal(0)
    return Score(
        total=total, max_total=max_total, percent=percent, level=level_for(percent, levels)
    )


def mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO, ROUND_HALF_UP)
