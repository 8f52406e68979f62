"""学科竞赛 rounds (报名 → 预赛 → 复赛 → 成绩发布): writes. The office opens a round while the
contest is in 评审, enters each participant's score, and closes the round, which fixes who
advances (pure rule: keshi.contests.aggregate.advancing). Round 1 takes every entry; a later
round takes those who advanced from the one before. Entering 公示 ranks the last round."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from keshi.contests import aggregate
from keshi.contests.models import Contest, Entry, Round, RoundScore
from keshi.contests.services import _require_manager

ROUND_NAMES = ("预赛", "复赛", "决赛")


def participants(round_: Round) -> list[Entry]:
    return [s.entry for s in round_.scores.select_related("entry", "entry__person")]


@transaction.atomic
def open_round(
    *,
    contest: Contest,
    by,
    name: str = "",
    advance_top: int | None = None,
    advance_line: Decimal | None = None,
) -> Round:
    _require_manager(by, contest)
    if not contest.has_rounds:
        raise ValidationError("只有学科竞赛分轮次进行")
    if contest.phase != Contest.Phase.REVIEW:
        raise ValidationError("比赛轮次在“评审”阶段进行：请先结束报名")
    previous = contest.rounds.order_by("-number").first()
    if previous is not None and not previous.closed:
        raise ValidationError(f"“{previous.name}”尚未结束，不能开始下一轮")
    if previous is None:
        entries = list(contest.entries.all())
    else:
        entries = [s.entry for s in previous.scores.filter(advanced=True).select_related("entry")]
    if not entries:
        raise ValidationError("没有可以参加本轮的选手")
    number = (previous.number if previous else 0) + 1
    if advance_top is not None and advance_top < 1:
        raise ValidationError({"advance_top": "晋级人数至少为 1"})
    round_ = Round.objects.create(
        contest=contest,
        number=number,
        name=(name or "").strip() or ROUND_NAMES[min(number, len(ROUND_NAMES)) - 1],
        advance_top=advance_top,
        advance_line=advance_line,
    )
    RoundScore.objects.bulk_create(RoundScore(round=round_, entry=e) for e in entries)
    return round_


@transaction.atomic
def save_round_scores(*, round_: Round, by, scores: dict[int, Decimal | None]) -> int:
    """``scores``: entry id → score (None = 缺考). Returns how many rows changed."""
    round_ = Round.objects.select_for_update().select_related("contest").get(pk=round_.pk)
    contest = round_.contest
    _require_manager(by, contest)
    if round_.closed:
        raise ValidationError(f"“{round_.name}”已结束，成绩不能再修改")
    if contest.phase != Contest.Phase.REVIEW:
        raise ValidationError("评比不在评审阶段，不能录入成绩")
    rows = {s.entry_id: s for s in round_.scores.all()}
    unknown = set(scores) - set(rows)
    if unknown:
        raise ValidationError("有选手不在本轮名单中")
    bad = [v for v in scores.values() if v is not None and v < 0]
    if bad:
        raise ValidationError("成绩不能为负数")
    changed = []
    for entry_id, value in scores.items():
        row = rows[entry_id]
        if row.score != value:
            row.score = value
            changed.append(row)
    RoundScore.objects.bulk_update(changed, ["score"])
    return len(changed)


@transaction.atomic
def close_round(*, round_: Round, by) -> set[int]:
    """Fix who advances; returns their entry ids."""
    _require_manager(by, round_.contest)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.closed:
        raise ValidationError(f"“{round_.name}”已结束")
    rows = list(round_.scores.all())
    if all(r.score is None for r in rows):
        raise ValidationError("还没有录入成绩")
    going = aggregate.advancing(
        {r.entry_id: r.score for r in rows},
        top=round_.advance_top,
        line=round_.advance_line,
    )
    for r in rows:
        r.advanced = r.entry_id in going
    RoundScore.objects.bulk_update(rows, ["advanced"])
    round_.closed = True
    round_.save(update_fields=["closed"])
    return going
