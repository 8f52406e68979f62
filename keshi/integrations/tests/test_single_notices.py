"""A single notice (feedback received, an observation assigned, a draw, a 整改) reaches the
person it is for as a work notification of its own, not only in keshi's inbox."""

from __future__ import annotations

from datetime import date

import pytest
from django_tasks_db.models import DBTaskResult

from keshi.integrations.clients import Client
from keshi.integrations.models import SendLog
from keshi.integrations.notices import card_for, send_logged
from keshi.integrations.tasks import recheck_send
from keshi.integrations.tests.conftest import SITE, link
from keshi.integrations.tests.fakeserver import User
from keshi.notify.tasks import deliver_notice
from keshi.records.feedback_services import notify

pytestmark = pytest.mark.django_db
SEND = "/topapi/message/corpconversation/asyncsend_v2"
WECOM_SEND = "/cgi-bin/message/send"


def _linked(fake, person, userid: str, platform: str = "dingtalk", **kwargs) -> None:
    link(person, userid, platform, **kwargs)
    fake.state.users[userid] = User(userid, person.name)


def test_a_notice_goes_out_as_its_own_card_after_commit(
    cast, dingtalk, fake, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    _linked(fake, cast.teacher.person, "zhang")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            cast.teacher.person, "李老师 写了听课反馈", "《春》第2课时：目标明确。", "/records/5/"
        )
    assert fake.calls_to(SEND) == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    [call] = fake.calls_to(SEND)
    assert call["userid_list"] == "zhang" and call["agent_id"] == "123"
    card = call["msg"]["action_card"]
    assert card["title"] == "李老师 写了听课反馈"
    assert card["single_url"] == f"{SITE}/records/5/"
    assert "《春》第2课时：目标明确。" in card["markdown"]
    [entry] = SendLog.objects.all()
    assert entry.status == SendLog.Status.SENT and entry.recipients == ["zhang"]
    assert entry.task_id


def test_on_wecom_too(cast, wecom, fake):
    _linked(fake, cast.outsider.person, "zhao", "wecom")
    notification = notify(
        cast.outsider.person, "新的听课任务", "请在本周内听王组长的课。", "/records/assignments/"
    )
    assert deliver_notice.call(notification.pk) == {
        "keshi.integrations.notices.send_work_notice": True
    }
    [call] = fake.calls_to(WECOM_SEND)
    assert call["touser"] == "zhao" and call["textcard"]["title"] == "新的听课任务"


@pytest.mark.parametrize("how", ["not linked", "notices off", "no integration"])
def test_no_background_task_for_someone_it_cannot_reach(
    cast, fake, how, django_capture_on_commit_callbacks
):
    person = cast.teacher.person
    if how != "no integration":
        from keshi.integrations.tests.conftest import make_integration

        make_integration(cast.school)
    if how == "notices off":
        _linked(fake, person, "zhang", receive_notices=False)
    elif how == "no integration":
        _linked(fake, person, "zhang")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(person, "反馈")
    assert notification.pk and not DBTaskResult.objects.exists()
    assert fake.calls_to(SEND) == []


def test_a_failed_send_is_retried_later_and_only_that_channel(cast, dingtalk, fake):
    _linked(fake, cast.teacher.person, "zhang")
    fake.fail(SEND, "ratelimit", times=10)  # more than the client's own retries
    notification = notify(cast.teacher.person, "抽签结果", "您被抽中检查教案。", "/checks/")
    DBTaskResult.objects.all().delete()  # the first enqueue (after commit) is not under test
    assert deliver_notice.call(notification.pk) == {
        "keshi.integrations.notices.send_work_notice": False
    }
    [retry] = DBTaskResult.objects.all()
    assert retry.args_kwargs["kwargs"] == {
        "attempt": 1,
        "only": ["keshi.integrations.notices.send_work_notice"],
    }
    assert retry.run_after is not None
    [entry] = SendLog.objects.all()
    assert entry.status == SendLog.Status.FAILED and entry.error


def test_a_send_still_going_is_asked_again_later(
    cast, dingtalk, fake, django_capture_on_commit_callbacks
):
    """asyncsend_v2 answers at once and delivers later: the invalid recipients it reports
    once it has finished still reach the send log."""
    _linked(fake, cast.teacher.person, "zhang")
    link(cast.other_teacher.person, "li")  # linked in keshi, unknown to the platform
    fake.state.pending_polls = 2  # the check right after sending, and the first recheck
    card = card_for(date(2026, 9, 25), "/tasks/", f"{SITE}/tasks/")
    with django_capture_on_commit_callbacks(execute=True):
        entry = send_logged(dingtalk, Client.for_integration(dingtalk), card, ["zhang", "li"])
    assert entry.status == SendLog.Status.SENT and entry.error  # how it ended is not known yet
    [first] = DBTaskResult.objects.all()
    assert first.args_kwargs["args"] == [entry.pk] and first.run_after is not None
    assert recheck_send.call(entry.pk) == "pending"  # still going: asked again later
    assert DBTaskResult.objects.count() == 2
    assert recheck_send.call(entry.pk, attempt=2) == SendLog.Status.PARTIAL
    entry.refresh_from_db()
    assert entry.invalid == ["li"] and entry.error == ""
