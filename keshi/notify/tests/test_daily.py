"""The daily run on a hand-made day (see conftest): content, one digest each, idempotence, e-mail."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from keshi.notify import daily, tasks
from keshi.notify.models import Digest, Notification, ReminderPolicy
from keshi.notify.tests.conftest import DAY
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.tests.processes import run_worker

pytestmark = pytest.mark.django_db


def messages_by_name(cast, term, days_ahead=3):
    recipients, summary = daily.plan(cast.school, term, DAY, days_ahead)
    out = {}
    for r in recipients:
        m = daily.D.person_message(
            r.standing, at=DAY, days_ahead=days_ahead, groups=r.groups, summary=r.summary
        )
        out[r.name] = m
    return out, summary


def test_digest_content(cast, term, scenario):
    msgs, summary = messages_by_name(cast, term)
    assert set(msgs) == {"张老师", "李老师", "王组长", "office"}

    zhang = msgs["张老师"]
    assert zhang.title == "每日提醒（9月25日周五）：1项已逾期，1项即将截止"
    overdue, due = zhang.text.split("\n\n")[:2]
    assert overdue == "已逾期\n· 教学反思：已完成 0 / 1，截止 9月24日（周四）"
    assert due == "即将截止（3天内）\n· 听课：已完成 1 / 2，截止 9月27日（周日）"

    li = msgs["李老师"]
    assert "已逾期" not in li.text
    assert "· 听课：已完成 0 / 2，截止 9月27日（周日）" in li.text

    wang = msgs["王组长"]
    assert "· 听课：已完成 1 / 2" in wang.text  # his own item, in the same digest
    assert "语文组进度落后的成员" in wang.text
    assert "张老师：教学反思 0/1（未完成）" in wang.text
    assert "李老师：听课 0/2（进度落后）" in wang.text

    office = msgs["office"].text
    assert "示范中学概况" in office
    assert "已逾期：1人" in office and "逾期名单：张老师" in office
    assert "进度落后：1人" in office and "落后名单：李老师" in office
    assert "3天内有任务截止：3人" in office
    assert summary.assessed == 3


def test_due_soon_window_follows_org_setting(cast, term, scenario):
    msgs, _ = messages_by_name(cast, term, days_ahead=1)
    assert "即将截止" not in msgs["张老师"].text  # 09-27 is two days away
    assert "李老师" not in msgs  # behind, but nothing due within a day, and no lead role


def test_one_digest_per_person_and_idempotent(cast, term, scenario):
    first = daily.send_daily_reminders(at=DAY)
    assert [r.org for r in first] == ["demo"]  # the other school has no term
    assert first[0].sent == {"inapp": 4, "email": 2}
    per_user = {
        n.user.username: n for n in Notification.objects.select_related("user").order_by("pk")
    }
    assert sorted(per_user) == ["lead", "office", "other_teacher", "teacher"]
    assert Notification.objects.count() == 4
    assert per_user["teacher"].person == cast.teacher.person
    assert per_user["office"].person is None
    assert per_user["teacher"].link == "/tasks/"
    assert len(mail.outbox) == 2

    second = daily.send_daily_reminders(at=DAY)
    assert second[0].sent == {} and second[0].skipped == 6
    assert Notification.objects.count() == 4 and len(mail.outbox) == 2
    assert set(Digest.objects.values_list("status", flat=True)) == {Digest.Status.SENT}

    daily.send_daily_reminders(at=date(2026, 9, 26))  # a new day is a new digest
    assert Notification.objects.filter(user=cast.teacher).count() == 2


def test_email_goes_to_people_with_an_address(cast, term, scenario):
    daily.send_daily_reminders(at=DAY)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"zhang@example.cn", "office@example.cn"}
    zhang = by_to["zhang@example.cn"]
    assert zhang.subject.startswith("每日提醒（9月25日周五）")
    assert "教学反思：已完成 0 / 1" in zhang.body


def test_email_off_by_policy_and_disabled_org(cast, term, scenario):
    policy = ReminderPolicy.objects.create(org=cast.school, send_email=False)
    daily.send_daily_reminders(at=DAY)
    assert mail.outbox == [] and Notification.objects.count() == 4
    policy.enabled = False
    policy.save()
    Notification.objects.all().delete()
    daily.send_daily_reminders(at=date(2026, 9, 26))
    assert Notification.objects.count() == 0


def test_nothing_to_say_sends_nothing(cast, term, scenario):
    teacher, other = cast.teacher.person, cast.other_teacher.person
    ActivityFactory(person=teacher, kind=kind("reflection"), date=date(2026, 9, 11), chars=900)
    for p in (teacher, other, other, cast.lead.person):
        ActivityFactory(person=p, date=date(2026, 9, 23))
    report = daily.send_daily_reminders(at=DAY)[0]
    assert report.recipients == 0 and Notification.objects.count() == 0


def test_dry_run_writes_nothing(cast, term, scenario):
    report = daily.send_daily_reminders(at=DAY, dry_run=True)[0]
    assert len(report.messages) == 4
    assert Notification.objects.count() == 0 and Digest.objects.count() == 0
    assert mail.outbox == []


def test_command(cast, term, scenario, capsys):
    call_command("send-reminders", "--org", "demo", "--at", "2026-09-25", "--dry-run")
    out = capsys.readouterr().out
    assert "→ 张老师：每日提醒" in out and "试运行" in out
    assert Notification.objects.count() == 0
    call_command("send-reminders", "--org", "demo", "--at", "2026-09-25")
    assert "已发送：email 2，inapp 4" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send-reminders", "--at", "25/09/2026")
    with pytest.raises(CommandError, match="没有单位代码"):
        call_command("send-reminders", "--org", "nope")


def test_task_runs_the_same_function(cast, term, scenario):
    result = tasks.send_daily_reminders.call(at="2026-09-25", org="demo")
    assert result[0]["sent"] == {"inapp": 4, "email": 2}


@pytest.mark.django_db(transaction=True)
def test_enqueued_run_is_done_by_the_worker(builtin_kinds, cast, term, scenario, tmp_path):
    """The worker is a process of its own, hence a transactional test (committed rows)."""
    from django_tasks_db.models import DBTaskResult

    call_command("send-reminders", "--enqueue", "--at", "2026-09-25")
    task = DBTaskResult.objects.get()
    assert task.task_path == "keshi.notify.tasks.send_daily_reminders"
    assert task.args_kwargs["kwargs"] == {"at": "2026-09-25", "org": None}
    assert Notification.objects.count() == 0
    done = run_worker(data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", task.exception_class_path
    assert task.return_value[0]["sent"] == {"inapp": 4, "email": 2}
    assert Notification.objects.count() == 4
