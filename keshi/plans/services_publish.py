"""Publishing a plan after the office's review (发布前核对, issue #23).

:func:`publish_plan` applies the office's answer for each (new rule, existing live rule) pair —
保留两条, 替换现有 (the existing rule is disabled) or 合并 (the new rule is not published: it
stays in the plan disabled, and its clause is written into the existing rule's 计划原文 when
that is empty; a pair of two drafts of the plan is answered the same way, the earlier draft
standing for the existing rule) — and then publishes the plan with
:func:`keshi.plans.services.set_status`, all in one transaction: if any step fails, nothing is
published and no existing rule changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keshi.plans import services
from keshi.plans.models import Plan
from keshi.plans.selectors_publish import CHOICES, MERGE, REPLACE, Review, publish_review
from keshi.rules import services as rules
from keshi.rules.models import Requirement


@dataclass
class Published:
    plan: Plan
    published: list[Requirement] = field(default_factory=list)
    replaced: list[Requirement] = field(default_factory=list)  # existing rules disabled
    merged: list[Requirement] = field(default_factory=list)  # new rules not published


def _decide(review: Review, choices: Mapping[str, str]) -> dict[str, str]:
    """pair key → choice, defaults filled in; contradictory answers are refused."""
    decided: dict[str, str] = {}
    errors: list[str] = []
    replaced: dict[int, tuple[Requirement, Requirement]] = {}  # existing → (it, new rule)
    merged: dict[int, Requirement] = {}  # existing → the new rule merged into it
    for draft in review.rules:
        new = draft.requirement
        for pair in draft.pairs:
            choice = choices.get(pair.key) or pair.default
            if choice not in CHOICES:
                raise ValidationError(_("无法识别的选择：%(c)s。") % {"c": choice})
            decided[pair.key] = choice
            existing = pair.match.existing
            if choice == REPLACE:
                replaced[existing.pk] = (existing, new)
            elif choice == MERGE:
                merged[existing.pk] = new
        answers = {decided[p.key] for p in draft.pairs}
        if {MERGE, REPLACE} <= answers:
            errors.append(
                _("“%(r)s”不能既合并进现有规则又替换现有规则，请只选一种。") % {"r": new.name}
            )
    for pk in replaced.keys() & merged.keys():
        existing, by = replaced[pk]
        errors.append(
            _("现有规则“%(e)s”已选择被“%(a)s”替换，不能再把“%(b)s”合并进去。")
            % {"e": existing.name, "a": by.name, "b": merged[pk].name}
        )
    if errors:
        raise ValidationError(errors)
    return decided


@transaction.atomic
def publish_plan(*, plan: Plan, user, choices: Mapping[str, str] | None = None) -> Published:
    """Publish a draft ``plan`` with ``choices`` (pair key, as
    :func:`keshi.plans.selectors_publish.pair_key` → keep/replace/merge; a pair left out takes
    its default: 合并 for an exact duplicate, else 保留两条)."""
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to the term.
    plan = (
        Plan.objects.select_for_update(of=("self",)).select_related("org", "term").get(pk=plan.pk)
    )
    services.check_manager(user, plan.org)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("只有草稿计划可以发布。"))
    review = publish_review(plan, with_impact=False)
    decided = _decide(review, choices or {})
    result = Published(plan=plan)
    # A draft replaced by a later draft of the same plan is never published.
    replaced_drafts = {
        p.match.existing.pk for p in review.pairs if p.sibling and decided[p.key] == REPLACE
    }
    for draft in review.rules:
        rule = draft.requirement
        if rule.pk in replaced_drafts:
            rules.set_active(requirement=rule, user=user, active=False)
            result.merged.append(rule)
            continue
        merged = False
        for pair in draft.pairs:
            existing = pair.match.existing
            choice = decided[pair.key]
            if choice == REPLACE and existing.active and not pair.sibling:
                rules.set_active(requirement=existing, user=user, active=False)
                existing.active = False
                result.replaced.append(existing)
            elif choice == MERGE:
                merged = True
                if not existing.source_text.strip() and rule.source_text.strip():
                    rules.update_requirement(
                        requirement=existing, user=user, source_text=rule.source_text
                    )
                    existing.source_text = rule.source_text
        if merged:
            rules.set_active(requirement=rule, user=user, active=False)
            result.merged.append(rule)
        else:
            result.published.append(rule)
    services.set_status(plan=plan, user=user, status=Plan.Status.PUBLISHED)
    return result
