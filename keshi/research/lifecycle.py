"""The project lifecycles: 课题 and, for hospitals, 新技术新项目. Pure: no Django.

A project sits at one status. For the working stages (申报 … 结题) a stage row collects the
stage's documents and a reviewer's decision; approving the stage moves the project to the next
stage. 延期 (only from 中期检查: the conclusion is postponed) leads on to 结题; 撤项 ends a project
from any unfinished status. The graph is acyclic, so every project ends.

The module-level names are the 课题 lifecycle; :class:`Lifecycle` holds one lifecycle's
stages, transitions and documents, and :data:`FLOWS` names each by its project kind — the
新技术新项目 one (申报 → 评估 → 开展 → 总结, :data:`NEW_TECH`) runs on the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass

DECLARED = "declared"  # 申报
APPROVED = "approved"  # 立项
OPENED = "opened"  # 开题
MIDTERM = "midterm"  # 中期检查
CONCLUDED = "concluded"  # 结题
EXTENDED = "extended"  # 延期
WITHDRAWN = "withdrawn"  # 撤项

ASSESSED = "assessed"  # 评估 (新技术新项目)
PRACTISED = "practised"  # 开展
SUMMARISED = "summarised"  # 总结

LABELS: dict[str, str] = {
    DECLARED: "申报",
    APPROVED: "立项",
    OPENED: "开题",
    MIDTERM: "中期检查",
    CONCLUDED: "结题",
    EXTENDED: "延期",
    WITHDRAWN: "撤项",
    ASSESSED: "评估",
    PRACTISED: "开展",
    SUMMARISED: "总结",
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


@dataclass(frozen=True)
class Lifecycle:
    noun: str  # 课题, 项目: in messages
    stages: tuple[str, ...]
    transitions: dict[str, frozenset[str]]
    required_documents: dict[str, tuple[str, ...]]
    public: frozenset[str]  # statuses other staff of the org may see

    @property
    def last(self) -> str:
        return self.stages[-1]

    @property
    def terminal(self) -> frozenset[str]:
        return frozenset({self.last, WITHDRAWN})

    def allowed(self, source: str, target: str) -> bool:
        return target in self.transitions.get(source, frozenset())

    def next_stage(self, stage: str) -> str | None:
        """The stage after ``stage`` in the main line, None after the last."""
        i = self.stages.index(stage)
        return self.stages[i + 1] if i + 1 < len(self.stages) else None

    def missing_documents(self, stage: str, present: set[str] | frozenset[str]) -> list[str]:
        return [d for d in self.required_documents.get(stage, ()) if d not in present]

    def check_advance(
        self, *, status: str, stage: str, documents: set[str], decision_passed: bool
    ) -> str:
        """The status after approving ``stage`` of a project at ``status``.

        Returns ``status`` itself when the last stage is approved: the project is then done."""
        if status in self.terminal and not (status == self.last and stage == self.last):
            raise TransitionRefused(f"{self.noun}已{LABELS[status]}，不能再推进")
        missing = self.missing_documents(stage, documents)
        if missing:
            raise TransitionRefused("缺少材料：" + "、".join(missing))
        if not decision_passed:
            raise TransitionRefused("需要审核人“通过”后才能进入下一阶段")
        target = self.next_stage(stage)
        if target is None:
            return self.last
        if not self.allowed(status, target):
            raise TransitionRefused(f"不能从“{LABELS[status]}”进入“{LABELS[target]}”")
        return target

    def reachable_ends(self, start: str = DECLARED) -> set[str]:
        """Statuses with no way out that can be reached from ``start``."""
        seen, frontier, ends = set(), [start], set()
        while frontier:
            s = frontier.pop()
            if s in seen:
                continue
            seen.add(s)
            if not self.transitions[s]:
                ends.add(s)
            frontier.extend(self.transitions[s])
        return ends


RESEARCH = Lifecycle("课题", STAGES, TRANSITIONS, REQUIRED_DOCUMENTS, PUBLIC)
NEW_TECH = Lifecycle(
    "项目",
    (DECLARED, ASSESSED, PRACTISED, SUMMARISED),
    {
        DECLARED: frozenset({ASSESSED, WITHDRAWN}),
        ASSESSED: frozenset({PRACTISED, WITHDRAWN}),
        PRACTISED: frozenset({SUMMARISED, WITHDRAWN}),
        SUMMARISED: frozenset(),
        WITHDRAWN: frozenset(),
    },
    {
        DECLARED: ("新技术新项目申报书",),
        ASSESSED: ("技术评估与伦理审查意见",),
        PRACTISED: ("开展情况记录",),
        SUMMARISED: ("总结报告",),
    },
    frozenset({ASSESSED, PRACTISED, SUMMARISED}),
)
FLOWS: dict[str, Lifecycle] = {"research": RESEARCH, "new_tech": NEW_TECH}
ALL_STAGES: tuple[str, ...] = tuple(dict.fromkeys(s for f in FLOWS.values() for s in f.stages))
ALL_PUBLIC: frozenset[str] = frozenset().union(*(f.public for f in FLOWS.values()))


# The 课题 lifecycle's functions, as before.
allowed = RESEARCH.allowed
next_stage = RESEARCH.next_stage
missing_documents = RESEARCH.missing_documents
check_advance = RESEARCH.check_advance
reachable_ends = RESEARCH.reachable_ends
