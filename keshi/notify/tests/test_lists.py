"""The 通知 inbox on the list component: pages, search, empty states, hostile parameters."""

import pytest
from django.urls import reverse
from django.utils import timezone

from keshi.notify.models import Notification

pytestmark = pytest.mark.django_db
INBOX = reverse("notify:inbox")


def notify(user, title, **kw):
    person = user.person
    return Notification.objects.create(org=person.org, user=user, person=person, title=title, **kw)


def titles(response) -> list[str]:
    return [n.title for n in response.context["page"].object_list]


def test_inbox_paginates_and_search_narrows(client, cast):
    for i in range(25):
        notify(cast.teacher, f"截止提醒{i:02d}", body="听课记录")
    notify(cast.teacher, "培训通知", body="暑期培训", read_at=timezone.now())
    client.force_login(cast.teacher)
    first = client.get(INBOX)
    assert first.status_code == 200 and "list-table" in first.content.decode()
    assert first.context["page"].paginator.num_pages == 2
    assert titles(client.get(INBOX, {"q": "暑期"})) == ["培训通知"]
    assert titles(client.get(INBOX, {"q": "培训", "unread": "1"})) == []
    assert client.get(INBOX, {"q": "听课"}).context["page"].paginator.count == 25


def test_search_that_finds_nothing_offers_to_clear(client, cast):
    notify(cast.teacher, "提醒")
    client.force_login(cast.teacher)
    body = client.get(INBOX, {"q": "不存在"}).content.decode()
    assert "没有符合条件的通知" in body and "清除筛选" in body


@pytest.mark.parametrize(
    "params", [{"page": "x"}, {"page": "9" * 30}, {"org": "²"}, {"status": "zzz"}, {"q": "x" * 300}]
)
def test_hostile_parameters_give_200(client, cast, params):
    notify(cast.teacher, "提醒")
    client.force_login(cast.teacher)
    response = client.get(INBOX, params)
    assert response.status_code == 200
    if "q" not in params:
        assert titles(response) == ["提醒"]


def test_other_peoples_notifications_stay_out_of_a_search(client, cast):
    notify(cast.other_teacher, "李老师的提醒")
    client.force_login(cast.teacher)
    assert titles(client.get(INBOX, {"q": "李老师"})) == []
