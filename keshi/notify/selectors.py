"""Reads of the notify app, all through keshi.org.scoping."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from keshi.notify.models import Channel, Digest, Notification, ReminderPolicy
from keshi.org.models import Group, Org
from keshi.org.scoping import can_manage_org, manageable, scope_for, visible


def own_notifications(user) -> QuerySet[Notification]:
    """Notifications addressed to ``user`` or to the person they are — never anyone else's,
    whatever else the user may read."""
    if not user.is_authenticated:
        return Notification.objects.none()
    person_id = scope_for(user).person_id
    q = Q(user=user)
    if person_id:
        q |= Q(person_id=person_id)
    return visible(user, Notification.objects.filter(q))


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = own_notifications(user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created", "-pk")


def unread_count(user) -> int:
    return own_notifications(user).filter(read_at__isnull=True).count()


def managed_orgs(user) -> QuerySet[Org]:
    """Orgs whose reminder channels ``user`` may configure (office staff, admin)."""
    return manageable(user, Org.objects.all()).order_by("path")


def managed_channels(user) -> QuerySet[Channel]:
    return manageable(user, Channel.objects.select_related("org"))


def channels(user, org: Org) -> QuerySet[Channel]:
    return manageable(user, Channel.objects.filter(org=org)).order_by("name", "pk")


def policy(org: Org) -> ReminderPolicy:
    """The org's settings, unsaved defaults when it has none."""
    return ReminderPolicy.objects.filter(org=org).first() or ReminderPolicy(org=org)


def recent_digests(user, org: Org, limit: int = 50) -> list[Digest]:
    qs = manageable(user, Digest.objects.filter(org=org)).select_related(
        "person", "user", "channel"
    )
    return list(qs.order_by("-date", "-updated", "-pk")[:limit])


# ---- 提醒未完成的人 ----------------------------------------------------------------------------


def may_remind(user, org: Org, group: Group | None = None) -> bool:
    """Whether ``user`` may remind the people behind in ``org`` (in ``group``, when given): the
    org's office for anyone, a group lead for the members of the groups they lead."""
    if org.kind == Org.Kind.DISTRICT:
        return False
    if can_manage_org(user, org):
        return True
    scope = scope_for(user)
    if not scope.lead_group_ids or scope.person_org_id != org.pk:
        return False
    return group is None or group.pk in scope.lead_group_ids


def remind_orgs(user) -> list[Org]:
    """The schools where ``user`` may remind people: those they manage, or a lead's own."""
    orgs = [o for o in managed_orgs(user) if o.kind != Org.Kind.DISTRICT]
    scope = scope_for(user)
    if scope.lead_group_ids and all(o.pk != scope.person_org_id for o in orgs):
        orgs += list(Org.objects.filter(pk=scope.person_org_id))
    return orgs


def remind_groups(user, org: Org) -> QuerySet[Group]:
    """The groups of ``org`` whose members ``user`` may remind."""
    groups = visible(user, Group.objects.filter(org=org))
    if can_manage_org(user, org):
        return groups
    return groups.filter(pk__in=scope_for(user).lead_group_ids)
