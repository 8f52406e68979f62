"""Recovery for background tasks whose worker died (kill -9, power loss, OOM).

django-tasks' database backend marks a task RUNNING when a worker claims it and never looks at
it again, so a task whose worker was killed would stay RUNNING for ever. Our tasks write in
transactions and are safe to run again (the daily reminders skip what was delivered), so the
fix is to put such a task back in the queue: at worker start-up for the tasks that very worker
(same ``--worker-id``) was running, or by age for tasks whose worker is gone for good.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


@transaction.atomic
def requeue_interrupted(
    *, worker_id: str | None = None, older_than: timedelta | None = None
) -> list[str]:
    """Put RUNNING tasks back to READY: those last claimed by ``worker_id`` and/or started
    before ``older_than`` ago. Returns their ids."""
    if worker_id is None and older_than is None:
        raise ValueError("worker_id or older_than is required")
    running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
    if older_than is not None:
        running = running.filter(started_at__lt=timezone.now() - older_than)
    ids = [
        str(t.pk)
        for t in running.only("pk", "worker_ids")
        if worker_id is None or (t.worker_ids and t.worker_ids[-1] == worker_id)
    ]
    DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    return ids
