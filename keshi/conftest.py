"""The shared cast for tests (after healthchecks' alice/bob/charlie).

* ``teacher`` (张老师) and ``other_teacher`` (李老师): members of the 语文组 of school ``demo``;
* ``lead`` (王组长): leads that 语文组;
* ``office``: 教科室 staff of ``demo``; ``leader``: read-only school leader of ``demo``;
* ``outsider``: a teacher of another school ``other`` in the same district;
* ``district``: district staff over both schools.
"""

import signal
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from keshi.accounts.models import RoleGrant
from keshi.org.models import Membership, Org
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrgFactory,
    PersonFactory,
    UserFactory,
    grant,
)
from keshi.rules import standing
from keshi.tests.browser import browser_page  # noqa: F401 -- a fixture for every test module

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
# Two shared cores and parallel suites make wall-clock deadlines flaky; correctness is what
# the property tests check.
hypothesis_settings.register_profile("keshi", deadline=None)
hypothesis_settings.load_profile("keshi")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """Each test database is built from the models, not by replaying the migrations: seconds
    instead of a minute per test process (keshi.ops.schema; keshi/tests/test_migrations.py
    checks that both give the same schema)."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        database.setdefault("TEST", {})["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from keshi.ops import schema

    with django_db_blocker.unblock():
        schema.complete()


@pytest.fixture(autouse=True, scope="session")
def _process_cache():
    """Tests share one process: the compliance cache lives in its memory, emptied per test."""
    with override_settings(CACHES={"default": {"BACKEND": LOCMEM}}):
        yield


@pytest.fixture(autouse=True)
def _empty_cache(_process_cache):
    cache.clear()
    standing._local.pending = set()


_SHUTDOWN_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)
)


@pytest.fixture(autouse=True)
def _signal_handlers_kept():
    """A test must not leave signal handlers behind: a task worker run inside pytest installs
    its own, and CI's SIGTERM would then raise in a later test instead of stopping the run.
    Workers run as subprocesses (keshi.tests.processes.run_worker)."""
    before = {s: signal.getsignal(s) for s in _SHUTDOWN_SIGNALS}
    yield
    changed = [signal.Signals(s).name for s in before if signal.getsignal(s) != before[s]]
    for s, handler in before.items():
        signal.signal(s, handler)
    if changed:
        pytest.fail(f"the test left handlers for {', '.join(changed)} installed")


@dataclass
class Cast:
    district_org: Org
    school: Org
    other_school: Org
    teacher: object
    other_teacher: object
    lead: object
    office: object
    leader: object
    outsider: object
    district: object
    group: object


@pytest.fixture
def cast(db) -> Cast:
    district_org = OrgFactory(code="district", name="示范区教科室", kind=Org.Kind.DISTRICT)
    school = OrgFactory(code="demo", name="示范中学", parent=district_org)
    other_school = OrgFactory(code="other", name="另一所中学", parent=district_org)
    group = GroupFactory(org=school, name="语文组")

    def teacher_user(
        username: str, name: str, org: Org, role=Membership.Role.MEMBER, in_group=True
    ):
        user = UserFactory(username=username)
        person = PersonFactory(org=org, name=name, user=user, phone="13800000000")
        if in_group:
            MembershipFactory(person=person, group=group, role=role)
        return user

    teacher = teacher_user("teacher", "张老师", school)
    other_teacher = teacher_user("other_teacher", "李老师", school)
    lead = teacher_user("lead", "王组长", school, role=Membership.Role.LEAD)
    outsider = teacher_user("outsider", "赵老师", other_school, in_group=False)
    office = UserFactory(username="office")
    grant(office, school, RoleGrant.Role.OFFICE)
    leader = UserFactory(username="leader")
    grant(leader, school, RoleGrant.Role.LEADER)
    district = UserFactory(username="district")
    grant(district, district_org, RoleGrant.Role.DISTRICT)
    return Cast(
        district_org=district_org,
        school=school,
        other_school=other_school,
        teacher=teacher,
        other_teacher=other_teacher,
        lead=lead,
        office=office,
        leader=leader,
        outsider=outsider,
        district=district,
        group=group,
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without a collectstatic manifest in tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def admin_user(db):
    """A system admin (superuser) outside every org."""
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture(scope="session", autouse=True)
def _release_test_database(django_db_setup, django_db_blocker):
    """pytest-django's session-wide live server can outlive the test database and keep a
    PostgreSQL session on it, which blocks the final DROP DATABASE. End such sessions first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def demo_school(transactional_db) -> Org:
    """The demo district of ``keshi demo-data``, committed so that a live server sees it."""
    from django.core.management import call_command

    call_command("demo-data", verbosity=0)
    return Org.objects.get(code="demo")


_HEAVY = ("demo-data", "demo_school", "mark.browser", "mark.slow", "loaded(")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items) -> None:
    """Heavy files first (the loaded demo, browser journeys). The suite runs one file per
    process at a time (``-n 2 --dist loadfile``): a heavy file collected last would run alone
    while the other process idles. The sort is stable, so the order within each part stays."""
    heavy: dict = {}
    for item in items:
        if item.path not in heavy:
            text = item.path.read_text("utf-8") if item.path.suffix == ".py" else ""
            heavy[item.path] = any(mark in text for mark in _HEAVY)
    items.sort(key=lambda item: not heavy[item.path])
