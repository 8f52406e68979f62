"""Requirements owed by groups (``owner = group``): 每个教研组每周一次教研活动.

Such a requirement is judged once per group of its audience — the groups it names, else every
group of the org of ``owner_group_kind`` — over the group's closed 教研活动 sessions, or, when
its kinds are others than 教研活动 (每个科室每半年选派一人进修), over its members' records of
those kinds (see keshi.rules.tallies). The periods, deadlines and statuses are the person engine's: the same
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

GROUP_ACTIVITY = "group_activity"  # the kind a group's closed sessions give their attendees


def owned_by_groups(requirements: Iterable[Requirement]) -> list[Requirement]:
    return [r for r in requirements if r.owner == Requirement.Owner.GROUP]


def counts_members(requirement: Requirement) -> bool:
    """Whether a group-owned rule counts its members' records rather than its sessions."""
    codes = {k.code for k in requirement.kinds.all()}
    return bool(codes) and GROUP_ACTIVITY not in codes


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
    ids = [g.pk for g in groups]
    members = [p for p in plans if counts_members(p.requirement)]
    sessions = [p for p in plans if not counts_members(p.requirement)]
    found = tallies.sessions(sessions, org_id=org.pk, group_ids=ids, at=at)
    found |= tallies.member_records(members, org_id=org.pk, group_ids=ids, at=at)
    for plan in plans:
        engine._cells(plan, found.get(plan.requirement.pk), {}, at, result.cells)
    return result
