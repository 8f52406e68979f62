"""Background fingerprinting (django-tasks; the database backend runs them in
``keshi db_worker``). Arguments are ids: the backend stores them as JSON."""

from __future__ import annotations

from django_tasks import task

from keshi.originality import services


@task()
def fingerprint_activity(activity_id: int) -> float | None:
    flag = services.fingerprint_activity(activity_id)
    return flag.score if flag else None


@task()
def fingerprint_attachment(attachment_id: int) -> float | None:
    flag = services.fingerprint_attachment(attachment_id)
    return flag.score if flag else None
