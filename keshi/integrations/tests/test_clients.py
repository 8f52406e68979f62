"""The real clients against the local platform server: token cache and refresh, back-off on
rate limits, timeouts, unknown users, partial delivery, the allow-list."""

from __future__ import annotations

import pytest

from keshi.integrations.clients import Card, Client, PlatformError, UnknownUser
from keshi.integrations.tests.fakeserver import User

pytestmark = pytest.mark.django_db

CARD = Card("每日提醒", "你有待办", "### 每日提醒", "https://keshi.example.edu.cn/tasks/")


def client(integration, **kwargs) -> Client:
    return Client.for_integration(integration, **kwargs)


@pytest.mark.parametrize("platform", ["dingtalk", "wecom"])
def test_token_is_cached_until_it_expires_and_refreshed_on_the_expired_code(
    request, fake, platform
):
    integration = request.getfixturevalue(platform)
    fake.state.departments = {2: ("语文组", 1)}
    token_path = "/gettoken" if platform == "dingtalk" else "/cgi-bin/gettoken"
    client(integration).departments()
    client(integration).departments()  # another client, another process: the cache is shared
    assert len(fake.calls_to(token_path)) == 1
    fake.expire_tokens()
    assert [d.name for d in client(integration).departments()][-1] == "语文组"
    assert len(fake.calls_to(token_path)) == 2


def test_rate_limit_is_retried_with_back_off(dingtalk, fake):
    slept = []
    fake.state.users = {"u1": User("u1", "张老师")}
    fake.fail("/topapi/message/corpconversation/asyncsend_v2", "ratelimit", times=2)
    delivery = client(dingtalk, sleep=slept.append).send(["u1"], CARD)
    assert delivery.task_id
    assert slept == [0, 0]  # two waits (BACKOFF_S, zero in tests), then it went through
    assert len(fake.calls_to("/topapi/message/corpconversation/asyncsend_v2")) == 3


def test_rate_limit_that_does_not_end_is_reported(wecom, fake):
    fake.fail("/cgi-bin/message/send", "ratelimit", times=10)
    with pytest.raises(PlatformError) as info:
        client(wecom).send(["u1"], CARD)
    assert info.value.errcode == 45009
    assert "太频繁" in str(info.value) and "发送应用消息" in str(info.value)
    assert len(fake.calls_to("/cgi-bin/message/send")) == 4  # the call and three retries


def test_timeout_names_the_host_and_the_step(dingtalk, fake):
    fake.state.delay_s = 1.5
    fake.fail("/topapi/v2/department/listsub", "timeout")
    with pytest.raises(PlatformError) as info:
        client(dingtalk, timeout=0.3).departments()
    assert "超时" in str(info.value) and "读取部门列表" in str(info.value)


def test_unknown_login_code(dingtalk, wecom, fake):
    fake.state.codes = {"good": "u1"}
    assert client(dingtalk).user_by_code("good") == "u1"
    with pytest.raises(UnknownUser):
        client(dingtalk).user_by_code("used-or-forged")
    with pytest.raises(UnknownUser):
        client(wecom).user_by_code("used-or-forged")


def test_partial_delivery_reports_the_invalid_users(dingtalk, wecom, fake):
    fake.state.users = {"u1": User("u1", "张老师"), "u2": User("u2", "李老师")}
    fake.state.invalid = {"u2"}
    wc = client(wecom).send(["u1", "u2", "gone"], CARD)
    assert wc.task_id.startswith("msg") and set(wc.invalid) == {"u2", "gone"}
    dt = client(dingtalk)
    delivery = dt.send(["u1", "u2"], CARD)
    assert dt.send_result(delivery.task_id) == (True, ("u2",))


def test_wecom_all_recipients_invalid_is_a_delivery_to_nobody(wecom, fake):
    delivery = client(wecom).send(["gone1", "gone2"], CARD)
    assert delivery.invalid == ("gone1", "gone2") and delivery.task_id == ""


def test_wrong_secret_is_named(cast, fake):
    from keshi.integrations.tests.conftest import make_integration

    integration = make_integration(cast.school, "dingtalk", secret="wrong")
    with pytest.raises(PlatformError) as info:
        client(integration).token()
    assert info.value.errcode == 40089 and "AppSecret" in str(info.value)


def test_host_not_on_the_allow_list_is_refused(dingtalk, fake, settings):
    settings.KESHI_WEBHOOK_HOSTS = ["oapi.dingtalk.com"]
    with pytest.raises(PlatformError) as info:
        client(dingtalk).token()
    assert "不在允许列表" in str(info.value)
    assert fake.state.calls == []


def test_members_are_read_page_by_page_within_the_size_limit(dingtalk, fake):
    fake.state.users = {f"u{i:03}": User(f"u{i:03}", f"教师{i}") for i in range(130)}
    members = client(dingtalk).members("1")
    assert len(members) == 130
    pages = fake.calls_to("/topapi/v2/user/list")
    assert [p["cursor"] for p in pages] == [0, 100] and {p["size"] for p in pages} == {100}
