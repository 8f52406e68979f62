"""Every link in a demo role's menu opens: no 403, 404 or server error (issue #22 item 3)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from keshi.web.context import nav_items

DEMO_ROLES = [
    "admin",
    "district",
    "office",
    "leader",
    "lead",
    "teacher",
    "teacher2",
    "neuro",
    "hospital_office",
]


def menu_urls(user) -> list[tuple[str, str]]:
    urls = []
    for item in nav_items(user):
        if item.url:
            urls.append((item.label, item.url))
        urls.extend((f"{item.label} › {child.label}", child.url) for child in item.children)
    return urls


@pytest.mark.slow
def test_every_menu_link_opens_for_every_demo_role(demo_school):
    failures = []
    for username in DEMO_ROLES:
        user = get_user_model().objects.get(username=username)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for label, url in menu_urls(user):
            status = client.get(url).status_code
            if status >= 400:
                failures.append(f"{username}: {label} {url} → {status}")
    assert failures == []
