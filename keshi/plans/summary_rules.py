"""The 工作总结's 量化要求完成情况: every rule in force in the term, and how people and groups did.

A rule is in force in the term when it is live (enabled, its plan not a draft), took effect
before the term ended, and belongs to no plan or to a plan of this term (or of its school year).
The plan's own rules come first; the org's other rules follow, marked ``from_plan=False``, so
the summary reports what was actually asked of people that term, not only what the plan listed.

Rules owed by people are judged per person (see :func:`outcome`); rules owed by groups
(每个教研组每周一次教研活动) once per group, through ``keshi.rules.group_engine``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from keshi.calendar.models import Term
from keshi.org.models import Group, Membership, Org
from keshi.org.scoping import visible
from keshi.plans.models import Plan
from keshi.rules.describe import describe, rule_of
from keshi.rules.group_engine import evaluate_groups
from keshi.rules.models import Requirement
from keshi.rules.status import Status

NO_GROUP = "未分组"
MISSED_UNITS = {
    "day": "天",
    "week": "周",
    "two_weeks": "个双周",
    "month": "个月",
    "half_year": "个半年",
}


@dataclass
class Rate:
    name: str
    assessed: int = 0
    met: int = 0
    running: int = 0
    missed: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.assessed, 1) if self.assessed else None

    def add(self, outcome: Status) -> None:
        self.assessed += 1
        if outcome is Status.MET:
            self.met += 1
        elif outcome is Status.MISSED:
            self.missed += 1
        else:
            self.running += 1


@dataclass
class RequirementResult:
    requirement: Requirement
    sentence: str
    groups: list[Rate]  # per 教研组 (people's rules); empty for a rule owed by groups
    total: Rate
    missed: list[str]  # "张老师" or "张老师（缺3周）"; group names for a group rule
    exempt: int
    from_plan: bool = True
    by_groups: bool = False  # owed by groups: ``total`` counts groups, not people


def outcome(cells, at: date) -> tuple[Status | None, int]:
    """A person's outcome on one requirement and the number of missed periods (see
    keshi.plans.summary's module doc)."""
    counted = [c for c in cells if c.status not in (Status.NOT_DUE, Status.EXEMPT)]
    if not counted:
        return (
            Status.EXEMPT if cells and any(c.status is Status.EXEMPT for c in cells) else None
        ), 0
    closed = [c for c in counted if c.due < at]
    missed = sum(1 for c in counted if c.status is Status.MISSED)
    if closed:
        return (
            Status.MET
            if all(c.status is Status.MET for c in closed) and not missed
            else Status.MISSED
        ), missed
    status = counted[-1].status
    return (Status.MISSED if status is Status.MISSED else status), missed


def rules_in_force(user, *, org: Org, term: Term, plan: Plan | None) -> list[Requirement]:
    """The term's rules (module doc), the plan's own first."""
    qs = (
        visible(user, Requirement.objects.live().filter(org=org))
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=term.end))
        .filter(
            Q(plan__isnull=True)
            | Q(plan__term=term)
            | Q(plan__term__isnull=True, plan__school_year_id=term.school_year_id)
        )
        .order_by("pk")
    )
    found = list(qs)
    own = plan.pk if plan is not None else None
    return sorted(found, key=lambda r: (r.plan_id != own or own is None, r.pk))


def subject_groups(user, org: Org, person_ids: list[int], at: date) -> dict[int, list[str]]:
    """Each person's current 教研组 names."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = visible(
        user,
        Membership.objects.current(at).filter(
            person_id__in=person_ids, group__org=org, group__kind=Group.Kind.SUBJECT
        ),
    )
    for pid, name in rows.order_by("group__name").values_list("person_id", "group__name"):
        if name not in found[pid]:
            found[pid].append(name)
    return found


def person_result(r, result, names, groups, at: date, *, from_plan: bool) -> RequirementResult:
    rates: dict[str, Rate] = {}
    total = Rate("合计")
    missed, exempt = [], 0
    unit = MISSED_UNITS.get(r.period)
    for pid, name in names.items():
        status, n_missed = outcome(result.periods(pid, r.pk), at)
        if status is None:
            continue
        if status is Status.EXEMPT:
            exempt += 1
            continue
        total.add(status)
        for g in groups.get(pid) or [NO_GROUP]:
            rates.setdefault(g, Rate(g)).add(status)
        if status is Status.MISSED:
            missed.append(f"{name}（缺{n_missed}{unit}）" if unit and n_missed else name)
    ordered = sorted(rates.values(), key=lambda g: (g.name == NO_GROUP, g.name))
    sentence = describe(rule_of(r))
    return RequirementResult(r, sentence, ordered, total, missed, exempt, from_plan)


def group_results(
    user, *, org: Org, term: Term, at: date, requirements: list[Requirement], plan: Plan | None
) -> list[RequirementResult]:
    """Rules owed by groups, judged once per group the user may read."""
    if not requirements:
        return []
    groups = list(visible(user, Group.objects.filter(org=org)))
    result = evaluate_groups(term=term, at=at, groups=groups, requirements=requirements)
    unit_of = {r.pk: MISSED_UNITS.get(r.period) for r in requirements}
    out = []
    for r in result.requirements:
        total, missed = Rate("合计"), []
        for g in result.groups:
            status, n_missed = outcome(result.periods(g.pk, r.pk), at)
            if status is None or status is Status.EXEMPT:
                continue
            total.add(status)
            if status is Status.MISSED:
                unit = unit_of.get(r.pk)
                missed.append(f"{g.name}（缺{n_missed}{unit}）" if unit and n_missed else g.name)
        own = plan is not None and r.plan_id == plan.pk
        out.append(
            RequirementResult(
                r, describe(rule_of(r)), [], total, missed, 0, from_plan=own, by_groups=True
            )
        )
    return out
