"""Reads for the publish page (发布前核对, issue #23): per rule waiting in a draft plan, the
clause it came from, the live rules — and the plan's earlier drafts — it duplicates or overlaps
(keshi.rules.overlaps) with the office's choice for each pair, and its impact by 教研组
(keshi.rules.impact)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from keshi.plans.models import Plan
from keshi.rules import services as rules
from keshi.rules.describe import describe, rule_of
from keshi.rules.impact import Impact, impacts
from keshi.rules.models import Requirement
from keshi.rules.overlaps import Match, live_matches

KEEP, REPLACE, MERGE = "keep", "replace", "merge"
CHOICES = {
    KEEP: "保留两条",
    REPLACE: "替换现有",
    MERGE: "合并",
}
CHOICE_HELP = {
    KEEP: "两条都发布，适用对象中的人两条都要完成。",
    REPLACE: "发布新规则，现有规则同时停用（已有记录保留）。",
    MERGE: "不发布新规则（在本计划中标为已停用），只保留现有规则；新规则的内容一概不保留，"
    "只在现有规则没有计划原文时记下新规则的原文。",
}


def pair_key(rule_id: int, existing_id: int) -> str:
    """The form field of one (new rule, existing rule) pair."""
    return f"pair-{rule_id}-{existing_id}"


def default_choice(match: Match) -> str:
    """合并 for an exact duplicate (going live it would double everyone's task), else 保留两条."""
    return MERGE if match.duplicate else KEEP


@dataclass
class Pair:
    match: Match
    key: str
    default: str
    chosen: str = ""  # the page's current answer (the default until the office changes it)
    sibling: bool = False  # the other rule is an earlier draft of the same plan, not a live one


@dataclass
class DraftRule:
    requirement: Requirement
    sentence: str
    pairs: list[Pair]
    impact: Impact | None = None

    @property
    def has_duplicate(self) -> bool:
        return any(p.match.duplicate for p in self.pairs)


@dataclass
class Review:
    plan: Plan
    on: date
    effective_from: date
    rules: list[DraftRule] = field(default_factory=list)

    @property
    def pairs(self) -> list[Pair]:
        return [p for r in self.rules for p in r.pairs]


def draft_rules(plan: Plan) -> list[Requirement]:
    """The rules publishing ``plan`` would put live (its enabled ones)."""
    return list(
        plan.requirements.filter(active=True)
        .select_related("org")
        .prefetch_related("kinds", "groups", "tags")
        .order_by("pk")
    )


def publish_review(plan: Plan, *, with_impact: bool = True) -> Review:
    """What publishing ``plan`` today would do; nothing is written."""
    on = timezone.localdate()
    review = Review(plan=plan, on=on, effective_from=rules.default_effective_from(plan.term))
    drafts = draft_rules(plan)
    live = list(
        Requirement.objects.live()
        .filter(org=plan.org)
        .exclude(plan=plan)
        .prefetch_related("kinds", "groups", "tags")
        .order_by("pk")
    )
    for i, rule in enumerate(drafts):
        # Two drafts of one plan can double a task as surely as a draft and a live rule.
        pairs = [
            Pair(
                m,
                pair_key(rule.pk, m.existing.pk),
                default_choice(m),
                default_choice(m),
                sibling=m.existing.plan_id == plan.pk,
            )
            for m in live_matches(rule, org=plan.org, among=live + drafts[:i])
        ]
        review.rules.append(DraftRule(rule, describe(rule_of(rule)), pairs))
    if with_impact and drafts:
        found = impacts(
            drafts, org=plan.org, on=on, term=plan.term, effective_from=review.effective_from
        )
        for draft in review.rules:
            draft.impact = found[draft.requirement.pk]
    return review
