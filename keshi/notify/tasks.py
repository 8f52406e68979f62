"""Background tasks (django-tasks; the database backend runs them in ``keshi db_worker``)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from keshi.notify import daily


@task()
def send_daily_reminders(at: str | None = None, org: str | None = None) -> list[dict]:
    """The daily reminder run. Arguments are JSON (an ISO date, an org code) because the
    database backend stores them."""
    reports = daily.send_daily_reminders(
        at=date.fromisoformat(at) if at else None, org_code=org or None
    )
    return [r.as_dict() for r in reports]
