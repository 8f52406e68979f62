"""Writes for 学年与学期的更替: start the next term or school year with what carries over, close
a term (read-only, its term-end documents stored), reopen it.

Only office staff of the org (``can_manage_org``). Every write names the user in the history
tables (django-simple-history), which is the audit trail of closing and reopening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.calendar import services as calendar_services
from keshi.calendar.closing import summary_key
from keshi.calendar.lifecycle import (
    Action,
    Counts,
    Decision,
    Item,
    Section,
    counts,
    membership_plan,
    pair_end,
)
from keshi.calendar.lifecycle_selectors import YEARLY_GROUP_KINDS, NextStep, review_items
from keshi.calendar.models import SchoolYear, Term, TermDocument
from keshi.org.models import Membership, Mentorship
from keshi.org.scoping import can_manage_org
from keshi.plans import summary as plan_summary
from keshi.plans.models import Plan
from keshi.plans.word import summary_docx
from keshi.rules import services as rules
from keshi.rules.models import Requirement


def _check_manager(user, org) -> None:
    if not can_manage_org(user, org):
        raise PermissionDenied(_("只有本单位教科室可以更替学期。"))


# ---- the next term ---------------------------------------------------------------------------


def check_dates(step: NextStep, dates: dict[str, date]) -> None:
    """Refuse dates that do not fit (outside the year, overlapping another term…) without
    writing anything. Chinese messages, the same as the models'."""
    errors: list[str] = []
    if step.calendar_year:
        start, end = step.target_dates(dates)
        year = step.year or SchoolYear(
            org=step.org, start_year=step.start_year, start=start, end=end
        )
        if step.year is None:
            try:
                year.full_clean()
            except ValidationError as e:
                errors += e.messages
        terms = [(Term.Number.FIRST, start, end)]
    elif step.new_year:
        year = step.year or SchoolYear(
            org=step.org,
            start_year=step.start_year,
            start=date(step.start_year, 9, 1),
            end=date(step.start_year + 1, 8, 31),
        )
        if step.year is None:
            try:
                year.full_clean()
            except ValidationError as e:
                errors += e.messages
        if dates["second_start"] <= dates["first_end"]:
            errors.append(_("第二学期须在第一学期结束之后开始。"))
        terms = [
            (Term.Number.FIRST, dates["first_start"], dates["first_end"]),
            (Term.Number.SECOND, dates["second_start"], dates["second_end"]),
        ]
    else:
        year = step.current.school_year
        terms = [(step.number, dates["start"], dates["end"])]
    existing = {t.number: t for t in year.terms.all()} if year.pk else {}
    for number, start, end in terms:
        term = Term(school_year=year, number=number, start=start, end=end)
        if number in existing:
            term.pk = existing[number].pk
        try:
            term.clean()
        except ValidationError as e:
            label = step.label if step.calendar_year else Term.Number(number).label
            errors += [_("%(term)s：%(msg)s") % {"term": label, "msg": m} for m in e.messages]
    if errors:
        raise ValidationError(errors)


def _save_term(term: Term, start: date, end: date, user) -> None:
    if (term.start, term.end) == (start, end):
        return
    term.start, term.end = start, end
    term.full_clean()
    term._history_user = user
    term.save()


def _target(step: NextStep, dates: dict[str, date], user) -> tuple[Term, bool]:
    """The next term, created (with its school year) when it does not exist yet."""
    if step.calendar_year:
        year = SchoolYear.objects.filter(org=step.org, start_year=step.start_year).first()
        if year is None:
            year = calendar_services.create_calendar_year(org=step.org, year=step.start_year)
            return year.terms.get(number=Term.Number.FIRST), True
        start, end = step.target_dates(dates)
        term = year.terms.filter(number=Term.Number.FIRST).first()
        if term is None:
            term = Term(school_year=year, number=Term.Number.FIRST, start=start, end=end)
            term.full_clean()
            term._history_user = user
            term.save()
            return term, True
        return term, False
    if step.new_year:
        year = SchoolYear.objects.filter(org=step.org, start_year=step.start_year).first()
        if year is None:
            year = calendar_services.create_school_year(
                org=step.org, start_year=step.start_year, **dates
            )
            return year.terms.get(number=Term.Number.FIRST), True
        for term in year.terms.all():
            prefix = "first" if term.number == Term.Number.FIRST else "second"
            _save_term(term, dates[f"{prefix}_start"], dates[f"{prefix}_end"], user)
        return year.terms.get(number=Term.Number.FIRST), False
    year = step.current.school_year
    term = Term.objects.filter(school_year=year, number=step.number).first()
    if term is None:
        term = Term(school_year=year, number=step.number, start=dates["start"], end=dates["end"])
        term.full_clean()
        term._history_user = user
        term.save()
        return term, True
    _save_term(term, dates["start"], dates["end"], user)
    return term, False


@dataclass
class Outcome:
    term: Term
    created: bool
    written: dict[Section, int] = field(default_factory=dict)
    counts: dict[Section, Counts] = field(default_factory=dict)
    to_edit: list[Item] = field(default_factory=list)


@transaction.atomic
def start_next(
    *, user, step: NextStep, dates: dict[str, date], chosen: dict[str, Decision]
) -> Outcome:
    """Create the next term (or school year) and apply the review's decisions, all or nothing.

    ``chosen`` maps :attr:`Item.name` to a decision; rows left out take their default. Running
    it again with the same decisions writes nothing new (natural keys: the term by school year
    and number, memberships by person, group and start, pairs and rules by their own row).
    """
    _check_manager(user, step.org)
    check_dates(step, dates)
    items = review_items(step, dates)
    term, created = _target(step, dates, user)
    decided = {i.name: chosen.get(i.name) or Decision(i.default) for i in items}
    outcome = Outcome(term=term, created=created)
    outcome.to_edit = [i for i in items if decided[i.name].action is Action.CHANGE]
    writers = {
        Section.GROUPS: lambda i, d: _carry_group(step, term, i, d, user),
        Section.PAIRS: lambda i, d: _carry_pair(step, term, i, d, user),
        Section.RULES: lambda i, d: _carry_rule(i, d, user),
    }
    for section in Section:
        outcome.written[section] = sum(
            writers[section](i, decided[i.name]) for i in items if i.section is section
        )
    outcome.counts = counts(items, decided)
    return outcome


def _carry_group(step: NextStep, term: Term, item: Item, decision: Decision, user) -> int:
    year_end = step.current.school_year.end
    next_start = term.school_year.start
    memberships = Membership.objects.filter(
        group_id=item.ref, group__org=step.org, group__kind__in=YEARLY_GROUP_KINDS
    )
    next_year = set(memberships.filter(start=next_start).values_list("person_id", flat=True))
    written = 0
    for m in memberships.current(year_end).select_related("person"):
        plan = membership_plan(
            m.start,
            m.end,
            decision.action,
            year_end=year_end,
            next_year_start=next_start,
            already_next=m.person_id in next_year,
        )
        if plan.end_old is not None:
            m.end = plan.end_old
            m._history_user = user
            m._change_reason = _("学年结束")
            m.save(update_fields=["end"])
            written += 1
        if plan.new_start is not None and m.person.active:
            new = Membership(
                person=m.person, group_id=m.group_id, role=m.role, start=plan.new_start
            )
            new._history_user = user
            new._change_reason = _("沿用到新学年")
            new.save()
            next_year.add(m.person_id)
            written += 1
    return written


def _carry_pair(step: NextStep, term: Term, item: Item, decision: Decision, user) -> int:
    pair = Mentorship.objects.get(pk=item.ref, org=step.org)
    write, new_end = pair_end(
        pair.start, pair.end, decision.action, this_end=step.current.end, next_end=term.end
    )
    if not write:
        return 0
    pair.end = new_end
    pair._history_user = user
    pair._change_reason = _("学期更替")
    pair.full_clean()
    pair.save(update_fields=["end"])
    return 1


def _carry_rule(item: Item, decision: Decision, user) -> int:
    """Rules have no term: an active rule applies to every term the engine judges. So keep
    writes nothing, drop is 停用, and change applies the inline edits to the rule itself."""
    requirement = Requirement.objects.get(pk=item.ref)
    if decision.action is Action.DROP:
        rules.deactivate(requirement=requirement, user=user)
        return 1
    if decision.action is Action.CHANGE and decision.changes:
        rules.update_requirement(requirement=requirement, user=user, **decision.changes)
        return 1
    return 0


# ---- closing ---------------------------------------------------------------------------------


def term_plans(term: Term):
    """Plans whose 工作总结 covers ``term``: the term's own, and its school year's."""
    return Plan.objects.filter(
        Q(term=term) | Q(term__isnull=True, school_year=term.school_year),
        org=term.school_year.org,
    )


def _freeze_documents(term: Term, user) -> int:
    """Store each plan's 工作总结 as it reads now, to be served while the term is closed."""
    at = min(term.end, timezone.localdate())
    stored = 0
    for plan in term_plans(term).select_related("org"):
        if plan_summary.summary_term(plan, at) != term:
            continue
        data = plan_summary.gather(user, org=plan.org, term=term, at=at, plan=plan)
        TermDocument.objects.update_or_create(
            term=term,
            key=summary_key(plan.pk),
            defaults={"name": f"{data.title}.docx", "content": summary_docx(data)},
        )
        stored += 1
    return stored


@transaction.atomic
def close_term(*, user, term: Term) -> Term:
    """关闭学期: from now on nothing dated in it can be written (``keshi.calendar.closing``);
    its 工作总结 are stored as they read at closing. Closing a closed term changes nothing."""
    term = Term.objects.select_for_update().select_related("school_year__org").get(pk=term.pk)
    _check_manager(user, term.school_year.org)
    if term.closed_at is not None:
        return term
    _freeze_documents(term, user)
    term.closed_at, term.closed_by = timezone.now(), user
    term._history_user = user
    term._change_reason = _("关闭学期")
    term.save(update_fields=["closed_at", "closed_by"])
    return term


@transaction.atomic
def reopen_term(*, user, term: Term, reason: str = "") -> Term:
    """重新开放: writable again; the stored documents stay until the term is closed again."""
    term = Term.objects.select_for_update().select_related("school_year__org").get(pk=term.pk)
    _check_manager(user, term.school_year.org)
    if term.closed_at is None:
        return term
    term.closed_at, term.closed_by = None, None
    term._history_user = user
    note = reason.strip()
    term._change_reason = (_("重新开放：%(r)s") % {"r": note})[:100] if note else _("重新开放")
    term.save(update_fields=["closed_at", "closed_by"])
    return term
