import pytest

from keshi.originality import services
from keshi.originality.tests.samples import TEMPLATE
from keshi.records.services import record_activity
from keshi.records.tests.factories import kind


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run the queued fingerprinting at once (production: the database backend's worker)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture
def record(django_capture_on_commit_callbacks):
    """Record a text the way the records pages do, and run what the commit queues."""

    def make(user, text: str, code: str = "reflection", title: str = ""):
        with django_capture_on_commit_callbacks(execute=True):
            return record_activity(
                person=user.person, kind=kind(code), by=user, text=text, title=title
            )

    return make


@pytest.fixture
def template(cast):
    return services.add_corpus_text(org=cast.school, name="教科室工作计划范文.txt", text=TEMPLATE)
