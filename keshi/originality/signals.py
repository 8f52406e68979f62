"""Saving a text record or a text attachment queues its fingerprinting after the commit."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from keshi.originality.extract import is_text_file
from keshi.records.models import Activity, Attachment


def _enqueue(task, pk: int) -> None:
    task.enqueue(pk)


@receiver(post_save, sender=Activity, dispatch_uid="originality_activity")
def activity_saved(sender, instance: Activity, raw=False, update_fields=None, **kwargs) -> None:
    if raw or not instance.text or (update_fields and "text" not in update_fields):
        return
    from keshi.originality.tasks import fingerprint_activity

    transaction.on_commit(partial(_enqueue, fingerprint_activity, instance.pk))


@receiver(post_save, sender=Attachment, dispatch_uid="originality_attachment")
def attachment_saved(sender, instance: Attachment, created=False, raw=False, **kwargs) -> None:
    if raw or not created or not is_text_file(instance.name):
        return
    from keshi.originality.tasks import fingerprint_attachment

    transaction.on_commit(partial(_enqueue, fingerprint_attachment, instance.pk))
