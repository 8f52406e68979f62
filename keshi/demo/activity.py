"""Write the demo schools' requirements, a term of records and one exemption; sum up where the
schools stand.

Records are what ``keshi.records.services.record_activity`` would write (字数 by
``count_chars``, 材料齐全 by ``is_complete``) but inserted in bulk. Each carries its plan key in
``data["demo"]``: a run adds the keys it does not find, so a second run on the same day adds
nothing and a run later in the term adds the days since.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from keshi.calendar.holidays import DayCalendar
from keshi.calendar.models import Term
from keshi.demo import records as plan
from keshi.demo.requirements import BY_SCHOOL
from keshi.demo.school import Login, SchoolSpec
from keshi.org.models import Group, Org, Person, Tag
from keshi.records.models import Activity, ActivityKind
from keshi.records.services import count_chars, is_complete
from keshi.rules.engine import evaluate
from keshi.rules.models import Exemption, Requirement
from keshi.rules.status import Status

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

MARKER = "demo"


def demo_term(org: Org, today: date) -> Term | None:
    """The term the demo fills: the one holding ``today``, else the last one that began."""
    return (
        Term.objects.filter(school_year__org=org, start__lte=today)
        .select_related("school_year")
        .order_by("-start")
        .first()
    )


def write_requirements(w: _Writer, org: Org) -> None:
    kinds = {k.code: k for k in ActivityKind.objects.filter(org__isnull=True)}
    for spec in BY_SCHOOL.get(org.code, []):
        requirement, created = w.ensure(Requirement, {"org": org, "name": spec.name}, spec.values())
        if not (created or w.reset):
            continue
        wanted = {
            "kinds": [kinds[c] for c in spec.kinds],
            "groups": list(Group.objects.filter(org=org, kind=spec.group_kind))
            if spec.group_kind
            else [],
            "tags": list(Tag.objects.filter(name__in=spec.tags)),
        }
        changed = False
        for name, objs in wanted.items():
            manager = getattr(requirement, name)
            if set(manager.values_list("pk", flat=True)) != {o.pk for o in objs}:
                manager.set(objs)
                changed = True
        if changed and not created:
            w.updated["requirement"] += 1


def write_term(w: _Writer, org: Org, school: SchoolSpec, logins: list[Login], today: date) -> None:
    term = demo_term(org, today)
    if term is None:
        return
    days = DayCalendar(term.start, term.end, org)
    frame = plan.Frame(
        key=f"{term.school_year.start_year}-{term.number}",
        start=term.start,
        end=term.end,
        until=min(today, term.end),
        workdays=frozenset(d.date for d in days.days() if d.is_workday),
    )
    mine = [lg for lg in logins if lg.org == org.code and lg.staff_no]
    generated = plan.generate(
        school,
        frame,
        uneven=next((lg.staff_no for lg in mine if lg.username == "teacher"), ""),
        steady=tuple(lg.staff_no for lg in mine if lg.username != "teacher"),
        review_kinds=frozenset(
            ActivityKind.objects.filter(org__isnull=True, needs_review=True).values_list(
                "code", flat=True
            )
        ),
    )
    people = {p.staff_no: p for p in Person.objects.filter(org=org)}
    if generated.leave and generated.leave.staff_no in people:
        leave = generated.leave
        w.ensure(
            Exemption,
            {"person": people[leave.staff_no], "reason": leave.reason, "start": leave.start},
            {"end": leave.end, "requirement": None},
        )
    rows = _rows(org, generated.records, people)
    existing = Activity.objects.filter(
        org=org, date__gte=term.start, date__lte=term.end, data__has_key=MARKER
    )
    if w.reset:  # back to the plan: restore what was edited, drop what the plan no longer has
        found = {a.data[MARKER]: a for a in existing}
        planned = {row["data"][MARKER]: row for row in rows}
        for key, record in found.items():
            if key in planned:
                w._restore(record, planned[key])
            else:
                record.delete()
                w.updated["activity"] += 1
    else:
        found = set(existing.values_list(f"data__{MARKER}", flat=True))
    new = [Activity(**row) for row in rows if row["data"][MARKER] not in found]
    if new:
        bulk_create_with_history(new, Activity, batch_size=500)
        w.created["activity"] += len(new)


def _rows(org: Org, specs: list[plan.RecordSpec], people: dict[str, Person]) -> list[dict]:
    User = get_user_model()
    kinds = {k.code: k for k in ActivityKind.objects.filter(org__isnull=True)}
    office = User.objects.filter(username="office").first()
    admin = User.objects.filter(username="admin").first()
    rows = []
    for s in specs:
        person = people.get(s.staff_no)
        if person is None:
            continue
        kind = kinds[s.kind]
        data = {**s.data, MARKER: s.key}
        observed = people.get(s.observed) if kind.has_observed else None
        reviewer = None
        if s.reviewed_at is not None:
            reviewer = admin if office and person.user_id == office.pk else office
        rows.append(
            {
                "org_id": org.pk,
                "person_id": person.pk,
                "kind_id": kind.pk,
                "date": s.date,
                "title": s.title,
                "quantity": s.quantity,
                "credits": s.credits,
                "text": s.text,
                "chars": count_chars(s.text),
                "observed_id": observed.pk if observed else None,
                "data": data,
                "complete": is_complete(kind, data),
                "status": s.status,
                "review_comment": s.review_comment,
                "reviewed_by_id": reviewer.pk if reviewer else None,
                "reviewed_at": timezone.make_aware(s.reviewed_at) if s.reviewed_at else None,
                "created_by_id": person.user_id,
            }
        )
    return rows


@dataclass
class Standing:
    org: Org
    term: Term
    at: date
    counts: Counter  # Status → cells (every period begun, all people × requirements)


def standings(today: date) -> list[Standing]:
    """Where each demo school stands on its requirements on ``today`` (the compliance engine)."""
    result = []
    for org in Org.objects.filter(code__in=list(BY_SCHOOL)).order_by("code"):
        term = demo_term(org, today)
        if term is None:
            continue
        compliance = evaluate(term=term, at=today)
        counts = Counter(
            cell.status
            for cells in compliance.cells.values()
            for cell in cells
            if cell.status != Status.NOT_DUE
        )
        result.append(Standing(org, term, today, counts))
    return result
