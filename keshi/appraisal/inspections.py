"""Points from inspection results (检查结果 rules), written to the ledger with
``Source.INSPECTION`` and keyed ``rule<r>:result<i>`` per (rule, inspection result).

The ledger follows the inspection: applying again after a 重新打开 and a second completion
changes an entry whose result changed, removes one whose result no longer meets the rule, and
never duplicates. Entries of disabled rules are left alone (rules are disabled, not deleted,
so that what was granted stays explained).

A result of a group (按组评分) gives the rule's points to each of the group's current members:
the group was scored for work they did together (集体备课、教研组检查).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.appraisal.models import PointEntry, PointRule, Source
from keshi.checks.models import Inspection, InspectionResult
from keshi.org.models import Membership, Person


@dataclass
class Synced:
    created: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0


def _day(inspection: Inspection) -> date:
    """The inspection's end, else its start, else the day it was completed."""
    if inspection.end or inspection.start:
        return inspection.end or inspection.start
    return timezone.localdate(inspection.completed_at or timezone.now())


def _receivers(result: InspectionResult) -> list[Person]:
    if result.person_id:
        return [result.person]
    members = Membership.objects.current().filter(group_id=result.group_id, person__active=True)
    return [m.person for m in members.select_related("person").order_by("person__name", "pk")]


def _reason(inspection: Inspection, result: InspectionResult, rule: PointRule) -> str:
    what = result.level or f"{result.percent.normalize():f}%"
    who = f" {result.group.name}" if result.group_id else ""
    return _("%(inspection)s%(who)s：%(what)s（%(rule)s）") % {
        "inspection": inspection.title,
        "who": who,
        "what": what,
        "rule": rule.name,
    }


def _wanted(inspection: Inspection, rules: list[PointRule]) -> dict[tuple[int, str], PointEntry]:
    if inspection.status != Inspection.Status.COMPLETED or not rules:
        return {}
    ct = ContentType.objects.get_for_model(Inspection)
    day = _day(inspection)
    out = {}
    for result in inspection.results.select_related("person", "group"):
        matching = [
            r for r in rules if r.matches_inspection(inspection.kind, result.level, result.percent)
        ]
        if not matching:
            continue
        receivers = _receivers(result)
        for rule in matching:
            key = f"rule{rule.pk}:result{result.pk}"
            for person in receivers:
                out[(person.pk, key)] = PointEntry(
                    org_id=person.org_id,
                    person=person,
                    date=day,
                    points=rule.points,
                    reason=_reason(inspection, result, rule)[:200],
                    source=Source.INSPECTION,
                    source_type=ct,
                    source_id=inspection.pk,
                    source_key=key,
                    rule=rule,
                )
    return out


@transaction.atomic
def sync_inspection_points(inspection: Inspection) -> Synced:
    """Make the ledger agree with ``inspection``'s results under its org's active 检查结果
    rules. Idempotent; an inspection that is not 已完成 wants no entries yet, but keeps those
    it has until it is completed again."""
    if inspection.status != Inspection.Status.COMPLETED:
        return Synced()
    rules = list(
        PointRule.objects.filter(
            org_id=inspection.org_id, active=True, trigger=PointRule.Trigger.INSPECTION_RESULT
        ).order_by("pk")
    )
    wanted = _wanted(inspection, rules)
    existing = {
        (e.person_id, e.source_key): e
        for e in PointEntry.objects.filter(
            source=Source.INSPECTION,
            source_type=ContentType.objects.get_for_model(Inspection),
            source_id=inspection.pk,
            rule__in=rules,
        )
    }
    out = Synced()
    for key, entry in existing.items():
        new = wanted.get(key)
        if new is None:
            entry.delete()
            out.removed += 1
        elif (entry.points, entry.reason, entry.date) != (new.points, new.reason, new.date):
            entry.points, entry.reason, entry.date = new.points, new.reason, new.date
            entry.save(update_fields=["points", "reason", "date"])
            out.changed += 1
        else:
            out.unchanged += 1
    new_entries = [e for key, e in wanted.items() if key not in existing]
    PointEntry.objects.bulk_create(new_entries)
    out.created = len(new_entries)
    return out


def on_inspection_completed(sender, inspection: Inspection, **kwargs) -> None:
    sync_inspection_points(inspection)
