import pytest
from django.db import transaction
from django.test import override_settings

from keshi.demo.services import load_demo
from keshi.demo.tests.snapshot import TODAY

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as keshi/conftest.py


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once per test module (it takes seconds); each test runs in its own
    savepoint on top of it, and the whole is rolled back at the end of the module."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=tmp_path_factory.mktemp("media")
        ),  # the 课题 documents
        transaction.atomic(),
    ):
        yield load_demo(today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo
