"""生效日期: periods that ended before a rule's effective-from date are not judged, so a rule put
live in week 14 makes nobody "behind" for weeks 1–13. Term: 2026-09-01 (Tue) .. 2027-01-22."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from keshi.calendar.services import create_school_year
from keshi.plans import services as plans
from keshi.plans.extraction import extract_text
from keshi.plans.imports import import_plan
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules import services
from keshi.rules.engine import evaluate
from keshi.rules.models import Requirement as R
from keshi.rules.status import Status
from keshi.rules.tests.factories import RequirementFactory
from keshi.rules.tests.test_api import call

pytestmark = pytest.mark.django_db
WEEK_14 = date(2026, 12, 2)  # Wednesday of week 14 (11-30 .. 12-06)


def weekly(org, **extra) -> R:
    values = {"name": "每周听课", "threshold": 1, "period": R.Period.WEEK}
    return RequirementFactory(org=org, kinds=[kind("observation")], **values | extra)


def test_weeks_before_the_rule_are_not_judged(cast, term):
    me = cast.teacher.person
    rule = weekly(cast.school, effective_from=WEEK_14)
    before = weekly(cast.school, name="旧规则")  # no date: judged from the term's start
    ActivityFactory(person=me, date=date(2026, 12, 1))
    result = evaluate(term=term, at=date(2026, 12, 8), requirements=[rule, before], history=True)
    starts = [c.period.start for c in result.periods(me.pk, rule.pk)]
    assert starts[0] == date(2026, 11, 30)  # the week holding the date is judged whole
    assert result.periods(me.pk, rule.pk)[0].status is Status.MET
    assert not [c for c in result.periods(me.pk, rule.pk) if c.status is Status.MISSED]
    missed = [c for c in result.periods(me.pk, before.pk) if c.status is Status.MISSED]
    assert len(missed) == 13


def test_a_term_rule_starting_mid_term_is_judged_for_the_term(cast, term):
    rule = RequirementFactory(org=cast.school, threshold=2, kinds=[kind("observation")],
                              effective_from=WEEK_14)  # fmt: skip
    cells = evaluate(term=term, at=WEEK_14, requirements=[rule], history=True)
    assert len(cells.periods(cast.teacher.person.pk, rule.pk)) == 1


def test_a_rule_effective_after_the_term_is_not_judged_in_it(cast, term):
    rule = weekly(cast.school, effective_from=date(2027, 3, 1))
    result = evaluate(term=term, at=date(2026, 12, 8), requirements=[rule], history=True)
    assert result.periods(cast.teacher.person.pk, rule.pk) == []


def test_accepting_a_suggestion_starts_the_rule_today_or_at_a_future_term(cast):
    today = timezone.localdate()
    year = create_school_year(org=cast.school, start_year=today.year)  # its 2nd term: to come
    now, later = year.terms.get(number=1), year.terms.get(number=2)
    assert later.start > today
    text = "教科室工作计划\n一、工作目标\n每月写一篇教学反思。\n"
    for term, expected in ((now, today), (later, later.start)):
        plan = import_plan(org=cast.school, user=None, extraction=extract_text(text),
                           title=f"计划{term.number}", term=term)  # fmt: skip
        result = plans.accept_all(plan=plan, user=cast.office)
        ((_suggestion, rule),) = result.accepted
        assert rule.effective_from == expected


def test_the_form_and_the_api_default_to_today(cast, client):
    today = timezone.localdate()
    client.force_login(cast.office)
    form = client.get(reverse("requirements:new")).context["form"]
    assert form.initial["effective_from"] == today
    body = {"name": "每周听课", "kinds": ["observation"], "threshold": 1, "period": "week"}
    response = call(client, cast.office, "post", "/api/v1/requirements", body, org="demo")
    assert response.status_code == 201, response.content
    assert response.json()["effective_from"] == today.isoformat()
    dated = services.create_requirement(
        org=cast.school, user=cast.office, name="从开学起", kinds=[kind("observation")],
        threshold=1, effective_from=date(2026, 9, 1),
    )  # fmt: skip
    assert dated.effective_from == date(2026, 9, 1)
