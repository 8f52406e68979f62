"""Background work of the integrations (django-tasks, run by ``keshi db_worker``)."""

from __future__ import annotations

from django_tasks import task

from keshi.integrations import notices, selectors
from keshi.integrations.clients import Client, PlatformError
from keshi.integrations.models import SendLog


@task()
def recheck_send(send_log: int, attempt: int = 1) -> str:
    """Ask DingTalk again how an asyncsend_v2 call ended, and put the recipients it reports
    invalid on the send log; again later (``notices.RECHECK_DELAYS``) while it is still going."""
    entry = SendLog.objects.select_related("org").filter(pk=send_log).first()
    integration = selectors.active_integration(entry.org) if entry and entry.task_id else None
    if integration is None:
        return "gone"
    try:
        done, invalid = Client.for_integration(integration).send_result(entry.task_id)
    except PlatformError as exc:
        done, invalid, entry.error = False, (), str(exc)
    if not done:
        if attempt < len(notices.RECHECK_DELAYS):
            later = recheck_send.using(run_after=notices.recheck_at(attempt + 1))
            later.enqueue(send_log, attempt=attempt + 1)
        entry.save(update_fields=["error"])
        return "pending"
    entry.error = ""
    notices.record_result(entry, list(invalid))
    return entry.status
