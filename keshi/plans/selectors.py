"""Reads for work plans, all through keshi.org.scoping.

Who reads a plan: office staff, leaders and district staff over its org read every plan; the
org's teachers read its published (and archived) plans only — a draft is the office's until it
is published. Everyone else gets nothing (the pages answer 404).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from keshi.org.scoping import can_read_org, scope_for, visible
from keshi.org.selectors import HistoryEntry, audit_trail
from keshi.plans.models import Duty, Plan, PlanSection, Suggestion
from keshi.rules.describe import describe, rule_of
from keshi.rules.models import Requirement

READABLE_BY_ALL = (Plan.Status.PUBLISHED, Plan.Status.ARCHIVED)


def readable_plans(user) -> QuerySet[Plan]:
    scope = scope_for(user)
    qs = visible(user, Plan.objects.select_related("org", "group", "term__school_year"))
    if scope.is_admin:
        return qs
    whole = Q(pk__in=[])
    for path in scope.read_paths:
        whole |= Q(org__path__startswith=path)
    return qs.filter(whole | Q(status__in=READABLE_BY_ALL))


def plans_list(user) -> QuerySet[Plan]:
    """The plans ``user`` may read, newest first, with their pending and adopted counts (the
    list's filters are keshi.plans.filters.PlanFilter)."""
    qs = readable_plans(user).select_related("school_year")
    pending = Q(
        suggestions__status=Suggestion.Status.PENDING,
        suggestions__kind=Suggestion.Kind.REQUIREMENT,
    )
    return qs.annotate(
        pending_count=Count("suggestions", filter=pending, distinct=True),
        requirement_count=Count("requirements", distinct=True),
    ).order_by("-created_at", "-pk")


def plan_requirements(plan: Plan) -> list[Requirement]:
    requirements = list(
        Requirement.objects.filter(plan=plan).prefetch_related("kinds", "groups", "tags")
    )
    for r in requirements:
        r.sentence = describe(rule_of(r))
    return requirements


def suggestions_of(plan: Plan, *, kind: str, status: str | None = None) -> QuerySet[Suggestion]:
    qs = plan.suggestions.filter(kind=kind).select_related("requirement")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("position", "pk")


def can_read_whole(user, plan: Plan) -> bool:
    """Office, leader, district (and admin): drafts, suggestions and history are theirs."""
    return can_read_org(user, plan.org)


# ---- versions ------------------------------------------------------------------------------

LONG = 80


@dataclass
class Fragment:
    op: str  # "equal" "insert" "delete"
    text: str


def _fragments(old: str, new: str, context: int = 20) -> list[Fragment]:
    """A character diff of a long text, unchanged stretches cut to ``context`` characters."""
    out: list[Fragment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            text = old[a1:a2]
            if len(text) > 2 * context:
                text = f"{text[:context]} … {text[-context:]}"
            out.append(Fragment("equal", text))
            continue
        if a2 > a1:
            out.append(Fragment("delete", old[a1:a2]))
        if b2 > b1:
            out.append(Fragment("insert", new[b1:b2]))
    return out


def plan_history(plan: Plan, limit: int = 200) -> list[HistoryEntry]:
    """Who changed what and when: the plan, its sections and its 分工 (deleted ones too),
    newest first; long texts carry ``fragments`` (a diff) instead of old → new."""
    entries = audit_trail(
        plan.history.all(),
        PlanSection.history.filter(plan_id=plan.pk),
        Duty.history.filter(plan_id=plan.pk),
        limit=limit,
    )
    for entry in entries:
        for change in entry.changes:
            long = len(change.old) > LONG or len(change.new) > LONG
            change.fragments = _fragments(change.old, change.new) if long else None
    return entries


@dataclass
class InContext:
    before: str
    source: str
    after: str


def in_context(texts: list[str], source: str, width: int = 60) -> InContext:
    """The clause with what surrounds it in the plan's text, for highlighting."""
    for text in texts:
        at = text.find(source)
        if at >= 0:
            start, end = max(0, at - width), at + len(source) + width
            before = ("…" if start else "") + text[start:at]
            after = text[at + len(source) : end] + ("…" if end < len(text) else "")
            return InContext(before.replace("\n", " "), source, after.replace("\n", " "))
    return InContext("", source, "")
