"""The local platform server and an org configured against it.

The reminder scenario (term, requirements, 张老师/李老师/王组长) is notify's (its conftest):
on Friday 2026-09-25 the three of them and the office get a digest."""

from __future__ import annotations

import pytest

from keshi.integrations import clients
from keshi.integrations.models import Integration, PlatformAccount
from keshi.integrations.tests.fakeserver import DINGTALK_SECRET, WECOM_SECRET, FakePlatforms
from keshi.notify.tests.conftest import scenario, term  # noqa: F401 — shared fixtures

SITE = "https://keshi.example.edu.cn"


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    monkeypatch.setattr(clients, "BACKOFF_S", (0, 0, 0))


@pytest.fixture
def fake(settings):
    server = FakePlatforms().start()
    settings.KESHI_DINGTALK_API = server.url
    settings.KESHI_DINGTALK_NEW_API = server.url
    settings.KESHI_WECOM_API = server.url
    settings.KESHI_WEBHOOK_HOSTS = [server.url]
    settings.KESHI_SITE_URL = SITE
    try:
        yield server
    finally:
        server.stop()


def make_integration(org, platform: str = "dingtalk", **kwargs) -> Integration:
    if platform == "dingtalk":
        defaults = {"corp_id": "dingcorp", "app_key": DINGTALK_SECRET[0], "agent_id": "123"}
        secret = DINGTALK_SECRET[1]
    else:
        defaults = {"corp_id": WECOM_SECRET[0], "app_key": "", "agent_id": "1000002"}
        secret = WECOM_SECRET[1]
    secret = kwargs.pop("secret", secret)
    integration = Integration(org=org, platform=platform, **{**defaults, **kwargs})
    integration.secret = secret
    integration.save()
    return integration


@pytest.fixture
def dingtalk(cast, fake) -> Integration:
    return make_integration(cast.school, "dingtalk")


@pytest.fixture
def wecom(cast, fake) -> Integration:
    """On the other school, so that a test may use both platforms."""
    return make_integration(cast.other_school, "wecom")


def link(person, userid: str, platform: str = "dingtalk", **kwargs) -> PlatformAccount:
    return PlatformAccount.objects.create(
        org=person.org, person=person, platform=platform, userid=userid, **kwargs
    )
