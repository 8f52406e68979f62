"""Reads of the integrations app, all through keshi.org.scoping."""

from __future__ import annotations

from django.db.models import QuerySet

from keshi.integrations.models import Integration, PlatformAccount, SendLog, SyncRun
from keshi.org.models import Org
from keshi.org.scoping import manageable, visible


def managed_orgs(user) -> QuerySet[Org]:
    """Orgs whose platform app ``user`` may configure (office staff, admin); not districts'
    own rows — a district may configure its own app too, it is an org like the others."""
    return manageable(user, Org.objects.all()).order_by("path")


def integration_for(org: Org) -> Integration | None:
    return Integration.objects.filter(org=org).first()


def active_integration(org: Org) -> Integration | None:
    return Integration.objects.filter(org=org, active=True).first()


def recent_sends(user, org: Org, limit: int = 30) -> list[SendLog]:
    return list(manageable(user, SendLog.objects.filter(org=org))[:limit])


def recent_syncs(user, org: Org, limit: int = 10) -> list[SyncRun]:
    return list(manageable(user, SyncRun.objects.filter(org=org)).select_related("by")[:limit])


def own_accounts(user) -> QuerySet[PlatformAccount]:
    """The platform accounts of the person ``user`` is (a teacher's own preference)."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return PlatformAccount.objects.none()
    return visible(user, PlatformAccount.objects.filter(person=person))


def linked_count(org: Org, platform: str) -> int:
    return PlatformAccount.objects.filter(org=org, platform=platform).count()
