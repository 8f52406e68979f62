from datetime import date

from keshi.calendar.models import SchoolYear, Term
from keshi.cover.models import HomeroomDuty, TimetableEntry
from keshi.org.models import Org, Person


def make_term(org: Org, start_year: int = 2025) -> Term:
    """The first term of ``start_year`` (2025: 1 Sep 2025 – 16 Jan 2026, holding 国庆节)."""
    year, _ = SchoolYear.objects.get_or_create(
        org=org,
        start_year=start_year,
        defaults={"start": date(start_year, 9, 1), "end": date(start_year + 1, 8, 31)},
    )
    term, _ = Term.objects.get_or_create(
        school_year=year,
        number=1,
        defaults={"start": date(start_year, 9, 1), "end": date(start_year + 1, 1, 16)},
    )
    return term


def lesson(
    term: Term, person: Person, weekday: int, period: int, class_name="高一(1)班", subject="语文"
) -> TimetableEntry:
    return TimetableEntry.objects.create(
        org=person.org,
        term=term,
        person=person,
        weekday=weekday,
        period=period,
        class_name=class_name,
        subject=subject,
    )


def homeroom(term: Term, person: Person, class_name="高一(1)班") -> HomeroomDuty:
    return HomeroomDuty.objects.create(
        org=person.org, term=term, person=person, class_name=class_name
    )
