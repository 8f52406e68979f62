"""The inbox and the channel settings page, with the cast: who sees and changes what."""

import pytest
from django.urls import reverse
from django.utils import timezone

from keshi.accounts.models import RoleGrant
from keshi.notify.models import Channel, Notification, ReminderPolicy
from keshi.org.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

INBOX = reverse("notify:inbox")
CHANNELS = reverse("notify:channels")


def notify(user, title="提醒", org=None, **kw):
    person = getattr(user, "person", None)
    org = org or person.org
    return Notification.objects.create(org=org, user=user, person=person, title=title, **kw)


@pytest.fixture
def notes(cast):
    return {
        "teacher": notify(cast.teacher, "张老师的提醒", link="/tasks/"),
        "other": notify(cast.other_teacher, "李老师的提醒"),
        "office": notify(cast.office, "教科室的提醒", org=cast.school),
    }


@pytest.mark.parametrize(
    "who, mine, not_mine",
    [
        ("teacher", "张老师的提醒", ["李老师的提醒", "教科室的提醒"]),
        ("lead", None, ["张老师的提醒", "李老师的提醒", "教科室的提醒"]),
        ("office", "教科室的提醒", ["张老师的提醒", "李老师的提醒"]),
        ("district", None, ["张老师的提醒", "教科室的提醒"]),
        ("outsider", None, ["张老师的提醒"]),
    ],
)
def test_inbox_shows_only_own(client, cast, notes, who, mine, not_mine):
    client.force_login(getattr(cast, who))
    html = client.get(INBOX).content.decode()
    if mine:
        assert mine in html and "1 条未读" in html
    else:
        assert "还没有通知" in html
    for title in not_mine:
        assert title not in html


def test_inbox_follows_the_person(client, cast):
    """A notification addressed to the person (before they had a login) is theirs."""
    Notification.objects.create(org=cast.school, person=cast.teacher.person, title="给人员的")
    client.force_login(cast.teacher)
    assert "给人员的" in client.get(INBOX).content.decode()


def test_inbox_paginates_and_filters_unread(client, cast):
    for i in range(25):
        notify(cast.teacher, f"第{i:02d}条", read_at=timezone.now() if i < 5 else None)
    client.force_login(cast.teacher)
    page1 = client.get(INBOX).content.decode()
    assert "第24条" in page1 and "第04条" not in page1 and "共 25 条" in page1
    assert "第04条" in client.get(INBOX, {"page": 2}).content.decode()
    unread = client.get(INBOX, {"unread": "1"}).content.decode()
    assert "共 20 条" in unread and "20 条未读" in unread
    Notification.objects.update(read_at=timezone.now())
    assert "没有未读通知" in client.get(INBOX, {"unread": "1"}).content.decode()


def test_mark_read_only_own(client, cast, notes):
    client.force_login(cast.teacher)
    assert client.post(reverse("notify:read", args=[notes["other"].pk])).status_code == 404
    notes["other"].refresh_from_db()
    assert notes["other"].read_at is None
    r = client.post(reverse("notify:read", args=[notes["teacher"].pk]), {"next": INBOX + "?page=1"})
    assert r.status_code == 302 and r.url == INBOX + "?page=1"
    notes["teacher"].refresh_from_db()
    assert notes["teacher"].read_at is not None
    assert client.get(reverse("notify:read", args=[notes["teacher"].pk])).status_code == 405


def test_mark_all_read_only_own(client, cast, notes):
    notify(cast.teacher, "又一条")
    client.force_login(cast.teacher)
    r = client.post(reverse("notify:read_all"), {"next": "https://evil.example/"})
    assert r.url == INBOX
    assert Notification.objects.filter(user=cast.teacher, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_open_marks_read_and_follows_local_links(client, cast, notes):
    client.force_login(cast.teacher)
    r = client.get(reverse("notify:open", args=[notes["teacher"].pk]))
    assert r.status_code == 302 and r.url == "/tasks/"
    notes["teacher"].refresh_from_db()
    assert notes["teacher"].read_at is not None
    evil = notify(cast.teacher, "外链", link="https://evil.example/")
    assert client.get(reverse("notify:open", args=[evil.pk])).url == INBOX
    assert client.get(reverse("notify:open", args=[notes["other"].pk])).status_code == 404


def test_bell_shows_unread_count(client, cast, notes):
    notify(cast.teacher, "第二条")
    client.force_login(cast.teacher)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/notifications/"' in html
    assert '<span class="badge rounded-pill text-bg-danger">2</span>' in html
    client.force_login(cast.lead)
    assert "rounded-pill text-bg-danger" not in client.get(reverse("home")).content.decode()


# --- channel settings -------------------------------------------------------------------


@pytest.fixture
def ding(cast):
    return Channel.objects.create(
        org=cast.school,
        name="语文组钉钉群",
        kind=Channel.Kind.DINGTALK,
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=t",
        secret="SECsecret-value-42",
    )


@pytest.mark.parametrize(
    "who, status",
    [
        ("office", 200),
        ("admin", 200),
        ("teacher", 403),
        ("lead", 403),
        ("leader", 403),
        ("district", 403),
        ("outsider", 403),
    ],
)
def test_channel_page_access(client, cast, admin_user, ding, who, status):
    client.force_login(admin_user if who == "admin" else getattr(cast, who))
    r = client.get(CHANNELS, {"org": "demo"})
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "语文组钉钉群" in html and "已设置" in html
        assert "SECsecret-value-42" not in html
    edit = client.get(reverse("notify:channel_edit", args=[ding.pk]))
    assert edit.status_code == (200 if status == 200 else 404)


def test_other_schools_office_cannot_reach_the_channel(client, cast, ding):
    other_office = UserFactory(username="other_office")
    grant(other_office, cast.other_school, RoleGrant.Role.OFFICE)
    client.force_login(other_office)
    assert client.get(CHANNELS, {"org": "demo"}).status_code == 404
    assert "语文组钉钉群" not in client.get(CHANNELS).content.decode()
    for name in ("notify:channel_edit", "notify:channel_test", "notify:channel_delete"):
        method = client.get if name == "notify:channel_edit" else client.post
        assert method(reverse(name, args=[ding.pk])).status_code == 404
    assert Channel.objects.filter(pk=ding.pk).exists()


def test_add_channel_errors_in_chinese_and_nothing_written(client, cast):
    client.force_login(cast.office)
    url = reverse("notify:channel_add") + "?org=demo"
    r = client.post(url, {"name": "群", "kind": "dingtalk", "webhook_url": ""})
    assert "群机器人需要填写 Webhook 地址。" in r.content.decode()
    r = client.post(url, {"name": "群", "kind": "wecom", "webhook_url": "http://10.0.0.5/hook"})
    assert "不在允许列表中" in r.content.decode()
    r = client.post(url, {"name": "邮箱", "kind": "email", "email": "不是邮箱"})
    assert "输入一个有效的 Email 地址。" in r.content.decode()
    assert Channel.objects.count() == 0


def test_secret_is_write_only(client, cast, ding):
    client.force_login(cast.office)
    url = reverse("notify:channel_edit", args=[ding.pk])
    html = client.get(url).content.decode()
    assert "SECsecret-value-42" not in html and "已保存密钥（不显示）" in html
    data = {"name": "改名", "kind": "dingtalk", "webhook_url": ding.webhook_url, "active": "on"}
    assert client.post(url, {**data, "new_secret": ""}).status_code == 302
    ding.refresh_from_db()
    assert ding.name == "改名" and ding.secret == "SECsecret-value-42"
    client.post(url, {**data, "new_secret": "SECnew"})
    ding.refresh_from_db()
    assert ding.secret == "SECnew"
    client.post(url, {**data, "clear_secret": "on"})
    ding.refresh_from_db()
    assert ding.secret == ""


def test_add_channel_and_test_send(client, cast, receiver):
    client.force_login(cast.office)
    r = client.post(
        reverse("notify:channel_add") + "?org=demo",
        {"name": "教研群", "kind": "dingtalk", "webhook_url": receiver.url(), "new_secret": "SECx"},
    )
    assert r.status_code == 302 and r.url == CHANNELS + "?org=demo"
    channel = Channel.objects.get()
    assert channel.org == cast.school and channel.secret == "SECx" and not channel.mention_all
    r = client.post(reverse("notify:channel_test", args=[channel.pk]), follow=True)
    assert "测试消息已发送到“教研群”" in r.content.decode()
    assert receiver.received[0].query["sign"]
    channel.webhook_url = receiver.url("/fail")
    channel.save()
    r = client.post(reverse("notify:channel_test", args=[channel.pk]), follow=True)
    assert "测试消息发送失败：HTTP 500" in r.content.decode()


def test_policy_form(client, cast):
    client.force_login(cast.office)
    r = client.post(CHANNELS, {"org": "demo", "days_ahead": "40", "enabled": "on"})
    assert "提前提醒天数不能超过30天。" in r.content.decode()
    assert not ReminderPolicy.objects.exists()
    r = client.post(CHANNELS, {"org": "demo", "days_ahead": "5", "enabled": "on"})
    assert r.status_code == 302
    policy = ReminderPolicy.objects.get(org=cast.school)
    assert policy.days_ahead == 5 and policy.enabled and not policy.send_email


def test_delete_channel(client, cast, ding):
    client.force_login(cast.office)
    r = client.post(reverse("notify:channel_delete", args=[ding.pk]))
    assert r.status_code == 302 and not Channel.objects.exists()
