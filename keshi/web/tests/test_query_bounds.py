"""The dashboards ask the database the same number of questions however many people the school
has (#27): more staff, groups and records change no query count, and each stays under a bound."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keshi.calendar.services import create_school_year
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db
# Each dashboard as the role that lives on it, with its bound (queries at most; as measured
# 2026-12-08 with the menu cached — a new query on a dashboard must raise the bound knowingly).
DASHBOARDS = [
    ("teacher", "home", 31),
    ("teacher", "rules:my_tasks", 27),
    ("lead", "home", 34),
    ("lead", "rules:compliance", 32),
    ("office", "home", 17),
    ("office", "rules:compliance", 30),
]


@pytest.fixture
def school(cast):
    today = timezone.localdate()
    start = today - timedelta(days=80)
    create_school_year(
        org=cast.school,
        start_year=start.year,
        first_start=start,
        first_end=today + timedelta(days=40),
    )
    RequirementFactory(org=cast.school, name="听课", threshold=2, kinds=[kind("observation")])
    RequirementFactory(org=cast.school, name="反思", threshold=3, kinds=[kind("reflection")])
    ActivityFactory(person=cast.teacher.person, date=start + timedelta(days=3))


def _grow(cast, n: int) -> None:
    """``n`` more teachers in the 语文组 and in a new group, each with records."""
    other = GroupFactory(org=cast.school, name="数学组")
    for i in range(n):
        person = PersonFactory(org=cast.school, name=f"补充{i:02d}")
        MembershipFactory(person=person, group=cast.group if i % 2 else other)
        ActivityFactory(person=person, date=timezone.localdate() - timedelta(days=i % 20))


def _count(client, user, url: str) -> int:
    client.force_login(user)
    client.get(url)  # warm: the compliance cache, once-per-process work
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("who", "name", "bound"), DASHBOARDS)
def test_dashboard_queries_do_not_grow_with_the_school(client, cast, school, who, name, bound):
    user, url = getattr(cast, who), reverse(name)
    before = _count(client, user, url)
    _grow(cast, 40)
    after = _count(client, user, url)
    assert after == before, f"{name} as {who}: {before} queries, {after} with 40 more people"
    assert after <= bound, after
