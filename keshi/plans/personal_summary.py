"""The data of a teacher's 个人工作总结 for one term, read with the reader's scope.

The reader is the teacher, their group lead or someone who reads the org (the caller checks
that ``user`` may read ``person``, through keshi.appraisal.selectors.person_for). Projects,
contest awards and points come from the personal archive (keshi.appraisal.selectors.archive_for)
narrowed to the term; observations received pass the feedback circle
(keshi.records.feedback_selectors.feedback_q), so an observer's private notes never reach it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum

from keshi.appraisal.selectors import archive_for
from keshi.calendar.models import Term
from keshi.groupwork.stats import PersonAttendance, attendance_of
from keshi.org.models import Membership, Person
from keshi.org.scoping import visible
from keshi.plans.summary_rules import MISSED_UNITS, outcome, rules_in_force
from keshi.plans.summary_work import stage_moves
from keshi.records.feedback_selectors import feedback_of, feedback_q, observations
from keshi.records.models import Activity
from keshi.rules.describe import describe, number, rule_of
from keshi.rules.engine import evaluate
from keshi.rules.models import Requirement
from keshi.rules.status import Status

STATUS_WORDS = {Status.MET: "已完成", Status.MISSED: "未完成", Status.EXEMPT: "免考核"}


@dataclass
class KindLine:
    label: str
    records: int
    quantity: str  # "8节"


@dataclass
class Observation:
    day: date
    other: str  # the observed teacher (given) or the observer (received)
    topic: str
    comments: str  # 评课意见
    score: str  # "86.5%（良好）" or ""
    acknowledged: bool = False


@dataclass
class RuleLine:
    name: str
    sentence: str
    standing: str  # "已完成" / "未完成（缺2个月）" / "进行中" / "免考核"
    value: str  # "2/2节" (the latest period)


@dataclass
class PersonalSummary:
    person: Person
    term: Term
    at: date
    final: bool
    groups: list[str]
    kinds: list[KindLine]
    given: list[Observation]
    received: list[Observation]
    rules: list[RuleLine]
    awards: list[dict]  # from the archive: entry, contest, award, final, points
    projects: list[tuple[dict, str]]  # (archive project row, this term's stage moves or "—")
    points: list = field(default_factory=list)  # PointEntry rows of the term
    attendance: PersonAttendance | None = None

    @property
    def points_total(self) -> Decimal:
        return sum((e.points for e in self.points), Decimal(0))

    @property
    def title(self) -> str:
        return f"{self.term}个人工作总结"


def personal_summary(user, person: Person, term: Term, at: date) -> PersonalSummary:
    final = at >= term.end
    shown = min(max(at, term.start), term.end)
    start, end = term.start, shown
    archive = archive_for(user, person)
    moves = stage_moves([x["project"].pk for x in archive.projects], start, end)
    projects = [
        (x, "；".join(moves.get(x["project"].pk, [])) or "—")
        for x in archive.projects
        if not x["project"].finished or x["project"].pk in moves
    ]
    return PersonalSummary(
        person=person,
        term=term,
        at=shown,
        final=final,
        groups=_groups(person, shown),
        kinds=_kinds(user, person, start, end),
        given=_given(user, person, start, end),
        received=_received(user, person, start, end),
        rules=_rules(user, person, term, term.end + timedelta(days=1) if final else shown),
        awards=[a for a in archive.contest_awards if _in(a["contest"].result_date, start, end)],
        projects=projects,
        points=[e for e in archive.points if start <= e.date <= end],
        attendance=attendance_of(person, term),
    )


def _in(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _groups(person: Person, at: date) -> list[str]:
    rows = Membership.objects.current(at).filter(person=person).select_related("group")
    return [
        m.group.name + (f"（{m.get_role_display()}）" if m.role != m.Role.MEMBER else "")
        for m in rows.order_by("group__kind", "group__name")
    ]


def _kinds(user, person: Person, start: date, end: date) -> list[KindLine]:
    rows = (
        visible(user, Activity.objects.filter(person=person))
        .filter(status__in=Activity.COUNTED, date__gte=start, date__lte=end)
        .values("kind__label", "kind__unit", "kind__position")
        .annotate(n=Count("pk"), qty=Sum("quantity"))
        .order_by("kind__position", "kind__label")
    )
    return [
        KindLine(r["kind__label"], r["n"], f"{number(r['qty'])}{r['kind__unit']}") for r in rows
    ]


def _score(activity: Activity) -> str:
    fb = feedback_of(activity)
    if fb is None or fb.percent is None:
        return ""
    return f"{number(fb.percent)}%" + (f"（{fb.level}）" if fb.level else "")


def _topic(a: Activity) -> str:
    return a.title or str(a.data.get("topic") or a.data.get("subject") or "—")


def _given(user, person: Person, start: date, end: date) -> list[Observation]:
    """Every 听课 record of the person's (with or without the observed teacher named)."""
    rows = visible(
        user,
        Activity.objects.filter(person=person, kind__has_observed=True, date__gte=start,
                                date__lte=end, status__in=Activity.COUNTED),
    ).select_related("observed")  # fmt: skip
    return [
        Observation(a.date, a.observed.name if a.observed_id else "—", _topic(a),
                    str(a.data.get("comments") or ""), _score(a))
        for a in rows.order_by("date", "pk")
    ]  # fmt: skip


def _received(user, person: Person, start: date, end: date) -> list[Observation]:
    rows = observations().filter(observed=person, date__gte=start, date__lte=end)
    out = []
    for a in rows.filter(feedback_q(user)).order_by("date", "pk"):
        fb = feedback_of(a)
        out.append(
            Observation(
                a.date, a.person.name, _topic(a), str(a.data.get("comments") or ""), _score(a),
                acknowledged=bool(fb and fb.acknowledged_at),
            )
        )  # fmt: skip
    return out


def _rules(user, person: Person, term: Term, judged: date) -> list[RuleLine]:
    reqs = [
        r
        for r in rules_in_force(user, org=person.org, term=term, plan=None)
        if r.owner != Requirement.Owner.GROUP
    ]
    result = evaluate(term=term, at=judged, people=[person], requirements=reqs, history=True)
    lines = []
    for r in result.requirements:
        cells = result.periods(person.pk, r.pk)
        status, missed = outcome(cells, judged)
        if status is None:
            continue  # not in this rule's audience
        word = STATUS_WORDS.get(status, "进行中")
        unit = MISSED_UNITS.get(r.period)
        if status is Status.MISSED and missed and unit:
            word += f"（缺{missed}{unit}）"
        counted = [c for c in cells if c.status not in (Status.NOT_DUE, Status.EXEMPT)]
        last = counted[-1] if counted else None
        value = f"{number(last.value)}/{number(last.target)}" if last else "—"
        lines.append(RuleLine(r.name, describe(rule_of(r)), word, value))
    return lines
