"""Every menu item of every demo login opens on real content: 200, and no empty state."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from keshi.demo import cover
from keshi.demo.services import load_demo
from keshi.demo.tests.conftest import FAST_HASHER
from keshi.web.context import nav_items

LOGINS = ["office", "leader", "lead", "teacher", "district", "teacher2"]
LOGINS += ["neuro", "hospital_office"]
EMPTY = 'class="empty-state'


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo as ``keshi demo-data`` writes it (with its timetables), once per module."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=tmp_path_factory.mktemp("media")
        ),  # the 课题 documents
        transaction.atomic(),
    ):
        loaded = load_demo(today=today())
        cover.build(loaded.today)
        yield loaded
        transaction.set_rollback(True)


def today():
    """The pages show the real today's week and term: load the demo as ``keshi demo-data``
    would today (a day inside a term: in the holidays the pages look at the next term, which
    the demo leaves empty)."""
    return timezone.localdate()


def _links(user) -> list[tuple[str, str]]:
    found = []
    for item in nav_items(user):
        if item.url:
            found.append((item.label, item.url))
        found += [(f"{item.label}/{child.label}", child.url) for child in item.children]
    return found


@pytest.mark.parametrize("username", LOGINS)
def test_every_menu_item_has_content(demo, db, username):
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    problems, links = [], _links(user)
    assert len(links) >= 10, links
    for label, url in links:
        response = client.get(url, follow=True)
        if response.status_code != 200:
            problems.append(f"{label} {url}: {response.status_code}")
        elif EMPTY in response.content.decode():
            problems.append(f"{label} {url}: empty")
    assert not problems, "\n".join(problems)
