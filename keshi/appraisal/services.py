"""Writes of the points ledger. Automatic points are keyed (``source_key``) so that applying
the rules again never grants the same points twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.appraisal.inspections import sync_inspection_points
from keshi.appraisal.models import PointEntry, PointRule, Source
from keshi.calendar.models import Term
from keshi.checks.models import Inspection
from keshi.contests.models import Contest
from keshi.org.models import Org, Person
from keshi.org.scoping import can_manage_org
from keshi.records.models import Activity
from keshi.rules.engine import evaluate
from keshi.rules.models import Requirement
from keshi.rules.status import Status

ZERO = Decimal(0)


@transaction.atomic
def add_manual_entry(*, by, person: Person, day: date, points: Decimal, reason: str) -> PointEntry:
    if not can_manage_org(by, person.org):
        raise PermissionDenied(_("只有教科室可以登记考核分。"))
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("手工登记请填写事由。")
    if points is None or points == ZERO:
        errors["points"] = _("分值不能为 0。")
    if errors:
        raise ValidationError(errors)
    return PointEntry.objects.create(
        org=person.org,
        person=person,
        date=day,
        points=points,
        reason=reason.strip(),
        source=Source.MANUAL,
        created_by=by,
    )


def award_points(
    *,
    person: Person,
    points: Decimal,
    reason: str,
    key: str,
    source: str = Source.AWARD,
    obj=None,
    day: date | None = None,
    rule: PointRule | None = None,
) -> tuple[PointEntry, bool]:
    """Grant points once per (person, key) — for contests, inspections… Returns (entry, created)."""
    defaults = dict(
        org=person.org,
        date=day or timezone.localdate(),
        points=points,
        reason=reason[:200],
        source=source,
        rule=rule,
    )
    if obj is not None:
        defaults["source_type"] = ContentType.objects.get_for_model(obj)
        defaults["source_id"] = obj.pk
    return PointEntry.objects.get_or_create(person=person, source_key=key, defaults=defaults)


@dataclass
class Applied:
    created: int = 0
    existing: int = 0
    skipped: list[str] = field(default_factory=list)


def last_ended_term(org: Org, today: date | None = None) -> Term | None:
    today = today or timezone.localdate()
    return Term.objects.filter(school_year__org=org, end__lt=today).order_by("-end").first()


@transaction.atomic
def apply_rules(*, org: Org, term: Term | None = None, today: date | None = None) -> Applied:
    """Apply ``org``'s active rules for ``term`` (default: the last ended term). Requirement
    rules need the term to be over: they judge its standing through keshi.rules.engine."""
    today = today or timezone.localdate()
    term = term or last_ended_term(org, today)
    result = Applied()
    rules = list(PointRule.objects.filter(org=org, active=True).select_related("kind"))
    wanted: list[PointEntry] = []
    requirement_rules = [
        r
        for r in rules
        if r.trigger in (PointRule.Trigger.REQUIREMENT_MET, PointRule.Trigger.REQUIREMENT_MISSED)
    ]
    if requirement_rules:
        if term is None:
            result.skipped.append(_("没有已结束的学期，量化要求规则未执行。"))
        elif term.end >= today:
            result.skipped.append(_("学期尚未结束，量化要求规则未执行。"))
        else:
            wanted += _requirement_entries(org, term, requirement_rules)
    for rule in rules:
        if rule.trigger == PointRule.Trigger.RECORD_APPROVED:
            wanted += _record_entries(rule, term)
    award_rules = [r for r in rules if r.trigger == PointRule.Trigger.CONTEST_AWARD]
    if award_rules:
        for contest in Contest.objects.filter(org=org, phase=Contest.Phase.RESULT):
            wanted += _award_entries(contest, award_rules)
    result.created = _create_missing(wanted)
    result.existing = len(wanted) - result.created
    if any(r.trigger == PointRule.Trigger.INSPECTION_RESULT for r in rules):
        completed = Inspection.objects.filter(org=org, status=Inspection.Status.COMPLETED)
        for inspection in completed.order_by("pk"):
            synced = sync_inspection_points(inspection)
            result.created += synced.created
            result.existing += synced.unchanged + synced.changed
    return result


def _create_missing(wanted: list[PointEntry]) -> int:
    existing = set(
        PointEntry.objects.filter(
            person_id__in={e.person_id for e in wanted},
            source_key__in={e.source_key for e in wanted},
        ).values_list("person_id", "source_key")
    )
    new = [e for e in wanted if (e.person_id, e.source_key) not in existing]
    PointEntry.objects.bulk_create(new)
    return len(new)


def award_rule_for(rules: list[PointRule], contest: Contest, level: str) -> PointRule | None:
    """The most specific active 评比获奖 rule for an award: level and kind both named beats
    level only, beats kind only, beats neither; the older rule wins a tie."""
    matching = [
        r
        for r in rules
        if r.trigger == PointRule.Trigger.CONTEST_AWARD
        and r.award_level in ("", level)
        and r.contest_kind in ("", contest.kind)
    ]
    if not matching:
        return None
    return min(matching, key=lambda r: (-2 * bool(r.award_level) - bool(r.contest_kind), r.pk))


def _award_entries(contest: Contest, rules: list[PointRule]) -> list[PointEntry]:
    """One ledger entry per awarded individual entry (group entries earn no personal points),
    keyed by contest and entry, so re-publishing or re-applying never doubles."""
    ct = ContentType.objects.get_for_model(Contest)
    day = contest.result_date or timezone.localdate()
    out = []
    for entry in (
        contest.entries.exclude(award="").filter(person__isnull=False).select_related("person__org")
    ):
        rule = award_rule_for(rules, contest, entry.award)
        if rule is None:
            continue
        out.append(
            PointEntry(
                org=entry.person.org,
                person=entry.person,
                date=day,
                points=rule.points,
                reason=f"{contest.title} {entry.get_award_display()}（{entry.title}）"[:200],
                source=Source.AWARD,
                source_type=ct,
                source_id=contest.pk,
                source_key=f"contest{contest.pk}:entry{entry.pk}",
                rule=rule,
            )
        )
    return out


@transaction.atomic
def grant_contest_awards(contest: Contest) -> int:
    """Points for the awards of a published contest, by its org's 评比获奖 rules; idempotent.
    Returns how many ledger entries were added."""
    if contest.phase != Contest.Phase.RESULT:
        return 0
    rules = list(
        PointRule.objects.filter(
            org=contest.org, active=True, trigger=PointRule.Trigger.CONTEST_AWARD
        )
    )
    return _create_missing(_award_entries(contest, rules))


def _requirement_entries(org: Org, term: Term, rules: list[PointRule]) -> list[PointEntry]:
    requirements = Requirement.objects.live().filter(org=org)
    compliance = evaluate(term=term, at=term.end + timedelta(days=1), requirements=requirements)
    by_id = {r.pk: r for r in compliance.requirements}
    ct = ContentType.objects.get_for_model(Requirement)
    out = []
    for rule in rules:
        met = rule.trigger == PointRule.Trigger.REQUIREMENT_MET
        targets = (
            [by_id[rule.requirement_id]]
            if rule.requirement_id in by_id
            else ([] if rule.requirement_id else list(by_id.values()))
        )
        for req in targets:
            points = rule.points if rule.points is not None else req.points
            if not points:
                continue
            for person in compliance.people:
                cells = [
                    c
                    for c in compliance.periods(person.pk, req.pk)
                    if c.status not in (Status.EXEMPT, Status.NOT_DUE)
                ]
                if not cells:
                    continue
                all_met = all(c.status == Status.MET for c in cells)
                if all_met != met:
                    continue
                label = _("达成") if met else _("未达成")
                out.append(
                    PointEntry(
                        org=person.org,
                        person=person,
                        date=term.end,
                        points=points,
                        reason=f"{term}「{req.name}」{label}"[:200],
                        source=Source.COMPLIANCE,
                        source_type=ct,
                        source_id=req.pk,
                        source_key=f"rule{rule.pk}:req{req.pk}:term{term.pk}",
                        rule=rule,
                    )
                )
    return out


def _record_entries(rule: PointRule, term: Term | None) -> list[PointEntry]:
    qs = Activity.objects.filter(
        org__path__startswith=rule.org.path,
        kind=rule.kind_id,
        status=Activity.Status.APPROVED,
    ).select_related("person__org")
    if rule.keyword:
        qs = qs.filter(review_comment__contains=rule.keyword)
    if term is not None:
        qs = qs.filter(date__range=(term.start, term.end))
    ct = ContentType.objects.get_for_model(Activity)
    return [
        PointEntry(
            org=a.person.org,
            person=a.person,
            date=a.date,
            points=rule.points,
            reason=f"{rule.name}：{a.title or rule.kind.label}"[:200],
            source=Source.RECORD,
            source_type=ct,
            source_id=a.pk,
            source_key=f"rule{rule.pk}:act{a.pk}",
            rule=rule,
        )
        for a in qs
    ]


@transaction.atomic
def save_rule(*, by, rule: PointRule) -> PointRule:
    """Create or change a rule of ``rule.org`` (office staff only)."""
    if not can_manage_org(by, rule.org):
        raise PermissionDenied(_("只有教科室可以设置加分规则。"))
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def set_rule_active(*, by, rule: PointRule, active: bool) -> PointRule:
    """Rules are disabled rather than deleted: ledger entries keep pointing at them."""
    if not can_manage_org(by, rule.org):
        raise PermissionDenied(_("只有教科室可以设置加分规则。"))
    rule.active = active
    rule.save(update_fields=["active"])
    return rule
