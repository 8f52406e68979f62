from datetime import date, time

import pytest

from keshi.calendar.services import create_school_year
from keshi.groupwork import services
from keshi.groupwork.models import Session
from keshi.org.models import Person


@pytest.fixture
def term(cast):
    """第一学期 of 2025—2026 at the cast's school: 2025-09-01 … 2026-01-25 (国庆 1–8 October)."""
    return create_school_year(org=cast.school, start_year=2025).terms.get(number=1)


@pytest.fixture
def people(cast):
    def of(user) -> Person:
        return Person.objects.get(user=user)

    return of


@pytest.fixture
def session(cast, people):
    return services.save_session(
        group=cast.group,
        by=cast.lead,
        date=date(2025, 10, 15),
        start_time=time(15, 30),
        end_time=time(17, 0),
        place="语文组办公室",
        topic="整本书阅读教学研讨",
        host=people(cast.lead),
    )


def records_of(person, code: str):
    from keshi.records.models import Activity

    return Activity.objects.filter(person=person, kind__code=code)


__all__ = ["Session", "records_of"]
