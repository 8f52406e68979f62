"""Reads of 不良事件 reports, narrower than :func:`keshi.org.scoping.visible`: the reporter, the
heads of the 科室 it was reported from, and the 医务科 of its own hospital (office staff of
exactly that org — not of an org above it). The 院长 and district readers, whom ``visible``
lets read everything in their subtree, are left out on purpose."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from keshi.org.models import Group, Membership, Org, Person
from keshi.org.scoping import scope_for
from keshi.safety.models import IncidentReport


def reports_for(user) -> models.QuerySet[IncidentReport]:
    scope = scope_for(user)
    qs = IncidentReport.objects.all()
    if scope.is_admin:
        return qs
    q = Q(org__path__in=scope.manage_paths)  # the 医务科 of the report's own hospital
    if scope.person_id is not None:
        q |= Q(reporter_id=scope.person_id)
    if scope.lead_group_ids:
        q |= Q(department_id__in=scope.lead_group_ids)  # 科主任 (and their sub-groups' heads)
    return qs.filter(q)


def report_for(user, pk: int) -> IncidentReport | None:
    return reports_for(user).select_related("org", "department", "reporter").filter(pk=pk).first()


def handles(user, report: IncidentReport) -> bool:
    """Whether ``user`` is the 医务科 of the report's hospital (or the system admin)."""
    scope = scope_for(user)
    return scope.is_admin or report.org.path in scope.manage_paths


def reporter_of(user) -> Person | None:
    """The hospital person who reports as ``user`` (none for staff without a person)."""
    scope = scope_for(user)
    if scope.person_id is None:
        return None
    return (
        Person.objects.filter(pk=scope.person_id, org__kind=Org.Kind.HOSPITAL)
        .select_related("org")
        .first()
    )


def departments_of(person: Person) -> models.QuerySet[Group]:
    """The groups ``person`` belongs to now, 科室 first: where a report may come from."""
    ids = Membership.objects.current().filter(person=person).values("group_id")
    return Group.objects.filter(pk__in=ids, org_id=person.org_id).order_by(
        models.Case(models.When(kind=Group.Kind.DEPARTMENT, then=0), default=1), "name"
    )
