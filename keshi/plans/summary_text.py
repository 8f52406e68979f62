"""Sentences the 工作总结 writes from the gathered data when the office has not written its own
主要成绩, 存在问题 or 下学期打算 (keshi.plans.summary.summary_words). Pure: they read a
:class:`~keshi.plans.summary.Summary` and return paragraphs; the office's words, when given,
replace them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keshi.plans.summary import Summary

LOW_RATE = 80.0  # a rule completed by fewer than this share of people is a 存在问题


def _pct(value: float | None) -> str:
    return f"{value:g}%" if value is not None else "—"


def achievements(s: Summary) -> list[str]:
    lines = []
    if s.awards.lines:
        counts = "，".join(f"{level}{award}{n}项" for level, award, n in s.awards.by_level())
        lines.append(f"评比获奖{len(s.awards.lines)}项（{counts}）。")
    moved = [p for p in s.research.projects if p.this_term != "—"]
    if moved:
        names = "、".join(f"《{p.title}》{p.this_term.split('（')[0]}" for p in moved[:5])
        lines.append(f"课题研究有进展的{len(moved)}项：{names}。")
    gw = s.group_work
    if gw.lines:
        lines.append(f"{len(gw.lines)}个组开展教研活动{gw.sessions}次，出勤率{_pct(gw.rate)}。")
    if s.training.lines:
        lines.append(
            f"教师参加培训{s.training.records}人次，累计{s.training.hours.normalize():f}学时。"
        )
    people_rules = [r for r in s.requirements if not r.by_groups]
    full = [r.requirement.name for r in people_rules
            if r.total.assessed and r.total.met == r.total.assessed]  # fmt: skip
    if full:
        lines.append(f"全员完成的量化要求：{'、'.join(full)}。")
    if s.checks.inspections:
        lines.append(f"开展检查{len(s.checks.inspections)}次，整改落实{s.checks.rectified}条。")
    return [f"{n}．{line}" for n, line in enumerate(lines, start=1)] or [
        "本学期没有获奖、课题进展、教研活动或培训的记录可以汇总。"
    ]


def _behind(s: Summary) -> list:
    """Rules some people (or groups) missed, completed by fewer than LOW_RATE of them."""
    return [r for r in s.requirements
            if r.total.missed and (r.total.percent or 0) < LOW_RATE]  # fmt: skip


def problems(s: Summary) -> list[str]:
    lines = []
    for r in _behind(s):
        who = "个组" if r.by_groups else "人"
        names = "、".join(r.missed[:6]) + ("等" if len(r.missed) > 6 else "")
        lines.append(
            f"“{r.requirement.name}”完成率{_pct(r.total.percent)}，"
            f"{r.total.missed}{who}未完成（{names}）。"
        )
    if s.checks.overdue:
        lines.append(f"检查提出的整改有{s.checks.overdue}条逾期未完成。")
    overdue = s.calendar_counts["overdue"]
    if overdue:
        lines.append(f"行事历中有{overdue}项工作逾期未开展。")
    low = [x for x in s.group_work.lines if x.rate is not None and x.rate < LOW_RATE]
    if low:
        lines.append(
            "教研活动出勤率偏低：" + "、".join(f"{x.group}{_pct(x.rate)}" for x in low) + "。"
        )
    return [f"{n}．{line}" for n, line in enumerate(lines, start=1)] or [
        f"各项量化要求完成率均在{LOW_RATE:g}%以上，检查整改和行事历工作均按期落实。"
    ]


def next_term(s: Summary) -> list[str]:
    lines = []
    behind = [r.requirement.name for r in _behind(s)]
    if behind:
        lines.append(f"重点督促落实{'、'.join(behind)}，按月通报完成情况。")
    open_fixes = [x for x in s.checks.fixes if not x.state.startswith("已整改")]
    if open_fixes:
        lines.append(f"跟踪未完成的整改{len(open_fixes)}条，逐条复查销号。")
    postponed = [r.item.title for r in s.calendar if r.status == "postponed"]
    if postponed:
        lines.append(f"延期的工作顺延安排：{'、'.join(postponed)}。")
    running = [p for p in s.research.projects if p.status not in ("结题", "撤项")]
    if running:
        lines.append(f"推进在研课题{len(running)}项的下一阶段工作。")
    return [f"{n}．{line}" for n, line in enumerate(lines, start=1)] or [
        "本学期各项工作均已按期完成，下学期按新学期工作计划开展。"
    ]
