"""The dispatch state machine. Pure: no Django.

申请 → 已派遣 → 已返校 → 已汇报 → 可报销 → 已报销, plus 已退回 (the office returns a request
with a comment; the teacher changes it and submits again) and 取消. The later steps depend on
facts about the teachers sent: 已返校 when every teacher is back, 已汇报 when every teacher's
返校汇报 is met, 可报销 when every obligation of every teacher is met (没汇报不报销).
"""

from __future__ import annotations

from dataclasses import dataclass

REQUESTED = "requested"
RETURNED_FOR_CHANGES = "returned_for_changes"
DISPATCHED = "dispatched"
BACK = "back"
REPORTED = "reported"
REIMBURSABLE = "reimbursable"
REIMBURSED = "reimbursed"
CANCELLED = "cancelled"

LABELS: dict[str, str] = {
    REQUESTED: "申请",
    RETURNED_FOR_CHANGES: "已退回",
    DISPATCHED: "已派遣",
    BACK: "已返校",
    REPORTED: "已汇报",
    REIMBURSABLE: "可报销",
    REIMBURSED: "已报销",
    CANCELLED: "取消",
}
ORDER: tuple[str, ...] = (DISPATCHED, BACK, REPORTED, REIMBURSABLE, REIMBURSED)
TRANSITIONS: dict[str, frozenset[str]] = {
    REQUESTED: frozenset({DISPATCHED, RETURNED_FOR_CHANGES, CANCELLED}),
    RETURNED_FOR_CHANGES: frozenset({REQUESTED, CANCELLED}),
    DISPATCHED: frozenset({BACK, CANCELLED}),
    BACK: frozenset({REPORTED}),
    REPORTED: frozenset({REIMBURSABLE}),
    REIMBURSABLE: frozenset({REIMBURSED}),
    REIMBURSED: frozenset(),
    CANCELLED: frozenset(),
}
# States in which the teachers are (or will be) away and their obligations exist.
ACTIVE: frozenset[str] = frozenset({DISPATCHED, BACK, REPORTED, REIMBURSABLE, REIMBURSED})
# States in which a teacher may be dispatched elsewhere on the same days only by mistake.
OCCUPYING: frozenset[str] = frozenset({REQUESTED, RETURNED_FOR_CHANGES} | ACTIVE)


class TransitionRefused(ValueError):
    """A transition the state machine does not allow; the message is for the user."""


@dataclass(frozen=True)
class Facts:
    all_back: bool = False
    all_reported: bool = False
    all_met: bool = False
    blocked_by: tuple[str, ...] = ()


def check(current: str, target: str, facts: Facts = Facts()) -> None:
    """Raise :class:`TransitionRefused` (in Chinese) unless ``current → target`` is allowed."""
    if target not in TRANSITIONS.get(current, ()):
        raise TransitionRefused(f"不能从“{LABELS[current]}”改为“{LABELS[target]}”")
    if target == BACK and not facts.all_back:
        raise TransitionRefused("还有派出的教师没有返校，不能改为“已返校”")
    if target == REPORTED and not facts.all_reported:
        raise TransitionRefused("还有教师没有完成返校汇报，不能改为“已汇报”")
    if target == REIMBURSABLE and not facts.all_met:
        detail = "、".join(facts.blocked_by[:5])
        raise TransitionRefused(
            "后续任务尚未全部完成（没汇报不报销），不能改为“可报销”"
            + (f"：{detail}" if detail else "")
        )


def settle(current: str, facts: Facts) -> str:
    """The furthest state reachable from ``current`` by the automatic steps
    (已派遣 → 已返校 → 已汇报 → 可报销) the facts allow. Never 已报销: that is the office's act."""
    state = current
    for target, ok in (
        (BACK, facts.all_back),
        (REPORTED, facts.all_reported),
        (REIMBURSABLE, facts.all_met),
    ):
        if ok and target in TRANSITIONS.get(state, ()):
            state = target
    return state
