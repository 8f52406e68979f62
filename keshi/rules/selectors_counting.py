"""Which requirements a record counts toward: shown on the record form before saving (what
decides whether it counts) and on the record after saving (what it counted toward, or why not).

The engine decides who a rule applies to and what counts, so both pages say what the matrix
will say: the requirements are those in force for the person on the day, of the record's kind,
with a period of the person's in the engine's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from keshi.calendar.selectors import current_term
from keshi.org.models import Person
from keshi.org.scoping import visible
from keshi.records.models import Activity, ActivityKind
from keshi.rules.describe import describe, rule_of
from keshi.rules.engine import Cell, evaluate
from keshi.rules.models import Requirement
from keshi.rules.selectors import mentorship_partners, not_counted_reason, period_label, unit


@dataclass(frozen=True)
class Counting:
    requirement: Requirement
    sentence: str  # 每学期听课不少于15节（每篇不少于800字）…
    conditions: tuple[str, ...]  # what decides whether one record counts
    cell: Cell | None = None  # the period holding the record's date
    period: str = ""  # 第12周, 11月, 本学期
    reason: str = ""  # why this record does not count ("": it counts)

    @property
    def progress(self) -> str:
        if self.cell is None:
            return ""
        u = unit(self.requirement)
        return f"{self.cell.value.normalize():f}/{self.cell.target.normalize():f}{u}"


def counting_rules(user, *, person: Person, kind: ActivityKind, on: date) -> list[Counting]:
    """The requirements a record of ``kind`` by ``person`` on ``on`` would count toward."""
    return [c for c, _cells in _counting(user, person, kind, on, current_term(person.org, on))]


def record_counting(user, activity: Activity, at: date) -> list[Counting]:
    """What ``activity`` counted toward, with the period's standing and, where it does not
    count, the reason (已退回, 材料不全, 不足800字, 非师徒结对听课…)."""
    found = []
    term = current_term(activity.person.org, activity.date)  # the record's own term
    on = min(max(at, activity.date), term.end) if term else at
    for c, cells in _counting(user, activity.person, activity.kind, on, term):
        r = c.requirement
        cell = next((x for x in cells if x.period.start <= activity.date <= x.period.end), None)
        if cell is None:
            found.append(
                Counting(r, c.sentence, c.conditions, reason=_("记录日期不在该要求的考核周期内"))
            )
            continue
        reason = not_counted_reason(activity, r, mentorship_partners(activity.person, r), on)
        label = period_label(r.period, cell.period, term)
        found.append(Counting(r, c.sentence, c.conditions, cell, label, reason))
    return found


def _counting(user, person: Person, kind: ActivityKind, on: date, term):
    if term is None:
        return []
    rules = visible(user, Requirement.objects.live().filter(org=person.org, kinds=kind))
    rules = list(rules.exclude(owner=Requirement.Owner.GROUP).distinct())
    if not rules:
        return []
    result = evaluate(term=term, at=on, people=[person], requirements=rules, history=True)
    out = []
    for r in result.requirements:
        cells = result.periods(person.pk, r.pk)
        if cells:  # the engine says the rule applies to the person
            out.append((Counting(r, describe(rule_of(r)), tuple(_conditions(r, kind))), cells))
    return out


def _conditions(r: Requirement, kind: ActivityKind) -> list[str]:
    lines = []
    if r.item_min_chars:
        lines.append(_("每篇不少于%(n)s字，字数不够的不计入") % {"n": r.item_min_chars})
    if r.mentorship == Requirement.Mentorship.MENTEE_OBSERVES_MENTOR:
        lines.append(_("须是听师傅（结对导师）的课"))
    elif r.mentorship == Requirement.Mentorship.MENTOR_OBSERVES_MENTEE:
        lines.append(_("须是听徒弟（结对学员）的课"))
    for cap in r.kind_caps.all():
        if cap.kind_id == kind.pk:
            lines.append(
                _("%(kind)s每期最多计%(n)s")
                % {"kind": kind.label, "n": f"{cap.limit.normalize():f}"}
            )
    if kind.needs_review:
        lines.append(_("需审核；退回的记录不计入"))
    return lines
