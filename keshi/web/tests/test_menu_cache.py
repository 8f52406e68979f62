"""The menu is cached per user and language (keshi/web/menu_cache.py) and built again as soon
as a row it depends on changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keshi.accounts.models import RoleGrant
from keshi.org.tests.factories import grant
from keshi.records.models import ObservationAssignment
from keshi.web import menu_cache

pytestmark = pytest.mark.django_db


def _menu(client) -> set[str]:
    response = client.get(reverse("home"))
    return {c.label for item in response.context["nav_items"] for c in [item, *item.children]}


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    return len(queries)


def test_a_second_page_does_not_build_the_menu_again(client, cast, monkeypatch):
    client.force_login(cast.teacher)
    built = _queries(client)  # the first page builds the menu: grants, 整改, tasks, indicators…
    cached = _queries(client)
    assert cached <= built - 3 and _queries(client) == cached
    monkeypatch.setattr(menu_cache, "cached", lambda user, build: build(user))
    assert _queries(client) == built


def test_a_grant_shows_in_the_menu_at_once(client, cast):
    client.force_login(cast.teacher)
    assert "名册导入" not in _menu(client)
    given = grant(cast.teacher, cast.school, RoleGrant.Role.OFFICE)
    assert "名册导入" in _menu(client)
    given.delete()
    assert "名册导入" not in _menu(client)


def test_an_observation_task_shows_in_the_menu_at_once(client, cast):
    client.force_login(cast.teacher)
    assert "我的听课任务" not in _menu(client)
    today = timezone.localdate()
    ObservationAssignment.objects.create(
        org=cast.school,
        observer=cast.teacher.person,
        teacher=cast.other_teacher.person,
        start=today,
        due=today,
    )
    assert "我的听课任务" in _menu(client)


def test_each_user_and_language_has_its_own_menu(client, cast):
    client.force_login(cast.office)
    assert "名册导入" in _menu(client)
    client.force_login(cast.teacher)
    assert "名册导入" not in _menu(client)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _menu(client)
    assert "Home" in english and "首页" not in english
