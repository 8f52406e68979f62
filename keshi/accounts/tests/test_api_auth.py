"""API authentication: bearer tokens, the create-token command, and the session for htmx."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from keshi.accounts.models import ApiToken
from keshi.accounts.services import revoke_tokens
from keshi.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def test_no_token_is_401_with_json_detail(cast, client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer ", "Token abc", "Bearer ks_" + "x" * 43])
def test_bad_token_is_401(cast, client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401


def test_valid_token_authenticates_and_records_use(cast, client):
    token, raw = ApiToken.issue(cast.teacher, name="测试")
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == "teacher"
    token.refresh_from_db()
    assert token.last_used is not None
    assert ApiToken.objects.filter(key_hash=raw).count() == 0  # only the hash is stored


def test_revoked_token_is_401(cast, client):
    token, raw = ApiToken.issue(cast.teacher)
    assert revoke_tokens(username="teacher", prefix=token.prefix) == 1
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_token_of_inactive_user_is_401(cast, client):
    _, raw = ApiToken.issue(cast.teacher)
    cast.teacher.is_active = False
    cast.teacher.save()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_session_works_for_reads_and_writes_need_csrf(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.office)
    assert browser.get("/api/v1/me").json()["roles"] == ["office"]
    response = browser.post(
        "/api/v1/people", {"org": "demo", "name": "甲"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF 校验失败")


# ---------------------------------------------------------------- keshi create-token


def test_create_token_prints_a_working_token(cast, client, capsys):
    call_command("create-token", "office", "--name", "报表同步")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("ks_")
    token = ApiToken.objects.get(user=cast.office)
    assert (token.name, token.prefix) == ("报表同步", raw[:8])
    assert client.get("/api/v1/me", headers=bearer(raw)).json()["username"] == "office"


def test_create_token_for_unknown_user_exits_1(db):
    with pytest.raises(CommandError, match="账号不存在：nobody") as error:
        call_command("create-token", "nobody")
    assert error.value.returncode == 1  # what BaseCommand.run_from_argv exits with
    assert not ApiToken.objects.exists()


def test_create_token_revoke(cast, client, capsys):
    user = UserFactory(username="sync")
    keep, keep_raw = ApiToken.issue(user)
    gone, gone_raw = ApiToken.issue(user)
    call_command("create-token", "sync", "--revoke", gone.prefix)
    assert "已吊销 1 个令牌" in capsys.readouterr().out
    assert client.get("/api/v1/me", headers=bearer(gone_raw)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(keep_raw)).status_code == 200


def test_create_token_revoke_unknown_prefix_fails(cast):
    with pytest.raises(CommandError, match="没有前缀为"):
        call_command("create-token", "office", "--revoke", "ks_none")


def test_revoke_only_touches_that_users_tokens(cast):
    theirs, _ = ApiToken.issue(cast.teacher)
    ApiToken.issue(cast.office)
    assert revoke_tokens(username="office", prefix="ks_") == 1
    theirs.refresh_from_db()
    assert not theirs.revoked
