from datetime import date

import pytest

from keshi.calendar.services import create_school_year


@pytest.fixture
def term(cast):
    year = create_school_year(
        org=cast.school, start_year=2026, first_start=date(2026, 9, 1), first_end=date(2027, 1, 22)
    )
    return year.terms.get(number=1)


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
