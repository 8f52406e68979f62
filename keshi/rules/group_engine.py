"""Requirements owed by groups (``owner = group``): 每个教研组每周一次教研活动.

Such a requirement is judged once per group of its audience — the groups it names, else every
group of the org of ``owner_group_kind`` — over the group's closed 教研活动 sessions (see
keshi.rules.tallies). The periods, deadlines and statuses are the person engine's: the same
:class:`keshi.rules.engine.Cell` rows, whose owner is the group. There are no windows and no
exemptions: a group owes the whole term (exemptions excuse people, not groups).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from keshi.calendar.holidays import DayCalendar
from keshi.calendar.models import Term
from keshi.org.models import Group
from keshi.rules import engine, tallies
from keshi.rules.engine import Compliance
from keshi.rules.models import Requirement


def owned_by_groups(requirements: Iterable[Requirement]) -> list[Requirement]:
    return [r for r in requirements if r.owner == Requirement.Owner.GROUP]


def audience(requirement: Requirement, groups: list[Group]) -> list[Group]:
    """The groups of ``groups`` that owe ``requirement``."""
    named = {g.pk for g in requirement.groups.all()}
    if named:
        return [g for g in groups if g.pk in named]
    return [g for g in groups if g.kind == requirement.owner_group_kind]


def evaluate_groups(
    *,
    term: Term,
    at: date,
    groups: Iterable[Group] | None = None,
    requirements: Iterable[Requirement] | None = None,
    history: bool = True,
) -> Compliance:
    """Standing of ``groups`` (default: the org's) on the group-owned ``requirements``
    (default: the org's active ones); ``cells`` are keyed (group id, requirement id)."""
    org = term.school_year.org
    if requirements is None:
        requirements = Requirement.objects.live().filter(org=org, owner="group")
    if groups is None:
        groups = Group.objects.filter(org=org)
    groups = sorted(groups, key=lambda g: (g.kind, g.name, g.pk))
    reqs = owned_by_groups(engine.load_requirements(requirements))
    result = Compliance(term=term, at=at, requirements=reqs, people=[], groups=groups)
    if not reqs or not groups:
        return result
    days = DayCalendar(term.school_year.start, term.school_year.end, org)
    plans = []
    for r in reqs:
        school_year = r.period == Requirement.Period.SCHOOL_YEAR
        whole: list[tuple[date, date | None]] = [
            (term.school_year.start if school_year else term.start, None)
        ]
        owners = dict.fromkeys((g.pk for g in audience(r, groups)), whole)
        deadlines = engine._deadlines(r, term, days, at, history)
        plans.append(engine._Plan(r, deadlines, owners, whole))
    found = tallies.sessions(plans, org_id=org.pk, group_ids=[g.pk for g in groups], at=at)
    for plan in plans:
        engine._cells(plan, found.get(plan.requirement.pk), {}, at, result.cells)
    return result
