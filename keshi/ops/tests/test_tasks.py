"""Putting tasks of a killed worker back in the queue."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from keshi.notify.tasks import send_daily_reminders
from keshi.ops.tasks import requeue_interrupted

pytestmark = pytest.mark.django_db


def running(worker_ids: list[str], minutes_ago: int = 1) -> DBTaskResult:
    result = send_daily_reminders.enqueue(org="nowhere")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=worker_ids,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_requeues_only_what_this_worker_was_running():
    mine = running(["w2", "w1"])
    other = running(["w2"])
    earlier = running(["w1", "w2"])  # taken over since by another worker
    assert requeue_interrupted(worker_id="w1") == [str(mine.pk)]
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[mine.pk] == TaskResultStatus.READY
    assert statuses[other.pk] == statuses[earlier.pk] == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=mine.pk).started_at is None
    assert DBTaskResult.objects.ready().filter(pk=mine.pk).exists()  # a worker will take it


def test_requeues_by_age_and_leaves_finished_tasks_alone():
    old = running(["w1"], minutes_ago=200)
    recent = running(["w1"], minutes_ago=5)
    done = running(["w1"], minutes_ago=300)
    DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)
    assert requeue_interrupted(older_than=timedelta(minutes=120)) == [str(old.pk)]
    assert DBTaskResult.objects.get(pk=recent.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=done.pk).status == TaskResultStatus.SUCCESSFUL


def test_command_needs_a_worker_or_an_age(capsys):
    with pytest.raises(CommandError, match="请指定"):
        call_command("requeue-tasks")
    task = running(["host-1"])
    call_command("requeue-tasks", worker_id="host-1")
    assert f"放回队列的任务：1 个（{task.pk}）" in capsys.readouterr().out
