"""提醒未完成的人 on the hand-made day of conftest (Friday 2026-09-25), with a 数学组 added.

On 听课 (weekly, 2 节, due Sunday 09-27): 李老师 behind (0), 王组长 done (2), 张老师 exempt
this week, 陈老师 of 数学组 behind (0). On 教学反思 (due 09-24): 张老师 and 陈老师 overdue.
"""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from keshi.accounts.models import RoleGrant
from keshi.notify import daily, manual
from keshi.notify import digest as D
from keshi.notify.models import Digest, Notification, ReminderPolicy
from keshi.notify.tests.conftest import DAY
from keshi.org.models import Membership
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    grant,
)
from keshi.records.tests.factories import ActivityFactory
from keshi.rules.models import Exemption
from keshi.rules.status import Status

pytestmark = pytest.mark.django_db

PREVIEW = reverse("notify:remind")
SEND = reverse("notify:remind_send")


@pytest.fixture
def school(cast, term, scenario, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: DAY)
    lead = cast.lead.person
    ActivityFactory(person=lead, date=date(2026, 9, 23))  # 王组长: 2 of 2, done
    Exemption.objects.create(
        person=cast.teacher.person,
        requirement=scenario.observation,
        start=date(2026, 9, 21),
        end=date(2026, 9, 27),
        reason="外出学习",
    )
    maths = GroupFactory(org=cast.school, name="数学组")
    chen_user = UserFactory(username="chen", email="chen@example.cn")
    chen = PersonFactory(org=cast.school, name="陈老师", user=chen_user)
    MembershipFactory(person=chen, group=maths, role=Membership.Role.MEMBER)
    cast.maths, cast.chen = maths, chen
    return cast


def preview(client, user, url=PREVIEW, **params):
    client.force_login(user)
    return client.get(f"{url}?{urlencode(params)}" if params else url)


def names(reminders) -> set[str]:
    return {r.person.name for r in reminders}


def one(scenario) -> str:
    return reverse("notify:remind_requirement", args=[scenario.observation.pk])


def confirm(client, user, response, **extra):
    """Post the preview's form as the browser would."""
    data = {"org": response.context["t"].org.pk, **extra}
    if response.context["t"].requirement:
        data["requirement"] = response.context["t"].requirement.pk
    if response.context["t"].group:
        data["group"] = response.context["t"].group.pk
    listed = response.context["to_send"] + response.context["already"]
    data["person"] = [r.person.pk for r in listed]
    client.force_login(user)
    return client.post(SEND, data, follow=True)


def flashes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_preview_lists_exactly_the_people_behind(client, school, scenario):
    response = preview(client, school.office, one(scenario), org=school.school.pk)
    assert response.status_code == 200
    assert names(response.context["to_send"]) == {"李老师", "陈老师"}  # not exempt, not done
    assert response.context["already"] == []
    html = response.content.decode()
    assert "提醒未完成的人" in html and "确认发送（2 人）" in html
    assert "站内通知" in html and "邮件" in html  # 陈老师 has an address
    li = next(r for r in response.context["to_send"] if r.person.name == "李老师")
    assert li.email == ""  # no address: in-app only
    assert [(r.name, s.status) for r, s, _done in li.lines] == [("听课", Status.BEHIND)]
    assert Notification.objects.count() == 0 and Digest.objects.count() == 0  # GET sends nothing


def test_whole_page_covers_every_requirement(client, school):
    response = preview(client, school.office, org=school.school.pk)
    shown = {
        r.person.name: [req.name for req, _s, _d in r.lines] for r in response.context["to_send"]
    }
    assert shown == {"张老师": ["教学反思"], "李老师": ["听课"], "陈老师": ["教学反思", "听课"]}


def test_confirm_sends_once_a_day(client, school, scenario):
    response = preview(client, school.office, one(scenario), org=school.school.pk)
    sent = confirm(client, school.office, response)
    assert "已提醒 2 人，跳过 0 人（今天已提醒）。" in flashes(sent)
    notes = {n.person.name: n for n in Notification.objects.select_related("person")}
    assert set(notes) == {"李老师", "陈老师"}
    assert notes["陈老师"].user == school.chen.user and notes["陈老师"].link == "/tasks/"
    assert notes["李老师"].title == "完成情况提醒（9月25日周五）：1项即将截止"
    assert "听课：已完成 0 / 2，截止 9月27日（周日）" in notes["李老师"].body
    obs = scenario.observation.pk
    keys = set(Digest.objects.values_list("key", "status"))
    assert keys == {
        (f"manual:{obs}:u{school.other_teacher.pk}:inapp", "sent"),
        (f"manual:{obs}:u{school.chen.user.pk}:inapp", "sent"),
        (f"manual:{obs}:u{school.chen.user.pk}:email", "sent"),
    }
    assert [m.to for m in mail.outbox] == [["chen@example.cn"]]
    # the result page is the preview again: everyone reminded today, nothing left to send
    assert names(sent.context["already"]) == {"李老师", "陈老师"}
    assert sent.context["to_send"] == [] and "今天已提醒（不再发送）" in sent.content.decode()

    again = confirm(client, school.office, response)  # the old form, posted twice
    assert "已提醒 0 人，跳过 2 人（今天已提醒）。" in flashes(again)
    assert Notification.objects.count() == 2 and Digest.objects.count() == 3
    assert len(mail.outbox) == 1


def test_a_person_is_reminded_of_what_was_not_sent_today(client, school, scenario):
    confirm(
        client, school.office, preview(client, school.office, one(scenario), org=school.school.pk)
    )
    response = preview(client, school.office, org=school.school.pk)
    assert names(response.context["to_send"]) == {"张老师", "陈老师"}
    assert names(response.context["already"]) == {"李老师"}  # owes 听课 only, reminded
    chen = next(r for r in response.context["to_send"] if r.person.name == "陈老师")
    assert chen.done == {scenario.observation.pk}
    assert "听课" not in chen.message.text and "教学反思" in chen.message.text
    sent = confirm(client, school.office, response)
    assert "已提醒 2 人，跳过 1 人（今天已提醒）。" in flashes(sent)
    latest = Notification.objects.filter(person=school.chen).order_by("pk").last()
    assert "教学反思：已完成 0 / 1" in latest.body and "听课" not in latest.body


def test_the_message_is_what_the_daily_run_says(client, school, term):
    recipients, _summary = daily.plan(school.school, term, DAY, 3)  # the default policy
    said = {r.name: D.person_message(r.standing, at=DAY, days_ahead=3) for r in recipients}
    daily_text = {name: m.text for name, m in said.items() if m is not None}
    response = preview(client, school.office, org=school.school.pk)
    manual_text = {r.person.name: r.message.text for r in response.context["to_send"]}
    # 李老师 owes only 听课 and the daily run says only that: the same words, section by section
    assert manual_text["李老师"] == daily_text["李老师"]
    assert manual_text["李老师"].startswith("即将截止（3天内）\n· 听课：已完成 0 / 2")
    # 张老师's daily digest also names his 听课 (on track); his overdue section is the same
    assert manual_text["张老师"].split("\n\n")[0] == daily_text["张老师"].split("\n\n")[0]


def test_behind_with_a_far_deadline_is_said_too():
    """The daily run leaves out an item behind whose deadline is beyond the window; a manual
    reminder about it says it under 进度落后."""

    class C:  # the fields of an engine Cell that classify reads
        status, value, target, due = Status.BEHIND, Decimal(3), Decimal(15), date(2027, 1, 22)

    standing = D.classify("刘老师", [("听课", C)], DAY, 3)
    assert D.person_message(standing, at=DAY, days_ahead=3) is None
    message = D.person_message(standing, at=DAY, days_ahead=3, manual=True)
    assert message.title == "完成情况提醒（9月25日周五）：1项进度落后"
    assert message.text == "进度落后\n· 听课：已完成 3 / 15，截止 1月22日（周五）"


def test_daily_and_manual_runs_do_not_collide(client, school, scenario):
    first = daily.send_daily_reminders(at=DAY)[0]
    sent = confirm(
        client, school.office, preview(client, school.office, one(scenario), org=school.school.pk)
    )
    assert "已提醒 2 人，跳过 0 人（今天已提醒）。" in flashes(sent)
    second = daily.send_daily_reminders(at=DAY)[0]
    assert second.sent == {} and second.skipped == sum(first.sent.values())


def test_the_lead_reminds_their_group_only(client, school, scenario):
    response = preview(client, school.lead, one(scenario), org=school.school.pk)
    assert response.status_code == 200
    assert names(response.context["to_send"]) == {"李老师"}  # not 陈老师 of 数学组
    # a forged form naming 陈老师 still reaches the lead's members only
    client.force_login(school.lead)
    data = {"org": school.school.pk, "requirement": scenario.observation.pk}
    sent = client.post(
        SEND, {**data, "person": [school.chen.pk, school.other_teacher.person.pk]}, follow=True
    )
    assert "已提醒 1 人，跳过 0 人（今天已提醒）。" in flashes(sent)
    assert [n.person.name for n in Notification.objects.all()] == ["李老师"]
    assert (
        preview(client, school.lead, org=school.school.pk, group=school.maths.pk).status_code == 404
    )
    own = preview(client, school.lead, org=school.school.pk, group=school.group.pk)
    assert own.status_code == 200 and names(own.context["to_send"]) == {"张老师"}


@pytest.mark.parametrize("who", ["teacher", "leader", "district"])
def test_who_may_not_remind_gets_403(client, school, scenario, who):
    user = getattr(school, who)
    assert preview(client, user, org=school.school.pk).status_code == 403
    assert preview(client, user, one(scenario)).status_code == 403
    client.force_login(user)
    data = {"org": school.school.pk, "person": [school.other_teacher.person.pk]}
    assert client.post(SEND, data).status_code == 403
    assert Notification.objects.count() == 0


def test_another_org_is_404(client, school, scenario):
    outsider = school.outsider
    assert preview(client, outsider, org=school.school.pk).status_code == 404
    assert preview(client, outsider, one(scenario)).status_code == 404
    client.force_login(outsider)
    assert client.post(SEND, {"org": school.school.pk}).status_code == 404
    other_office = UserFactory(username="office2")
    grant(other_office, school.other_school, RoleGrant.Role.OFFICE)
    assert preview(client, other_office, one(scenario)).status_code == 404
    assert preview(client, other_office, org=school.school.pk).status_code == 404


def test_sending_is_a_post_with_csrf(school, scenario):
    client = Client(enforce_csrf_checks=True)
    client.force_login(school.office)
    assert client.get(SEND).status_code == 405
    data = {"org": school.school.pk, "person": [school.other_teacher.person.pk]}
    assert client.post(SEND, data).status_code == 403  # no token
    assert Notification.objects.count() == 0


def test_a_malformed_id_never_widens_the_send(client, school):
    client.force_login(school.office)
    data = {"org": school.school.pk, "requirement": "²", "person": [school.chen.pk]}
    assert client.post(SEND, data).status_code == 404
    assert client.post(SEND, {**data, "requirement": "", "group": "abc"}).status_code == 404
    assert Notification.objects.count() == 0


def test_a_failed_email_is_logged_and_the_notification_goes_out(
    client, school, scenario, settings, closed_port
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    response = preview(client, school.office, one(scenario), org=school.school.pk)
    sent = confirm(client, school.office, response)
    assert "已提醒 2 人，跳过 0 人（今天已提醒）。" in flashes(sent)
    assert "1 封邮件发送失败，站内通知已送达；错误见发送记录。" in flashes(sent)
    assert Notification.objects.filter(person=school.chen).count() == 1
    failed = Digest.objects.get(via="email")
    assert failed.status == Digest.Status.FAILED and failed.error
    channels = client.get(f"{reverse('notify:channels')}?org={school.school.code}")
    html = channels.content.decode()
    assert "手动提醒" in html and "失败" in html and "陈老师" in html


def test_no_email_when_the_policy_says_so(client, school, scenario):
    ReminderPolicy.objects.create(org=school.school, send_email=False)
    response = preview(client, school.office, one(scenario), org=school.school.pk)
    assert all(r.email == "" for r in response.context["to_send"])
    confirm(client, school.office, response)
    assert mail.outbox == [] and not Digest.objects.filter(via="email").exists()


def test_the_buttons_are_on_the_pages_of_who_may_use_them(client, school, scenario):
    compliance = reverse("rules:compliance")
    client.force_login(school.office)
    html = client.get(f"{compliance}?org={school.school.pk}").content.decode()
    assert f'href="{PREVIEW}?org={school.school.pk}"' in html
    assert f'href="{one(scenario)}?org={school.school.pk}"' in html
    client.force_login(school.leader)
    html = client.get(f"{compliance}?org={school.school.pk}").content.decode()
    assert "提醒未完成的人" not in html
    client.force_login(school.lead)
    standing = reverse("rules:group_standing", args=[school.group.pk])
    assert "提醒本组未完成的人" in client.get(standing).content.decode()
    assert manual.digest_key(1, "u2", "inapp") == "manual:1:u2:inapp"
