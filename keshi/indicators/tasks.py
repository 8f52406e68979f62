"""Background tasks (django-tasks; the database backend runs them in ``keshi db_worker``)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from keshi.indicators import alerts
from keshi.org.models import Org


@task()
def send_indicator_alerts(at: str | None = None, org: str | None = None) -> dict:
    """Arguments are JSON (an ISO date, an org code): the database backend stores them."""
    day = date.fromisoformat(at) if at else timezone.localdate()
    scope = Org.objects.get(code=org) if org else None
    return alerts.send_alerts(at=day, org=scope).as_dict()
