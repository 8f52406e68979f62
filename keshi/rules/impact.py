"""The impact of putting a rule live (issue #23): whom it covers and who would not have met it
on the day it goes live, by 教研组 (科室 in a hospital) — or, for a rule owed by groups, the
groups and where each stands.

The engine answers (``keshi.rules.engine.evaluate_loaded`` and
``keshi.rules.group_engine.evaluate_groups``, current period only), with the rule's
effective-from date set in memory to the day it would start — nothing is written, and the
compliance maths exists once. A draft rule can be asked about: the engine is given it
explicitly, so it need not be live yet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term
from keshi.org.models import Group, Membership, Org, Person
from keshi.rules import engine, group_engine, services
from keshi.rules.models import Requirement
from keshi.rules.status import LABELS, Status

NOT_MET = (Status.ON_TRACK, Status.BEHIND, Status.MISSED)
BEHIND = (Status.BEHIND, Status.MISSED)
BY_GROUP_KINDS = (Group.Kind.SUBJECT, Group.Kind.DEPARTMENT)
NO_GROUP = "未分组"


@dataclass
class Row:
    """One 教研组 (or, for a group-owned rule, one owing group); ``not_met`` counts the
    current period not yet reached (on track, behind or missed), ``behind`` those of them below
    the elapsed share or past the deadline; ``exempt`` the excused."""

    label: str
    covered: int = 0
    not_met: int = 0
    behind: int = 0
    exempt: int = 0
    group: Group | None = None
    status: str = ""  # for a group-owned rule's row: where the group stands (已完成…)

    def add(self, status: Status) -> None:
        self.covered += 1
        self.not_met += status in NOT_MET
        self.behind += status in BEHIND
        self.exempt += status is Status.EXEMPT


@dataclass
class Impact:
    term: Term | None
    on: date
    effective_from: date | None
    unit: str = "人"  # 个组 for a rule owed by groups
    group_word: str = "教研组"
    rows: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row(label="合计"))


def group_word(org: Org) -> str:
    return "科室" if org.kind == Org.Kind.HOSPITAL else "教研组"


def impacts(
    requirements: list[Requirement],
    *,
    org: Org,
    on: date | None = None,
    term: Term | None = None,
    effective_from: date | None = None,
) -> dict[int, Impact]:
    """requirement id → how it would stand on ``on`` (default today) in ``term`` (default the
    org's current one) if it went live then, starting ``effective_from`` (default as publishing
    sets it: :func:`keshi.rules.services.default_effective_from`). One engine pass for the
    person rules and one for the group-owned ones, however many rules."""
    on = on or timezone.localdate()
    term = term or current_term(org, on)
    if term is None:
        return {r.pk: Impact(term=None, on=on, effective_from=effective_from) for r in requirements}
    effective_from = effective_from or services.default_effective_from(term)
    loaded = engine.load_requirements(requirements)
    for rule in loaded:
        rule.effective_from = effective_from
    found = {
        r.pk: Impact(term=term, on=on, effective_from=effective_from, group_word=group_word(org))
        for r in loaded
    }
    personal = [r for r in loaded if r.owner != Requirement.Owner.GROUP]
    if personal:
        _by_group(found, personal, org, term, on)
    if owned := group_engine.owned_by_groups(loaded):
        _by_owning_group(found, owned, term, on)
    return found


def impact(requirement: Requirement, **kwargs) -> Impact:
    """:func:`impacts` of one rule."""
    return impacts([requirement], org=requirement.org, **kwargs)[requirement.pk]


def _groups_of(person_ids, on: date) -> dict[int, list[Group]]:
    groups_of: dict[int, list[Group]] = defaultdict(list)
    for m in (
        Membership.objects.current(on)
        .filter(person_id__in=person_ids, group__kind__in=BY_GROUP_KINDS)
        .select_related("group")
        .order_by("group__name", "group_id")
    ):
        if m.group not in groups_of[m.person_id]:
            groups_of[m.person_id].append(m.group)
    return groups_of


def _by_group(
    found: dict[int, Impact], rules: list[Requirement], org: Org, term: Term, on: date
) -> None:
    people = list(Person.objects.filter(org=org, active=True))
    result = engine.evaluate_loaded(
        term=term, at=on, people=people, requirements=rules, history=False
    )
    covered = {pid for (pid, _rid) in result.cells}
    groups_of = _groups_of(covered, on)
    for rule in rules:
        impact = found[rule.pk]
        rows: dict[int | None, Row] = {}
        for person in people:
            cell = result.current(person.pk, rule.pk)
            if cell is None:
                continue
            impact.total.add(cell.status)
            for group in groups_of.get(person.pk) or [None]:
                key = group.pk if group else None
                if key not in rows:
                    rows[key] = Row(label=group.name if group else NO_GROUP, group=group)
                rows[key].add(cell.status)
        impact.rows = sorted(rows.values(), key=lambda r: (r.group is None, r.label))


def _by_owning_group(
    found: dict[int, Impact], rules: list[Requirement], term: Term, on: date
) -> None:
    """Each owing group as a row. The group engine reads the rules fresh, so its effective-from
    is the stored one; for the current period that makes no difference while the stored date
    is not later than ``on``."""
    result = group_engine.evaluate_groups(term=term, at=on, requirements=rules, history=False)
    for rule in rules:
        impact = found[rule.pk]
        impact.unit = "个组"
        for group in result.groups:
            cell = result.current(group.pk, rule.pk)
            if cell is None:
                continue
            row = Row(label=group.name, group=group, status=LABELS[cell.status])
            row.add(cell.status)
            impact.rows.append(row)
            impact.total.add(cell.status)
