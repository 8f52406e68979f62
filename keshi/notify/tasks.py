"""Background tasks (django-tasks; the database backend runs them in ``keshi db_worker``)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django_tasks import task

from keshi.notify import daily, personal

# A delivery that failed (a robot's webhook down, the mail server refusing) is tried again by
# the same task after each of these delays in turn; a rerun only retries what failed
# (keshi.notify.services.claim), so nobody gets a second copy.
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


@task()
def send_daily_reminders(
    at: str | None = None, org: str | None = None, attempt: int = 0
) -> list[dict]:
    """The daily reminder run. Arguments are JSON (an ISO date, an org code) because the
    database backend stores them. An org with a failed delivery gets a retry of its own,
    enqueued with back-off (:data:`RETRY_DELAYS`)."""
    day = date.fromisoformat(at) if at else timezone.localdate()
    reports = daily.send_daily_reminders(at=day, org_code=org or None)
    if attempt < len(RETRY_DELAYS):
        retry = send_daily_reminders.using(run_after=timezone.now() + RETRY_DELAYS[attempt])
        for report in reports:
            if any(report.failed.values()):
                retry.enqueue(at=day.isoformat(), org=report.org, attempt=attempt + 1)
    return [r.as_dict() for r in reports]


@task()
def deliver_notice(
    notification: int, attempt: int = 0, only: list[str] | None = None
) -> dict[str, bool | None]:
    """One in-app notification to the person's other channels (keshi.notify.personal). A
    channel that failed is tried again with the same back-off as the daily run (``only`` names
    the senders still to try); one that delivered is not called twice."""
    from keshi.notify.models import Notification

    found = Notification.objects.select_related("person__org").filter(pk=notification).first()
    if found is None:  # deleted before the worker came to it
        return {}
    senders = {f"{s.__module__}.{s.__qualname__}": s for s in personal.notice_senders()}
    done = {name: sender(found) for name, sender in senders.items() if only is None or name in only}
    failed = [name for name, sent in done.items() if sent is False]
    if failed and attempt < len(RETRY_DELAYS):
        retry = deliver_notice.using(run_after=timezone.now() + RETRY_DELAYS[attempt])
        retry.enqueue(notification, attempt=attempt + 1, only=failed)
    return done
