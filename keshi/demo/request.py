"""``demo2``'s 外出培训: the ``teacher2`` login asks to attend a 区级 course (申请, waiting for the
school's answer), through ``keshi.dispatch.services.create_dispatch`` as the request form does.
Idempotent by title; dated two weeks after ``today``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from keshi.dispatch import services
from keshi.dispatch.models import Dispatch
from keshi.org.models import Org, Person

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

TITLE = "区初中数学核心素养专题研修"


def write(w: _Writer, org: Org, today: date) -> None:
    person = Person.objects.filter(org=org, user__username="teacher2").first()
    if person is None or Dispatch.objects.filter(org=org, title=TITLE).exists():
        return
    start = today + timedelta(days=14 - today.weekday())  # the Monday after next
    services.create_dispatch(
        org=org, by=person.user, teachers=[person], direct=False, requested_by=person,
        title=TITLE, organiser="示范区教师发展中心", level="district", place="区教师发展中心",
        start_date=start, end_date=start + timedelta(days=1), hours=Decimal(12),
        credits=Decimal(2), cost_estimate=Decimal(0), reimbursable=False,
        request_comment="区教研室通知，申请参加。",
    )  # fmt: skip
    w.created["dispatch"] += 1
