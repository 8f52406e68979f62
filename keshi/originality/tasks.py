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
    """The text is extracted in a child process with a time and a memory limit; a file over a
    limit fails this task with the reason (ExtractionFailed), and the worker goes on."""
    flag = services.fingerprint_attachment(attachment_id)
    return flag.score if flag else None
