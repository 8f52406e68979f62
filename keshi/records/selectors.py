"""Reads for activity records. Every function starts from keshi.org.scoping.

Three circles of people matter here:

* who a user may *read* records of: :func:`keshi.org.scoping.visible` (own, group members for
  a lead, the org subtree for office/leader/district);
* who a user may *record for* and *review*: themselves (record only), members of the groups they
  lead, and everybody in the orgs they manage (office staff) — :func:`recordable_people`;
* who a user may *name as observed* (被听课教师): the :func:`directory` of their own org.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Q

from keshi.org.models import Group, Membership, Org, Person
from keshi.org.scoping import manageable, scope_for, visible
from keshi.records.models import Activity, ActivityKind, Attachment

DIRECTORY_LIMIT = 20


# ---- kinds ----------------------------------------------------------------------------------


def kinds_for_org(org: Org | None, *, active_only: bool = True) -> models.QuerySet[ActivityKind]:
    """Built-in kinds meant for the org's kind (school, hospital…) plus the org's own; an org
    kind with a built-in's code replaces it."""
    qs = ActivityKind.objects.filter(Q(org__isnull=True) | Q(org=org))
    if org is not None:
        qs = qs.offered_to(org)
    if active_only:
        qs = qs.filter(active=True)
    if org is not None:
        own_codes = ActivityKind.objects.filter(org=org).values("code")
        qs = qs.exclude(Q(org__isnull=True) & Q(code__in=own_codes))
    return qs.order_by("position", "code")


def builtin_kinds(orgs: models.QuerySet[Org]) -> models.QuerySet[ActivityKind]:
    """The built-ins for the kinds of ``orgs`` (the orgs a user manages): all of them for a
    district, whose schools and hospitals differ."""
    kinds = set(orgs.values_list("kind", flat=True))
    qs = ActivityKind.objects.filter(org__isnull=True)
    if Org.Kind.DISTRICT not in kinds:
        qs = qs.filter(Q(audience="") | Q(audience__in=kinds))
    return qs.order_by("position", "code")


def kind_by_code(org: Org | None, code: str) -> ActivityKind | None:
    return kinds_for_org(org).filter(code=code).first()


def manageable_kinds(user) -> models.QuerySet[ActivityKind]:
    """The org kinds office staff may edit (built-ins have no org and are never manageable)."""
    return manageable(user, ActivityKind.objects.filter(org__isnull=False)).select_related("org")


def home_org_for(user) -> Org | None:
    """The org a user records in: their own (as a person), else the first one they manage."""
    scope = scope_for(user)
    if scope.person_org_id:
        return Org.objects.filter(pk=scope.person_org_id).first()
    return manageable(user, Org.objects.all()).order_by("path").first()


# ---- who may record for / review whom -------------------------------------------------------


def _led_members(user) -> models.QuerySet:
    scope = scope_for(user)
    return Membership.objects.current().filter(group_id__in=scope.lead_group_ids).values("person")


def others_q(user, person_path: str = "pk") -> Q:
    """People ``user`` may record for and review, besides themselves."""
    scope = scope_for(user)
    if scope.is_admin:
        return ~Q(pk__in=[])
    org_path = "org" if person_path == "pk" else f"{person_path}__org"
    q = Q(pk__in=[])
    for path in scope.manage_paths:
        q |= Q(**{f"{org_path}__path__startswith": path})
    if scope.lead_group_ids:
        q |= Q(**{f"{person_path}__in": _led_members(user)})
    return q


def records_for_others(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.manage_paths or scope.lead_group_ids)


def recordable_people(user) -> models.QuerySet[Person]:
    """Active people ``user`` may record work for: self, led group members, managed orgs."""
    scope = scope_for(user)
    q = others_q(user)
    if scope.person_id:
        q |= Q(pk=scope.person_id)
    return Person.objects.filter(q, active=True).select_related("org").order_by("org", "name")


def can_record_for(user, person: Person) -> bool:
    return recordable_people(user).filter(pk=person.pk).exists()


def reviewable(user) -> models.QuerySet[Activity]:
    """Records ``user`` may review: of others they manage or lead; never their own."""
    scope = scope_for(user)
    qs = Activity.objects.filter(others_q(user, "person"))
    if scope.person_id:
        qs = qs.exclude(person_id=scope.person_id)
    return qs.exclude(person__user=user) if user.is_authenticated else qs.none()


def review_queue(user) -> models.QuerySet[Activity]:
    return (
        reviewable(user)
        .filter(kind__needs_review=True, status=Activity.Status.SUBMITTED)
        .select_related("person", "kind", "org")
        .order_by("date", "pk")
    )


def can_review(user, activity: Activity) -> bool:
    return activity.kind.needs_review and reviewable(user).filter(pk=activity.pk).exists()


def editable(user) -> models.QuerySet[Activity]:
    """Records ``user`` may edit or delete: their own and those of people they record for, while
    not yet approved. Leaders and district staff only read."""
    scope = scope_for(user)
    q = others_q(user, "person")
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    return Activity.objects.filter(q).exclude(status=Activity.Status.APPROVED)


# ---- the directory of colleagues ------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryEntry:
    pk: int
    name: str
    subject: str


def directory(user, q: str = "", *, org: Org | None = None) -> list[DirectoryEntry]:
    """Colleagues to pick as 被听课教师: names and subjects, of active people, one org only.

    The one place a teacher sees colleagues' names. It is safe because it returns nothing but
    the name and the subject a teacher already sees on the school's timetable — never a phone,
    birth date, staff number or record — and only inside one org: the user's own org, or, for
    office staff recording for someone, an org they manage. Results are capped.
    """
    scope = scope_for(user)
    allowed = set()
    if scope.person_org_id:
        allowed.add(scope.person_org_id)
    managed = manageable(user, Org.objects.all())
    if org is not None:
        if org.pk not in allowed and not managed.filter(pk=org.pk).exists():
            return []
        target = org.pk
    elif allowed:
        target = next(iter(allowed))
    else:
        first = managed.order_by("path").first()
        if first is None:
            return []
        target = first.pk
    qs = Person.objects.filter(org_id=target, active=True)
    if q := q.strip():
        qs = qs.filter(Q(name__icontains=q) | Q(subject__icontains=q))
    rows = qs.order_by("name", "pk").values_list("pk", "name", "subject")[:DIRECTORY_LIMIT]
    return [DirectoryEntry(*row) for row in rows]


def directory_person(user, pk, *, org: Org | None = None) -> Person | None:
    """The Person behind a directory pick, if the directory would have offered them."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    scope = scope_for(user)
    orgs = {scope.person_org_id} if scope.person_org_id else set()
    orgs |= set(manageable(user, Org.objects.all()).values_list("pk", flat=True))
    if org is not None:
        orgs &= {org.pk}
    return Person.objects.filter(pk=pk, org_id__in=orgs, active=True).first()


# ---- lists ----------------------------------------------------------------------------------


def activity_list(
    user,
    *,
    kind: ActivityKind | None = None,
    person: Person | None = None,
    group: Group | None = None,
    start: date | None = None,
    end: date | None = None,
    status: str = "",
    q: str = "",
) -> models.QuerySet[Activity]:
    qs = visible(user, Activity.objects.all())
    if kind is not None:
        qs = qs.filter(kind=kind)
    if person is not None:
        qs = qs.filter(person=person)
    if group is not None:
        members = Membership.objects.current().filter(Q(group=group) | Q(group__parent=group))
        qs = qs.filter(person__in=members.values("person"))
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    if status:
        qs = qs.filter(status=status)
    if q := q.strip():
        qs = qs.filter(Q(title__icontains=q) | Q(text__icontains=q))
    return qs.select_related("person", "kind", "observed", "org").order_by("-date", "-pk")


def activity_for(user, pk: int) -> Activity | None:
    return (
        visible(user, Activity.objects.filter(pk=pk))
        .select_related("person", "kind", "observed", "org", "created_by", "reviewed_by")
        .first()
    )


def attachment_for(user, pk: int) -> Attachment | None:
    return visible(user, Attachment.objects.filter(pk=pk)).select_related("activity").first()


def listable_people(user) -> models.QuerySet[Person]:
    """People for the list's person filter: those whose records the user reads besides own."""
    return visible(user, Person.objects.all()).order_by("name", "pk")


def listable_groups(user) -> models.QuerySet[Group]:
    scope = scope_for(user)
    qs = visible(user, Group.objects.all())
    if not (scope.is_admin or scope.read_paths):
        qs = qs.filter(pk__in=scope.lead_group_ids)
    return qs.select_related("org").order_by("org__path", "kind", "name")
