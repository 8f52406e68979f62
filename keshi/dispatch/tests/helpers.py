from __future__ import annotations

from datetime import date
from decimal import Decimal

from keshi.calendar.models import SchoolYear, Term
from keshi.dispatch import services
from keshi.dispatch.models import Dispatch

START = date(2026, 11, 2)  # a Monday in the first term of 2026—2027


def school_year(org) -> SchoolYear:
    year, _ = SchoolYear.objects.get_or_create(
        org=org, start_year=2026, defaults={"start": date(2026, 9, 1), "end": date(2027, 8, 31)}
    )
    Term.objects.get_or_create(
        school_year=year, number=1, defaults={"start": date(2026, 9, 1), "end": date(2027, 1, 24)}
    )
    Term.objects.get_or_create(
        school_year=year, number=2, defaults={"start": date(2027, 2, 22), "end": date(2027, 7, 9)}
    )
    return year


def fields(**overrides) -> dict:
    values = {
        "title": "全国中学语文教学研讨会",
        "organiser": "中国教育学会",
        "level": "national",
        "place": "北京",
        "cross_province": True,
        "start_date": START,
        "start_half": "am",
        "end_date": date(2026, 11, 4),
        "end_half": "pm",
        "hours": Decimal(24),
        "credits": Decimal(2),
        "professional": True,
        "cost_estimate": Decimal("3200.00"),
        "reimbursable": True,
        "request_comment": "",
    }
    values.update(overrides)
    return values


def dispatch(cast, *people, direct=True, by=None, **overrides) -> Dispatch:
    school_year(cast.school)
    teachers = [p.person if hasattr(p, "person") else p for p in (people or [cast.teacher])]
    return services.create_dispatch(
        org=cast.school,
        by=by or cast.office,
        teachers=teachers,
        direct=direct,
        requested_by=None if direct else teachers[0],
        **fields(**overrides),
    )
