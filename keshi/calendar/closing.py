"""The closed-term guard: one check every service that writes dated work calls.

A closed term (``Term.closed_at`` set, by ``lifecycle_services.close_term``) is read-only: no
record, exemption, plan, bulletin… dated inside it may be created, changed or deleted. The
guard lives down here, on the calendar floor, so that records, rules, plans and checks can all
call it without importing each other.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from keshi.calendar.models import SchoolYear, Term, TermDocument

CLOSED_MESSAGE = _("该学期已关闭，只能查看")


class TermClosed(ValidationError):
    """Raised for a write into a closed term; the API answers it with 409."""

    def __init__(self, term: Term | None = None):
        super().__init__(CLOSED_MESSAGE, code="term_closed")
        self.term = term


def closed_term_between(*, org_id: int, start: date, end: date | None = None) -> Term | None:
    """The first closed term of ``org_id`` sharing a day with ``start``…``end``."""
    return (
        Term.objects.filter(
            school_year__org_id=org_id,
            closed_at__isnull=False,
            start__lte=end or start,
            end__gte=start,
        )
        .order_by("start")
        .first()
    )


def check_open(*, org_id: int, day: date | None, end: date | None = None) -> None:
    """Refuse a write dated ``day`` (or spanning ``day``…``end``) inside a closed term."""
    if day is None:
        return
    term = closed_term_between(org_id=org_id, start=day, end=end)
    if term is not None:
        raise TermClosed(term)


def check_term_open(term: Term | None) -> None:
    """Asks the database, not the instance: a plan's cached term may predate the closing."""
    if term is not None and Term.objects.filter(pk=term.pk, closed_at__isnull=False).exists():
        raise TermClosed(term)


def school_year_closed(year: SchoolYear | None) -> bool:
    """A school year is closed when it has terms and all of them are closed."""
    if year is None:
        return False
    states = list(year.terms.values_list("closed_at", flat=True))
    return bool(states) and all(s is not None for s in states)


def check_period_open(*, term: Term | None = None, school_year: SchoolYear | None = None) -> None:
    """For things that belong to a term or a school year (a plan): refuse when closed."""
    check_term_open(term)
    if term is None and school_year_closed(school_year):
        raise TermClosed(None)


def summary_key(plan_id: int) -> str:
    """The ``TermDocument.key`` of a plan's 工作总结 stored when its term was closed."""
    return f"summary:plan={plan_id}"


def frozen_document(term: Term, key: str) -> TermDocument | None:
    return TermDocument.objects.filter(term=term, key=key).first()
