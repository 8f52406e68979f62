from datetime import date

import pytest

from keshi.calendar.services import create_school_year


@pytest.fixture
def term(cast):
    """The demo school's 2026—2027 first term (9-1 to 1-22)."""
    year = create_school_year(
        org=cast.school, start_year=2026, first_start=date(2026, 9, 1), first_end=date(2027, 1, 22)
    )
    return year.terms.get(number=1)
