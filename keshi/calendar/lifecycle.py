"""学年与学期的更替 — the pure part: what carrying a term's set-up over means, row by row.

No Django here. ``lifecycle_selectors`` turns groups, pairs and rules into :class:`Item` rows,
the review page lets the office pick keep / change / drop for each, :func:`decisions` reads the
posted form back, and ``lifecycle_services`` applies the :func:`pair_end` /
:func:`membership_plan` answers in one transaction. Every answer is computed from the state it
finds, so applying the same decisions twice writes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class Action(StrEnum):
    KEEP = "keep"
    CHANGE = "change"
    DROP = "drop"


class Section(StrEnum):
    GROUPS = "groups"  # 备课组 / 年级组: members are assigned per school year
    PAIRS = "pairs"  # 师徒结对
    RULES = "rules"  # 量化要求


# Inline edits a rule row offers under "change"; anything else is edited on its own page.
RULE_FIELDS = ("threshold", "points")
TOO_BIG = Decimal("1e8")  # no count, hour or point of a term reaches this


@dataclass(frozen=True)
class Item:
    section: Section
    ref: int
    label: str
    detail: str = ""
    default: Action = Action.KEEP
    flag: str = ""  # a warning shown on the row (a pair that ends, a rule already off…)
    values: Mapping[str, str] = field(default_factory=dict)  # current values of inline fields
    edit_url: str = ""

    @property
    def name(self) -> str:
        """The form field carrying this row's decision."""
        return f"{self.section.value}-{self.ref}"


@dataclass(frozen=True)
class Decision:
    action: Action
    changes: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Counts:
    keep: int = 0
    change: int = 0
    drop: int = 0

    @property
    def total(self) -> int:
        return self.keep + self.change + self.drop


def decisions(items: Iterable[Item], data: Mapping[str, str]) -> dict[str, Decision]:
    """Each row's decision from posted ``data`` (its default when missing or unknown), with the
    inline values of a changed rule parsed as decimals. Raises ``ValueError`` naming the field
    for a value that is not a number."""
    result: dict[str, Decision] = {}
    for item in items:
        raw = data.get(item.name, "")
        action = Action(raw) if raw in Action._value2member_map_ else item.default
        changes: dict[str, Decimal] = {}
        if action is Action.CHANGE and item.section is Section.RULES:
            for name in RULE_FIELDS:
                text = (data.get(f"{item.name}-{name}") or "").strip()
                if not text or text == item.values.get(name):
                    continue
                try:
                    changes[name] = Decimal(text)
                except InvalidOperation:
                    raise ValueError(f"{item.name}-{name}") from None
                if not changes[name].is_finite() or abs(changes[name]) >= TOO_BIG:
                    raise ValueError(f"{item.name}-{name}")
        result[item.name] = Decision(action, changes)
    return result


def counts(items: Iterable[Item], chosen: Mapping[str, Decision]) -> dict[Section, Counts]:
    tally: dict[Section, dict[Action, int]] = {s: dict.fromkeys(Action, 0) for s in Section}
    for item in items:
        decision = chosen.get(item.name)
        tally[item.section][decision.action if decision else item.default] += 1
    return {s: Counts(t[Action.KEEP], t[Action.CHANGE], t[Action.DROP]) for s, t in tally.items()}


# ---- 师徒结对 -------------------------------------------------------------------------------


def pair_flag(end: date | None, *, next_start: date, next_end: date) -> str:
    """Why a pair deserves a look: it ends before or during the next term."""
    if end is None or end >= next_end:
        return ""
    if end < next_start:
        return "ends_before"
    return "ends_during"


def pair_default(end: date | None, *, next_start: date, next_end: date) -> Action:
    """A pair that ends before the next term starts is dropped unless someone keeps it."""
    flag = pair_flag(end, next_start=next_start, next_end=next_end)
    return Action.DROP if flag == "ends_before" else Action.KEEP


def pair_end(
    start: date | None, end: date | None, action: Action, *, this_end: date, next_end: date
) -> tuple[bool, date | None]:
    """``(write, new_end)`` for one pair. Keep: it must run to the end of the next term (an
    earlier end is extended, an open end stays open). Drop: it ends with this term (unless it
    already ends earlier). Change: nothing here — the pair is edited on its own page."""
    if action is Action.KEEP:
        if end is not None and end < next_end:
            return True, next_end
        return False, end
    if action is Action.DROP:
        if end is None or end > this_end:
            if start is not None and start > this_end:
                return True, start  # a pair not yet begun: the shortest span the model allows
            return True, this_end
        return False, end
    return False, end


# ---- 备课组 / 年级组 (per school year) -------------------------------------------------------


@dataclass(frozen=True)
class MembershipPlan:
    end_old: date | None  # set the current membership's end to this (None: leave it)
    new_start: date | None  # create a membership of the same person and role from this day


def membership_plan(
    start: date | None,
    end: date | None,
    action: Action,
    *,
    year_end: date,
    next_year_start: date,
    already_next: bool,
) -> MembershipPlan:
    """A 备课组/年级组 membership is one school year's assignment. Keep: this year's row ends
    with the year and the same person and role get next year's row (unless it exists:
    ``already_next``). Drop: this year's row ends with the year. Change: nothing — the group is
    rearranged on its page afterwards."""
    runs_on = end is None or end > year_end
    if action is Action.CHANGE:
        return MembershipPlan(None, None)
    end_old = year_end if runs_on and (start is None or start <= year_end) else None
    if action is Action.DROP:
        return MembershipPlan(end_old, None)
    return MembershipPlan(end_old, None if already_next else next_year_start)
