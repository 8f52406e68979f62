"""The daily reminders reach each person as a work notification, through the same run, the
same Digest log and the same retry as in-app and e-mail."""

from __future__ import annotations

from datetime import date

import pytest

from keshi.integrations.clients import DingTalkClient
from keshi.integrations.models import SendLog
from keshi.integrations.tests.conftest import SITE, link, make_integration
from keshi.integrations.tests.fakeserver import User
from keshi.notify import daily
from keshi.notify.models import Digest
from keshi.notify.tests.conftest import DAY
from keshi.org.models import Membership
from keshi.org.tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
SEND = "/topapi/message/corpconversation/asyncsend_v2"


@pytest.fixture
def three_teachers(cast, scenario):
    """张老师 (overdue), 李老师 (behind) and 刘老师 (nothing recorded) owe work on DAY; 王组长
    also gets a digest, as the lead of 语文组."""
    liu = PersonFactory(org=cast.school, name="刘老师")
    MembershipFactory(person=liu, group=cast.group, role=Membership.Role.MEMBER)
    people = {
        "zhang": cast.teacher.person,
        "li": cast.other_teacher.person,
        "liu": liu,
        "wang": cast.lead.person,
    }
    return people


def linked(fake, people, platform="dingtalk"):
    for userid, person in people.items():
        link(person, userid, platform)
        fake.state.users[userid] = User(userid, person.name)


def test_daily_reminders_reach_three_people_with_one_call_per_batch(
    cast, term, three_teachers, dingtalk, fake
):
    linked(fake, three_teachers)
    [report] = daily.send_daily_reminders(at=DAY, org_code="demo")
    sends = fake.calls_to(SEND)
    by_card = {call["msg"]["action_card"]["single_url"]: call for call in sends}
    # one card for the people who owe work (one call, three people), one for the lead's view
    assert len(sends) == 2
    own = by_card[f"{SITE}/tasks/"]
    assert sorted(own["userid_list"].split(",")) == ["li", "liu", "zhang"]
    assert own["agent_id"] == "123"
    assert own["msg"]["action_card"]["title"] == "每日提醒（9月25日周五）"
    assert by_card[f"{SITE}/compliance/"]["userid_list"] == "wang"
    assert report.sent["dingtalk_work"] == 4 and not report.failed
    logs = list(SendLog.objects.order_by("pk"))
    assert [len(entry.recipients) for entry in logs] == [3, 1] or [
        len(entry.recipients) for entry in logs
    ] == [1, 3]
    assert all(entry.task_id and entry.status == "sent" for entry in logs)
    work = Digest.objects.filter(key__endswith=":work")
    assert work.count() == 4 and set(work.values_list("status", flat=True)) == {"sent"}

    # the same day again: nothing is sent twice
    daily.send_daily_reminders(at=DAY, org_code="demo")
    assert len(fake.calls_to(SEND)) == 2


def test_batches_stay_within_the_platform_limit(
    cast, term, three_teachers, dingtalk, fake, monkeypatch
):
    monkeypatch.setattr(DingTalkClient, "batch_size", 2)
    linked(fake, three_teachers)
    daily.send_daily_reminders(at=DAY, org_code="demo")
    sizes = sorted(len(c["userid_list"].split(",")) for c in fake.calls_to(SEND))
    assert sizes == [1, 1, 2]  # three people on one card: 2 + 1; the lead's card: 1


def test_person_who_turned_notices_off_and_unlinked_people_get_none(
    cast, term, three_teachers, dingtalk, fake
):
    link(three_teachers["zhang"], "zhang", receive_notices=False)
    link(three_teachers["li"], "li")
    fake.state.users["li"] = User("li", "李老师")
    daily.send_daily_reminders(at=DAY, org_code="demo")
    assert [c["userid_list"] for c in fake.calls_to(SEND)] == ["li"]


def test_invalid_users_are_logged_and_their_digest_failed(
    cast, term, three_teachers, dingtalk, fake
):
    linked(fake, {k: v for k, v in three_teachers.items() if k != "wang"})
    link(three_teachers["wang"], "wang")  # linked in keshi, gone from DingTalk
    daily.send_daily_reminders(at=DAY, org_code="demo")
    partial = SendLog.objects.get(recipients=["wang"])
    assert partial.status == "partial" and partial.invalid == ["wang"]
    failed = Digest.objects.get(key__endswith=":work", person=three_teachers["wang"])
    assert failed.status == "failed" and "wang" in failed.error


def test_a_failed_call_is_logged_and_retried_by_the_next_run(
    cast, term, three_teachers, wecom, fake
):
    wecom.delete()
    make_integration(cast.school, "wecom")
    linked(fake, three_teachers, "wecom")
    fake.fail("/cgi-bin/message/send", "ratelimit", times=8)  # outlasts the back-off of both
    [report] = daily.send_daily_reminders(at=DAY, org_code="demo")
    assert report.failed["wecom"] == 4
    assert SendLog.objects.filter(status="failed", errcode=45009).count() == 2
    assert Digest.objects.filter(key__endswith=":work", status="failed").count() == 4
    [report] = daily.send_daily_reminders(at=DAY, org_code="demo")  # the retry task's run
    assert report.sent["wecom_work"] == 4
    assert Digest.objects.filter(key__endswith=":work", status="sent").count() == 4
    cards = [c for c in fake.state.sent if c[0] == "wecom"]
    assert {tuple(sorted(to)) for _p, to, _m in cards} == {("li", "liu", "zhang"), ("wang",)}
    assert cards[0][2]["msgtype"] == "textcard" and cards[0][2]["agentid"] == 1000002


def test_no_integration_changes_nothing(cast, term, three_teachers):
    [report] = daily.send_daily_reminders(at=DAY, org_code="demo")
    assert not Digest.objects.filter(key__endswith=":work").exists()
    assert report.sent["inapp"] == 5 and date(2026, 9, 25) == DAY
