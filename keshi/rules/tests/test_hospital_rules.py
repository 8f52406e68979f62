"""The hospital's own rules (#24 item 3): 每月业务学习不少于2次 (each person, per month) and
每半年选派一人进修 (each 科室, per half year, over its members' 进修 records)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from keshi.calendar.services import create_school_year
from keshi.org.models import Group
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.records.tests.hospital_world import build_hospital
from keshi.rules import services
from keshi.rules.engine import evaluate
from keshi.rules.group_engine import evaluate_groups
from keshi.rules.models import Requirement
from keshi.rules.status import Status

pytestmark = pytest.mark.django_db
R = Requirement


@pytest.fixture
def world():
    return build_hospital()


@pytest.fixture
def year(world):
    """The hospital's 2026 年度: one term, the calendar year."""
    return create_school_year(org=world.org, start_year=2026).terms.get()


def record(user, code: str, day: date, **extra):
    person = user.person
    return ActivityFactory(org=person.org, person=person, kind=kind(code), date=day, **extra)


def test_monthly_business_study_is_judged_per_person(world, year):
    rule = services.create_requirement(
        org=world.org,
        user=world.office,
        name="业务学习",
        kinds=[kind("business_study")],
        threshold=2,
        period=R.Period.MONTH,
        source_text="每月业务学习不少于2次。",
    )
    record(world.doctor, "business_study", date(2026, 10, 8), quantity=2)
    record(world.doctor, "business_study", date(2026, 10, 22), quantity=1)
    record(world.nurse, "business_study", date(2026, 10, 8))
    record(world.nurse, "sanji_training", date(2026, 10, 9))  # another kind: not counted
    result = evaluate(term=year, at=date(2026, 11, 2))
    october = {
        user.person.pk: {c.period.start: c for c in result.periods(user.person.pk, rule.pk)}[
            date(2026, 10, 1)
        ]
        for user in (world.doctor, world.nurse)
    }
    assert october[world.doctor.person.pk].status is Status.MET
    assert october[world.nurse.person.pk].status is Status.MISSED
    assert october[world.nurse.person.pk].value == 1


def advanced_study_rule(world) -> Requirement:
    return services.create_requirement(
        org=world.org,
        user=world.office,
        name="选派进修",
        kinds=[kind("advanced_study")],
        threshold=1,
        period=R.Period.HALF_YEAR,
        owner=R.Owner.GROUP,
        owner_group_kind=Group.Kind.DEPARTMENT,
        source_text="每半年选派一人进修。",
    )


def test_half_yearly_advanced_study_is_judged_per_department(world, year):
    rule = advanced_study_rule(world)
    record(world.nurse, "advanced_study", date(2026, 3, 12), data={"type": "进修"})
    record(world.stranger, "advanced_study", date(2026, 3, 12))  # another hospital's
    returned = record(world.cardio_doctor, "advanced_study", date(2026, 3, 12))
    returned.status = returned.Status.RETURNED  # not counted
    returned.save()
    result = evaluate_groups(term=year, at=date(2026, 7, 6))
    halves = {
        group.pk: {c.period.start: c for c in result.periods(group.pk, rule.pk)}
        for group in (world.neuro, world.cardio)
    }
    assert set(halves[world.neuro.pk]) == {date(2026, 1, 1), date(2026, 7, 1)}
    assert halves[world.neuro.pk][date(2026, 1, 1)].status is Status.MET
    assert halves[world.cardio.pk][date(2026, 1, 1)].status is Status.MISSED
    assert halves[world.neuro.pk][date(2026, 7, 1)].status is not Status.MET  # 7–12月: none yet


def test_a_member_counts_for_the_department_only_while_a_member(world, year):
    rule = advanced_study_rule(world)
    membership = world.nurse.person.memberships.get()
    membership.start = date(2026, 4, 1)  # joined 神经内科 after going
    membership.save()
    record(world.nurse, "advanced_study", date(2026, 3, 12))
    result = evaluate_groups(term=year, at=date(2026, 7, 6))
    cells = {c.period.start: c for c in result.periods(world.neuro.pk, rule.pk)}
    assert cells[date(2026, 1, 1)].status is Status.MISSED


def test_a_group_rule_counts_sessions_or_records_not_both(world):
    with pytest.raises(ValidationError) as err:
        services.create_requirement(
            org=world.org,
            user=world.office,
            name="混合",
            kinds=[kind("advanced_study"), kind("group_activity")],
            threshold=1,
            owner=R.Owner.GROUP,
            owner_group_kind=Group.Kind.DEPARTMENT,
        )
    assert "二者不能同时选" in str(err.value)
