"""Reads for group-owned requirements (按组考核): a group's standing on its page, the group
lead's 本组 tasks in 我的任务, and the per-group section of the compliance page.

Who may read a group's standing: those who read the group's org whole (office, leaders, the
district, admins) and the group's leads (组长/副组长, and of its sub-groups). A plain member sees
neither — the same rule as the group's member list (keshi.org.views.group).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from keshi.calendar.models import Term
from keshi.org.models import Group, Membership, Org, Person
from keshi.org.scoping import can_read_org, scope_for, visible
from keshi.rules import selectors
from keshi.rules.group_engine import audience, evaluate_groups
from keshi.rules.models import Requirement
from keshi.rules.selectors import Shown, Task, Tasks, is_cap, tasks_of


def group_requirements_of(user, org: Org) -> QuerySet[Requirement]:
    return visible(user, Requirement.objects.live().filter(org=org, owner=Requirement.Owner.GROUP))


def may_read_standing(user, group: Group) -> bool:
    """Whether ``user`` may see how ``group`` stands (``group`` was fetched through scoping)."""
    return can_read_org(user, group.org) or group.pk in scope_for(user).lead_group_ids


def readable_groups(user, org: Org) -> QuerySet[Group]:
    """The groups of ``org`` whose standing ``user`` may read."""
    groups = visible(user, Group.objects.filter(org=org))
    if can_read_org(user, org):
        return groups
    return groups.filter(pk__in=scope_for(user).lead_group_ids)


def group_tasks(user, *, group: Group, term: Term, at: date) -> list[Task]:
    """What ``group`` owes in ``term`` as of ``at`` (``user`` may read it: the caller checked
    :func:`may_read_standing`), most urgent first."""
    reqs = group_requirements_of(user, group.org)
    result = evaluate_groups(term=term, at=at, groups=[group], requirements=reqs)
    return sorted(
        tasks_of(result, group.pk, at=at, term=term, group=group), key=lambda t: t.urgency
    )


def lead_groups(person: Person, at: date) -> list[Group]:
    """The groups ``person`` leads (组长/副组长) on ``at``."""
    ids = (
        Membership.objects.current(at)
        .filter(person=person, role__in=Membership.LEAD_ROLES)
        .values("group_id")
    )
    return list(Group.objects.filter(pk__in=ids).order_by("kind", "name"))


def my_tasks(user, *, person: Person, term: Term, at: date) -> Tasks:
    """:func:`keshi.rules.selectors.my_tasks` plus, for a group lead, the group-owned tasks of
    the groups they lead (本组), all most urgent first."""
    tasks = selectors.my_tasks(user, person=person, term=term, at=at)
    groups = lead_groups(person, at)
    if groups:
        reqs = group_requirements_of(user, person.org)
        result = evaluate_groups(term=term, at=at, groups=groups, requirements=reqs)
        for group in groups:
            tasks.items.extend(tasks_of(result, group.pk, at=at, term=term, group=group))
        tasks.items.sort(key=lambda t: t.urgency)
    return tasks


@dataclass
class GroupRow:
    group: Group
    cells: list[Shown | None]


@dataclass
class GroupMatrix:
    requirements: list[Requirement]
    rows: list[GroupRow]


def group_matrix(user, *, org: Org, term: Term, at: date) -> GroupMatrix:
    """Groups × group-owned requirements, current period: the rows are the groups ``user`` may
    read that owe at least one of them."""
    reqs = list(group_requirements_of(user, org))
    if not reqs:
        return GroupMatrix([], [])
    groups = list(readable_groups(user, org))
    result = evaluate_groups(term=term, at=at, groups=groups, requirements=reqs, history=False)
    owing = {g.pk for r in result.requirements for g in audience(r, groups)}
    rows = []
    for g in result.groups:
        if g.pk not in owing:
            continue
        cells = [result.current(g.pk, r.pk) for r in result.requirements]
        shown = [
            Shown(c, is_cap(r)) if c else None
            for c, r in zip(cells, result.requirements, strict=True)
        ]
        rows.append(GroupRow(g, shown))
    return GroupMatrix(result.requirements, rows)
