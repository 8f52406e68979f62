"""The office's settings page: the secret is encrypted and never shown, 测试连接 names the
failing step, other roles cannot reach it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keshi.integrations.models import Integration
from keshi.integrations.tests.fakeserver import DINGTALK_SECRET

pytestmark = pytest.mark.django_db


def test_office_configures_and_tests_the_connection(client, cast, fake):
    client.force_login(cast.office)
    url = reverse("integrations:settings")
    data = {
        "org": "demo",
        "platform": "dingtalk",
        "corp_id": "dingcorp",
        "app_key": DINGTALK_SECRET[0],
        "new_secret": DINGTALK_SECRET[1],
        "agent_id": "123",
        "match_by": "staff_no",
        "active": "on",
    }
    assert client.post(url, data).status_code == 302
    integration = Integration.objects.get(org=cast.school)
    assert DINGTALK_SECRET[1] not in integration.secret_encrypted
    assert integration.secret == DINGTALK_SECRET[1]
    page = client.get(url, {"org": "demo"}).content.decode()
    assert DINGTALK_SECRET[1] not in page and integration.secret_encrypted not in page

    fake.state.departments = {2: ("语文组", 1)}
    html = client.post(reverse("integrations:test"), {"org": "demo"}).content.decode()
    assert "连接正常" in html and "1 个部门" in html

    integration.secret = "wrong"
    integration.save()
    html = client.post(reverse("integrations:test"), {"org": "demo"}).content.decode()
    assert "获取 access_token" in html and "40089" in html and "AppSecret 不正确" in html


def test_form_errors_are_in_chinese(client, cast):
    client.force_login(cast.office)
    response = client.post(
        reverse("integrations:settings"),
        {"org": "demo", "platform": "dingtalk", "corp_id": "c", "agent_id": "abc"},
    )
    html = response.content.decode()
    assert (
        "钉钉应用需要填写 AppKey" in html
        and "请填写应用密钥" in html
        and "AgentId 是一串数字" in html
    )
    assert not Integration.objects.exists()


@pytest.mark.parametrize("role", ["teacher", "lead", "leader", "district", "outsider"])
def test_only_office_reaches_the_settings(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("integrations:settings"), {"org": "demo"}).status_code in (403, 404)


def test_teacher_turns_work_notices_off(client, cast, dingtalk):
    from keshi.integrations.tests.conftest import link

    account = link(cast.teacher.person, "zhang")
    client.force_login(cast.teacher)
    assert client.get(reverse("integrations:preference")).status_code == 200
    client.post(reverse("integrations:preference"), {})
    account.refresh_from_db()
    assert account.receive_notices is False
    client.force_login(cast.other_teacher)  # no account: nothing to set
    assert client.get(reverse("integrations:preference")).status_code == 404
