"""Caps inside a requirement: 其中读书心得最多算一次, 外出听课最多计5节, 网络培训学时最多折算20学时,
读书笔记不超过2篇计入.

Such a phrase does not ask for anything of its own: it limits how much of one kind counts toward
the requirement just before it — in the same sentence or the previous one. The sentence reader
reads the phrase like any quantity (a 不超过 requirement of its own); :func:`attach_caps` then
moves it onto that requirement as ``caps: [{"kind": code, "value": N, "source": text}]``, so
accepting the plan makes one rule with a cap inside it, never a second, school-wide cap rule.

A phrase is a cap when it says the number is *counted* (算/计/折算/计入/认定), not done: "外出学习
每学期不超过一次" stays a limit of its own. With no requirement to attach to, it stays as read.

Pure Python: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numerals import NUMBER, normalise, parse_number
from .requirements import Requirement
from .vocab import UNIT

COUNTED = r"(?:折算|计算|计入|算入|认定|算|计|抵)(?:为|作)?"
UP_TO = r"(?:最多|至多|最高|顶多)(?:只|仅)?(?:能|可|可以)?"
# X最多算/计N篇 — or X最多N篇计入, X不超过N篇计入.
CAP = re.compile(
    rf"(?:{UP_TO}{COUNTED}\s*(?P<n>{NUMBER})\s*(?P<u>{UNIT})?"
    rf"|(?:{UP_TO}|不超过|不得超过|不多于)\s*(?P<n2>{NUMBER})\s*(?P<u2>{UNIT})?\s*"
    rf"(?:可|可以)?(?:计入|算入|计算在内|纳入))"
)
# How far back the requirement a cap belongs to may be: its own line or the one before.
LINES_BACK = 1


@dataclass
class Capped(Requirement):
    """A requirement with caps inside it (the reader's fields, plus ``caps``)."""

    caps: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return super().to_dict() | {"caps": self.caps}


def cap_phrase(text: str) -> tuple[float | int, str] | None:
    """(N, unit) when ``text`` is a cap phrase (读书心得最多算一次 → (1, "次")), else None."""
    match = CAP.search(normalise(text))
    if match is None:
        return None
    number = match["n"] or match["n2"]
    try:
        value = parse_number(number)
    except ValueError:
        return None
    return value, match["u"] or match["u2"] or ""


def _is_cap(item: Requirement) -> bool:
    return item.op == "<=" and item.kind is not None and cap_phrase(item.source) is not None


def _hosts(host: Requirement, item: Requirement) -> bool:
    """Whether ``item``'s cap may belong to ``host``: a quota (not itself a limit) of a person or
    role, read just before it."""
    return (
        host.op in (">=", "=")
        and host.owner in ("person", "role")
        and host.kind is not None
        and 0 <= item.line - host.line <= LINES_BACK
    )


def attach_caps(requirements: list[Requirement]) -> list[Requirement]:
    """The requirements with each cap phrase moved onto the requirement it limits."""
    found: list[Requirement] = []
    host: Requirement | None = None
    for item in requirements:
        if _is_cap(item) and host is not None and _hosts(host, item):
            value, _unit = cap_phrase(item.source)
            if not isinstance(host, Capped):
                host = Capped(**vars(host))
                found[-1] = host
            host.caps.append({"kind": item.kind, "value": value, "source": item.source})
            continue
        found.append(item)
        host = item
    return found
