"""Reads for terms and the school calendar. (Interface fixed; bodies to be completed.)"""

from datetime import date

from django.utils import timezone

from keshi.calendar.models import Term
from keshi.org.models import Org


def current_term(org: Org, on: date | None = None) -> Term | None:
    """The term of ``org`` holding ``on`` (today in Asia/Shanghai by default), else the next one."""
    on = on or timezone.localdate()
    terms = Term.objects.filter(school_year__org=org).select_related("school_year")
    return (
        terms.filter(start__lte=on, end__gte=on).first()
        or terms.filter(start__gt=on).order_by("start").first()
    )


def teaching_week(term: Term, on: date) -> int | None:
    """第N周 of ``on`` in ``term`` (1-based from the Monday of the week holding term.start)."""
    if not (term.start <= on <= term.end):
        return None
    monday = term.start.toordinal() - term.start.weekday()
    return (on.toordinal() - monday) // 7 + 1
