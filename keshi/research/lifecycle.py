"""The research-project lifecycle. Pure: no Django.

A project sits at one status. For the working stages (申报 … 结题) a stage row collects the
stage's documents and a reviewer's decision; approving the stage moves the project to the next
stage. 延期 (only from 中期检查: the conclusion is postponed) leads on to 结题; 撤项 ends a project
from any unfinished status. The graph is acyclic, so every project ends.
"""

from __future__ import annotations

DECLARED = "declared"  # 申报
APPROVED = "approved"  # 立项
OPENED = "opened"  # 开题
MIDTERM = "midterm"  # 中期检查
CONCLUDED = "concluded"  # 结题
EXTENDED = "extended"  # 延期
WITHDRAWN = "withdrawn"  # 撤项

LABELS: dict[str, str] = {
    DECLARED: "申报",
    APPROVED: "立项",
    OPENED: "开题",
    MIDTERM: "中期检查",
    CONCLUDED: "结题",
    EXTENDED: "延期",
    WITHDRAWN: "撤项",
}
STAGES: tuple[str, ...] = (DECLARED, APPROVED, OPENED, MIDTERM, CONCLUDED)
TERMINAL: frozenset[str] = frozenset({CONCLUDED, WITHDRAWN})
# Statuses other teachers of the org may see (the project has been accepted).
PUBLIC: frozenset[str] = frozenset({APPROVED, OPENED, MIDTERM, CONCLUDED, EXTENDED})

TRANSITIONS: dict[str, frozenset[str]] = {
    DECLARED: frozenset({APPROVED, WITHDRAWN}),
    APPROVED: frozenset({OPENED, WITHDRAWN}),
    OPENED: frozenset({MIDTERM, WITHDRAWN}),
    MIDTERM: frozenset({CONCLUDED, EXTENDED, WITHDRAWN}),
    EXTENDED: frozenset({CONCLUDED, WITHDRAWN}),
    CONCLUDED: frozenset(),
    WITHDRAWN: frozenset(),
}

REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    DECLARED: ("申报书",),
    APPROVED: ("立项通知书",),
    OPENED: ("开题报告",),
    MIDTERM: ("中期报告",),
    CONCLUDED: ("结题报告", "研究成果"),
}


class TransitionRefused(ValueError):
    """The message is Chinese and meant for the user."""


def allowed(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


def next_stage(stage: str) -> str | None:
    """The stage after ``stage`` in the main line, None after 结题."""
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


def missing_documents(stage: str, present: set[str] | frozenset[str]) -> list[str]:
    return [d for d in REQUIRED_DOCUMENTS.get(stage, ()) if d not in present]


def check_advance(*, status: str, stage: str, documents: set[str], decision_passed: bool) -> str:
    """The status after approving ``stage`` of a project at ``status``.

    Returns ``status`` itself when the last stage (结题) is approved: the project is then done."""
    if status in TERMINAL and not (status == CONCLUDED and stage == CONCLUDED):
        raise TransitionRefused(f"课题已{LABELS[status]}，不能再推进")
    missing = missing_documents(stage, documents)
    if missing:
        raise TransitionRefused("缺少材料：" + "、".join(missing))
    if not decision_passed:
        raise TransitionRefused("需要审核人“通过”后才能进入下一阶段")
    target = next_stage(stage)
    if target is None:
        return CONCLUDED
    if not allowed(status, target):
        raise TransitionRefused(f"不能从“{LABELS[status]}”进入“{LABELS[target]}”")
    return target


def reachable_ends(start: str = DECLARED) -> set[str]:
    """Statuses with no way out that can be reached from ``start``."""
    seen, frontier, ends = set(), [start], set()
    while frontier:
        s = frontier.pop()
        if s in seen:
            continue
        seen.add(s)
        if not TRANSITIONS[s]:
            ends.add(s)
        frontier.extend(TRANSITIONS[s])
    return ends
