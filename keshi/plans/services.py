"""Writes for work plans: the plan, its sections and its 分工, status transitions, and the
office's answer to each suggestion (采纳 into a requirement, or 忽略).

Each function checks that ``user`` manages the plan's org (``user=None`` is the system: imports
from the command line), runs in one transaction and records ``user`` in the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.calendar.closing import check_period_open
from keshi.calendar.models import SchoolYear, Term
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import can_manage_org
from keshi.plans.calendar_services import repeat_slots
from keshi.plans.models import CalendarItem, Duty, Plan, PlanSection, Suggestion
from keshi.rules import services as rules
from keshi.rules.models import Requirement

TRANSITIONS = {
    Plan.Status.DRAFT: (Plan.Status.PUBLISHED,),
    Plan.Status.PUBLISHED: (Plan.Status.ARCHIVED, Plan.Status.DRAFT),
    Plan.Status.ARCHIVED: (),
}


def check_manager(user, org: Org) -> None:
    if user is not None and not can_manage_org(user, org):
        raise PermissionDenied(_("只有本单位教科室可以修改工作计划。"))


def check_editable(plan: Plan) -> None:
    if plan.status == Plan.Status.ARCHIVED:
        raise ValidationError(_("计划已归档，不能再修改。"))
    check_period_open(term=plan.term, school_year=plan.school_year)


def _save(obj, user) -> None:
    obj.full_clean()
    obj._history_user = user
    obj.save()


def _plan_errors(
    *, org: Org, term: Term | None, school_year: SchoolYear | None, group: Group | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if term is None and school_year is None:
        errors["term"] = [_("请选择计划所属的学期或学年。")]
    if term is not None and term.school_year.org_id != org.pk:
        errors["term"] = [_("该学期不属于本单位。")]
    if school_year is not None and school_year.org_id != org.pk:
        errors["school_year"] = [_("该学年不属于本单位。")]
    if group is not None and group.org_id != org.pk:
        errors["group"] = [_("该科室不属于本单位。")]
    return errors


@transaction.atomic
def create_plan(
    *,
    org: Org,
    user,
    title: str,
    term: Term | None = None,
    school_year: SchoolYear | None = None,
    group: Group | None = None,
    source_name: str = "",
) -> Plan:
    check_manager(user, org)
    errors = _plan_errors(org=org, term=term, school_year=school_year, group=group)
    if not (title or "").strip():
        errors["title"] = [_("请填写计划标题。")]
    if errors:
        raise ValidationError(errors)
    check_period_open(term=term, school_year=school_year)
    plan = Plan(
        org=org,
        title=title.strip(),
        term=term,
        school_year=school_year,
        group=group,
        source_name=source_name[:200],
    )
    _save(plan, user)
    return plan


@transaction.atomic
def update_plan(
    *,
    plan: Plan,
    user,
    title: str,
    term: Term | None,
    school_year: SchoolYear | None,
    group: Group | None,
) -> Plan:
    check_manager(user, plan.org)
    check_editable(plan)
    errors = _plan_errors(org=plan.org, term=term, school_year=school_year, group=group)
    if not (title or "").strip():
        errors["title"] = [_("请填写计划标题。")]
    if errors:
        raise ValidationError(errors)
    check_period_open(term=term, school_year=school_year)
    plan.title, plan.term, plan.school_year, plan.group = title.strip(), term, school_year, group
    _save(plan, user)
    return plan


@transaction.atomic
def set_status(*, plan: Plan, user, status: str) -> Plan:
    """草稿 → 已发布 → 已归档, one step at a time, or 已发布 → 草稿 (撤回). The plan's rules are
    in force exactly while it is published or archived (``Requirement.objects.live``); publishing
    starts each of them no earlier than today, or the first day of the plan's term when that is
    still to come, so nobody is behind for the weeks before."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    check_manager(user, plan.org)
    check_period_open(term=plan.term, school_year=plan.school_year)
    if status not in TRANSITIONS[plan.status]:
        raise ValidationError(
            _("计划当前为“%(now)s”，不能改为“%(to)s”。")
            % {"now": plan.get_status_display(), "to": Plan.Status(status).label}
        )
    plan.status = status
    _save(plan, user)
    if status == Plan.Status.PUBLISHED:
        start = rules.default_effective_from(plan.term)
        for rule in plan.requirements.select_for_update():
            if rule.effective_from is None or rule.effective_from < start:
                rules.update_requirement(requirement=rule, user=user, effective_from=start)
    return plan


# ---- sections ------------------------------------------------------------------------------


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def add_section(*, plan: Plan, user, kind: str, title: str, body: str = "") -> PlanSection:
    check_manager(user, plan.org)
    check_editable(plan)
    section = PlanSection(
        plan=plan,
        kind=kind,
        title=(title or "").strip(),
        body=body.strip(),
        position=_next_position(plan.sections.all()),
    )
    _save(section, user)
    return section


@transaction.atomic
def update_section(*, section: PlanSection, user, kind: str, title: str, body: str) -> PlanSection:
    check_manager(user, section.plan.org)
    check_editable(section.plan)
    section.kind, section.title, section.body = kind, (title or "").strip(), body.strip()
    _save(section, user)
    return section


@transaction.atomic
def delete_section(*, section: PlanSection, user) -> None:
    check_manager(user, section.plan.org)
    check_editable(section.plan)
    section._history_user = user
    section.delete()


@transaction.atomic
def move_section(*, section: PlanSection, user, offset: int) -> None:
    """Move up (-1) or down (+1); positions are renumbered 0, 1, 2… on the way."""
    plan = Plan.objects.select_for_update().get(pk=section.plan_id)
    check_manager(user, plan.org)
    check_editable(plan)
    ordered = list(plan.sections.all())
    index = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item._history_user = user
            item.save(update_fields=["position"])


# ---- 分工 ----------------------------------------------------------------------------------


def _duty_errors(plan: Plan, person: Person | None, person_name: str, responsibility: str):
    errors: dict[str, list[str]] = {}
    if person is None and not person_name.strip():
        errors["person"] = [_("请选择负责人，或填写负责人姓名。")]
    if person is not None and person.org_id != plan.org_id:
        errors["person"] = [_("负责人不属于本单位。")]
    if not responsibility.strip():
        errors["responsibility"] = [_("请填写职责。")]
    return errors


@transaction.atomic
def add_duty(
    *, plan: Plan, user, responsibility: str, person: Person | None = None, person_name: str = ""
) -> Duty:
    check_manager(user, plan.org)
    check_editable(plan)
    if errors := _duty_errors(plan, person, person_name, responsibility):
        raise ValidationError(errors)
    duty = Duty(
        plan=plan,
        person=person,
        person_name="" if person else person_name.strip(),
        responsibility=responsibility.strip(),
        position=_next_position(plan.duties.all()),
    )
    _save(duty, user)
    return duty


@transaction.atomic
def update_duty(
    *, duty: Duty, user, responsibility: str, person: Person | None, person_name: str
) -> Duty:
    check_manager(user, duty.plan.org)
    check_editable(duty.plan)
    if errors := _duty_errors(duty.plan, person, person_name, responsibility):
        raise ValidationError(errors)
    duty.person = person
    duty.person_name = "" if person else person_name.strip()
    duty.responsibility = responsibility.strip()
    _save(duty, user)
    return duty


@transaction.atomic
def delete_duty(*, duty: Duty, user) -> None:
    check_manager(user, duty.plan.org)
    check_editable(duty.plan)
    duty._history_user = user
    duty.delete()


# ---- suggestions → requirements -------------------------------------------------------------


def _review(suggestion: Suggestion, user, **extra) -> None:
    """Who answered and when, kept beside the extraction in ``data["review"]``."""
    review = dict(suggestion.data.get("review") or {})
    review.update(extra)
    review["by"] = getattr(user, "username", "") if user is not None else ""
    review["at"] = timezone.now().isoformat(timespec="seconds")
    suggestion.data = {**suggestion.data, "review": review}


def _pending(suggestion: Suggestion) -> Suggestion:
    locked = (
        Suggestion.objects.select_for_update().select_related("plan__org").get(pk=suggestion.pk)
    )
    if locked.status != Suggestion.Status.PENDING:
        raise ValidationError(
            _("该建议已处理（%(s)s），请刷新页面。") % {"s": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def accept_suggestion(*, suggestion: Suggestion, user, **values) -> Requirement:
    """采纳: create the requirement (``values`` as for keshi.rules.services.create_requirement,
    validated there) owned by the suggestion's plan, and link it."""
    suggestion = _pending(suggestion)
    plan = suggestion.plan
    check_manager(user, plan.org)
    if suggestion.kind != Suggestion.Kind.REQUIREMENT:
        raise ValidationError(_("指标类建议暂不能转为量化要求（将由“指标”功能处理）。"))
    if "effective_from" not in values:
        values["effective_from"] = rules.default_effective_from(plan.term)
    requirement = rules.create_requirement(org=plan.org, user=user, plan=plan, **values)
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.requirement = requirement
    _review(suggestion, user)
    suggestion.save(update_fields=["status", "requirement", "data"])
    return requirement


@transaction.atomic
def accept_event(*, suggestion: Suggestion, user) -> list[CalendarItem]:
    """采纳 an org's own event (``data["owner"] == "org"``: 每月召开一次组长会): 行事历 items
    of the plan — one per month for 每月, one per teaching week for 每周, else one with no date
    — and never a requirement, so nobody owes a quota for it."""
    suggestion = _pending(suggestion)
    plan = suggestion.plan
    check_manager(user, plan.org)
    check_editable(plan)
    if suggestion.kind != Suggestion.Kind.REQUIREMENT or suggestion.data.get("owner") != "org":
        raise ValidationError(_("只有全校的活动安排可以加入行事历。"))
    position = _next_position(plan.calendar_items.all())
    items = []
    for offset, slot in enumerate(repeat_slots(plan, suggestion.data.get("period"))):
        item = CalendarItem(
            plan=plan,
            title=suggestion.source.strip()[:300],
            month=slot.get("month"),
            week=slot.get("week"),
            position=position + offset,
        )
        _save(item, user)
        items.append(item)
    suggestion.status = Suggestion.Status.ACCEPTED
    _review(suggestion, user, calendar_items=[item.pk for item in items])
    suggestion.save(update_fields=["status", "data"])
    return items


@transaction.atomic
def dismiss_suggestion(*, suggestion: Suggestion, user, note: str = "") -> Suggestion:
    suggestion = _pending(suggestion)
    check_manager(user, suggestion.plan.org)
    suggestion.status = Suggestion.Status.DISMISSED
    _review(suggestion, user, note=note.strip()[:500])
    suggestion.save(update_fields=["status", "data"])
    return suggestion


@dataclass
class AcceptAll:
    accepted: list[tuple[Suggestion, Requirement]] = field(default_factory=list)
    events: list[tuple[Suggestion, list[CalendarItem]]] = field(default_factory=list)  # 行事历
    needs_human: list[tuple[Suggestion, list[str]]] = field(default_factory=list)


@transaction.atomic
def accept_all(*, plan: Plan, user) -> AcceptAll:
    """全部采纳可识别项: every pending requirement suggestion whose proposal maps cleanly, in one
    transaction — the org's own events into 行事历 items, the rest into requirements; the
    others are marked with what a person must decide."""
    from keshi.plans.imports import Lookup, propose

    check_manager(user, plan.org)
    lookup = Lookup.for_org(plan.org)
    result = AcceptAll()
    pending = plan.suggestions.filter(
        kind=Suggestion.Kind.REQUIREMENT, status=Suggestion.Status.PENDING
    ).order_by("position", "pk")
    for suggestion in pending:
        proposal = propose(suggestion.data, lookup=lookup, org=plan.org, plan=plan)
        if proposal.event and not proposal.problems:
            try:
                with transaction.atomic():
                    items = accept_event(suggestion=suggestion, user=user)
            except ValidationError as error:
                _review(suggestion, user, needs=error.messages)
                suggestion.save(update_fields=["data"])
                result.needs_human.append((suggestion, error.messages))
            else:
                result.events.append((suggestion, items))
            continue
        if proposal.problems:
            _review(suggestion, user, needs=proposal.problems)
            suggestion.save(update_fields=["data"])
            result.needs_human.append((suggestion, proposal.problems))
            continue
        try:
            with transaction.atomic():
                requirement = accept_suggestion(suggestion=suggestion, user=user, **proposal.values)
        except ValidationError as error:
            _review(suggestion, user, needs=error.messages)
            suggestion.save(update_fields=["data"])
            result.needs_human.append((suggestion, error.messages))
            continue
        lookup.taken.add(requirement.name)
        result.accepted.append((suggestion, requirement))
    return result
