"""The engine's answers on hand-computed cases. Term: 2026-09-01 (Tue) .. 2027-01-22."""

from datetime import date

import pytest

from keshi.org.models import Membership
from keshi.org.tests.factories import MembershipFactory, MentorshipFactory, PersonFactory
from keshi.records.models import Activity
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.engine import evaluate
from keshi.rules.models import Exemption, Requirement
from keshi.rules.status import Status
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db


def person_of(user):
    return user.person


def standing(term, at, requirement, person):
    return evaluate(term=term, at=at, requirements=[requirement]).current(person.pk, requirement.pk)


def test_term_count_with_elapsed_share(cast, term):
    req = RequirementFactory(org=cast.school, threshold=15, kinds=[kind("observation")])
    me = person_of(cast.teacher)
    for d in (date(2026, 9, 7), date(2026, 9, 14), date(2026, 10, 9)):
        ActivityFactory(person=me, date=d, quantity=2)
    cell = standing(term, date(2026, 11, 26), req, me)
    assert cell.value == 3 and cell.target == 15
    # 87 of 144 days elapsed: 15 * 87 / 144 = 9.06 → 9 expected; 3 done → behind.
    assert cell.status is Status.BEHIND
    req.measure = Requirement.Measure.QUANTITY
    req.save()
    assert standing(term, date(2026, 9, 30), req, me).value == 4


def test_last_day_of_week_still_open_then_missed(cast, term):
    req = RequirementFactory(
        org=cast.school, threshold=2, period=Requirement.Period.WEEK, kinds=[kind("observation")]
    )
    me = person_of(cast.teacher)
    ActivityFactory(person=me, date=date(2026, 9, 14))  # Monday of week 3
    assert standing(term, date(2026, 9, 20), req, me).status is Status.BEHIND  # Sunday
    result = evaluate(term=term, at=date(2026, 9, 21), requirements=[req])
    week3 = [c for c in result.periods(me.pk, req.pk) if c.period.start == date(2026, 9, 14)][0]
    assert week3.status is Status.MISSED and week3.value == 1
    ActivityFactory(person=me, date=date(2026, 9, 20))
    assert standing(term, date(2026, 9, 20), req, me).status is Status.MET


def test_last_friday_deadline_moves_off_a_holiday(cast, term):
    # September 2026's last Friday, 09-25, is 中秋节: the deadline moves to Thursday 09-24.
    req = RequirementFactory(
        org=cast.school,
        threshold=1,
        period=Requirement.Period.MONTH,
        deadline=Requirement.Deadline.LAST_FRIDAY,
        kinds=[kind("reflection")],
        item_min_chars=800,
    )
    me = person_of(cast.teacher)
    ActivityFactory(person=me, kind=kind("reflection"), date=date(2026, 9, 10), chars=799)
    cell = standing(term, date(2026, 9, 24), req, me)
    assert cell.due == date(2026, 9, 24) and cell.value == 0 and cell.status is Status.BEHIND
    assert standing(term, date(2026, 9, 25), req, me).status is Status.MISSED
    ActivityFactory(person=me, kind=kind("reflection"), date=date(2026, 9, 24), chars=800)
    assert standing(term, date(2026, 9, 25), req, me).status is Status.MET
    assert standing(term, date(2026, 10, 5), req, me).due == date(2026, 10, 30)


def test_holiday_deadline_goes_to_previous_workday(cast, term):
    # Week of 2026-09-28: 国庆 holidays begin Thu 10-01, so its last working day is Wed 09-30.
    req = RequirementFactory(
        org=cast.school,
        threshold=1,
        period=Requirement.Period.WEEK,
        deadline=Requirement.Deadline.LAST_WORKDAY,
        kinds=[kind("observation")],
    )
    me = person_of(cast.teacher)
    cell = standing(term, date(2026, 9, 29), req, me)
    assert cell.due == date(2026, 9, 30)
    assert standing(term, date(2026, 10, 1), req, me).status is Status.MISSED


def test_teaching_years_exactly_three_is_not_under_three(cast, term):
    req = RequirementFactory(
        org=cast.school, threshold=15, teaching_years_max=2, kinds=[kind("observation")]
    )
    new = PersonFactory(org=cast.school, teaching_start=date(2023, 9, 2))  # 2 years at 2026-09-01
    three = PersonFactory(org=cast.school, teaching_start=date(2023, 9, 1))  # exactly 3
    result = evaluate(term=term, at=date(2026, 10, 1), requirements=[req])
    assert result.current(new.pk, req.pk) is not None
    assert result.current(three.pk, req.pk) is None


def test_mentee_observes_mentor_counts_only_the_mentor_and_from_the_pair_start(cast, term):
    mentor = PersonFactory(org=cast.school, name="师傅")
    mentee = PersonFactory(org=cast.school, name="徒弟")
    MentorshipFactory(mentor=mentor, mentee=mentee, start=date(2026, 11, 2))  # a Monday, mid-term
    req = RequirementFactory(
        org=cast.school,
        threshold=4,
        period=Requirement.Period.WEEK,
        mentorship=Requirement.Mentorship.MENTEE_OBSERVES_MENTOR,
        kinds=[kind("observation")],
    )
    ActivityFactory(person=mentee, observed=mentor, date=date(2026, 10, 26))  # before the pair
    ActivityFactory(person=mentee, observed=mentor, date=date(2026, 11, 3))
    ActivityFactory(person=mentee, observed=mentor, date=date(2026, 11, 4), quantity=3)
    ActivityFactory(person=mentee, observed=cast.teacher.person, date=date(2026, 11, 5))
    result = evaluate(term=term, at=date(2026, 11, 9), requirements=[req])
    cells = result.periods(mentee.pk, req.pk)
    assert cells[0].period.start == date(2026, 11, 2)  # no week before the pair is assessed
    assert cells[0].value == 2 and cells[0].status is Status.MISSED  # counted in records
    assert result.current(mentor.pk, req.pk) is None  # the mentor is not a mentee
    req.measure = Requirement.Measure.QUANTITY
    req.save()
    assert (
        evaluate(term=term, at=date(2026, 11, 9), requirements=[req])
        .periods(mentee.pk, req.pk)[0]
        .status
        is Status.MET
    )


def test_mentorship_starting_mid_term_scales_a_term_target(cast, term):
    mentor = PersonFactory(org=cast.school)
    mentee = PersonFactory(org=cast.school)
    MentorshipFactory(mentor=mentor, mentee=mentee, start=date(2026, 11, 27))  # 57 of 144 days left
    req = RequirementFactory(
        org=cast.school,
        threshold=10,
        mentorship=Requirement.Mentorship.MENTOR_OBSERVES_MENTEE,
        kinds=[kind("observation")],
    )
    cell = standing(term, date(2026, 12, 1), req, mentor)
    assert cell.target == 4  # ceil(10 * 57 / 144) = ceil(3.96)


def test_group_role_and_exemption_and_uncounted_records(cast, term):
    req = RequirementFactory(
        org=cast.school,
        threshold=1,
        group_role=Membership.Role.LEAD,
        kinds=[kind("observation")],
    )
    lead = person_of(cast.lead)
    result = evaluate(term=term, at=date(2026, 10, 1), requirements=[req])
    assert {p for p, _ in result.cells} == {lead.pk}
    ActivityFactory(person=lead, date=date(2026, 9, 8), status=Activity.Status.RETURNED)
    ActivityFactory(person=lead, date=date(2026, 9, 9), complete=False)
    assert standing(term, date(2026, 10, 1), req, lead).value == 0
    Exemption.objects.create(
        person=lead, start=date(2026, 9, 1), end=date(2027, 1, 22), reason="病假"
    )
    assert standing(term, date(2026, 10, 1), req, lead).status is Status.EXEMPT


def test_partial_exemption_scales_the_target(cast, term):
    req = RequirementFactory(org=cast.school, threshold=15, kinds=[kind("observation")])
    me = person_of(cast.teacher)
    # 2026-12-01..2027-01-22 excused: 53 of 144 days → ceil(15 * 91 / 144) = ceil(9.48) = 10.
    Exemption.objects.create(
        person=me, requirement=req, start=date(2026, 12, 1), end=date(2027, 3, 1), reason="产假"
    )
    assert standing(term, date(2026, 10, 1), req, me).target == 10


def test_no_query_per_person(cast, term, django_assert_max_num_queries):
    reqs = [
        RequirementFactory(org=cast.school, threshold=2, period=p, kinds=[kind("observation")])
        for p in (Requirement.Period.WEEK, Requirement.Period.MONTH, Requirement.Period.TERM)
    ]
    for i in range(30):
        p = PersonFactory(org=cast.school)
        MembershipFactory(person=p, group=cast.group)
        ActivityFactory(person=p, date=date(2026, 9, 1 + i % 28))
    with django_assert_max_num_queries(14):
        result = evaluate(term=term, at=date(2026, 10, 20), requirements=reqs)
    assert len(result.people) == 33
