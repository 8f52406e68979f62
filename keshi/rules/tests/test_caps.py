"""不超过 rules are limits: within the limit nothing is owed (no 还差, no reminder, not among the
open tasks); over it is 已超限. Term: 2026-09-01 .. 2027-01-22."""

from datetime import date

import pytest
from django.urls import reverse

from keshi.notify.digest import classify
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.engine import evaluate
from keshi.rules.models import Requirement
from keshi.rules.status import Status
from keshi.rules.tests.factories import RequirementFactory
from keshi.web.tests.pages import get

pytestmark = pytest.mark.django_db
AT = date(2026, 11, 26)


@pytest.fixture
def cap(cast, term):
    return RequirementFactory(
        org=cast.school, name="外出听课", threshold=1, comparator=Requirement.Comparator.LTE,
        period=Requirement.Period.MONTH, kinds=[kind("observation")],
    )  # fmt: skip


def test_within_the_limit_nothing_is_owed(client, cast, term, cap):
    me = cast.teacher.person
    cell = evaluate(term=term, at=AT, requirements=[cap]).current(me.pk, cap.pk)
    assert cell.status is Status.MET
    assert classify("张老师", [("外出听课", cell)], AT, days_ahead=7).due_soon == []
    r = get(client, cast.office, reverse("rules:my_tasks"), person=me.pk, at=AT.isoformat())
    body = r.content.decode()
    assert "未超限" in body and "（上限 1）" in body
    assert "还差" not in body and "0/1" not in body
    assert r.context["tasks"].top == []


def test_over_the_limit_is_shown_as_over(client, cast, term, cap):
    me = cast.teacher.person
    for day in (date(2026, 11, 3), date(2026, 11, 10)):
        ActivityFactory(person=me, date=day)
    cell = evaluate(term=term, at=AT, requirements=[cap]).current(me.pk, cap.pk)
    assert cell.status is Status.MISSED
    r = get(client, cast.office, reverse("rules:compliance"), at=AT.isoformat())
    body = r.content.decode()
    assert "已超限" in body and "2（上限 1）" in body
