"""More of the engine's answers, for the batched reads (keshi/rules/sums.py) and fast path."""

from datetime import date
from decimal import Decimal

import pytest

from keshi.calendar.services import create_school_year
from keshi.org.tests.factories import MentorshipFactory, PersonFactory
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.engine import evaluate
from keshi.rules.models import Exemption, Requirement
from keshi.rules.status import Status
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db


def test_school_year_target_is_not_cut_by_a_term_starting_after_september_first(cast):
    # Term 1 starts on Monday 09-07: the 每学年 rule still asks the full 73 学分 of the year.
    year = create_school_year(
        org=cast.school, start_year=2026, first_start=date(2026, 9, 7), first_end=date(2027, 1, 22)
    )
    term = year.terms.get(number=1)
    req = RequirementFactory(
        org=cast.school,
        threshold=73,
        measure=Requirement.Measure.CREDITS,
        period=Requirement.Period.SCHOOL_YEAR,
        kinds=[kind("training")],
    )
    me = cast.teacher.person
    ActivityFactory(person=me, kind=kind("training"), date=date(2026, 9, 2), credits="1.5")
    cell = evaluate(term=term, at=date(2026, 10, 1), requirements=[req]).current(me.pk, req.pk)
    assert cell.period.start == date(2026, 9, 1) and cell.period.end == date(2027, 8, 31)
    assert cell.target == 73 and cell.value == Decimal("1.5")


def test_minimums_of_several_rules_in_one_read(cast, term):
    any_size = RequirementFactory(org=cast.school, threshold=3, kinds=[kind("reflection")])
    short = RequirementFactory(
        org=cast.school, threshold=3, item_min_chars=500, kinds=[kind("reflection")]
    )
    long = RequirementFactory(
        org=cast.school,
        threshold=3000,
        measure=Requirement.Measure.CHARS,
        item_min_chars=800,
        kinds=[kind("reflection")],
    )
    me = cast.teacher.person
    for chars in (499, 500, 799, 800, 1200):
        ActivityFactory(person=me, kind=kind("reflection"), date=date(2026, 9, 10), chars=chars)
    result = evaluate(term=term, at=date(2026, 10, 1), requirements=[any_size, short, long])
    assert result.current(me.pk, any_size.pk).value == 5
    assert result.current(me.pk, short.pk).value == 4
    assert result.current(me.pk, long.pk).value == 2000  # 800 + 1200 字


def test_decimal_sums_are_exact(cast, term):
    req = RequirementFactory(
        org=cast.school,
        threshold="0.3",
        measure=Requirement.Measure.QUANTITY,
        kinds=[kind("training")],
    )
    me = cast.teacher.person
    for q in ("0.1", "0.2"):
        ActivityFactory(person=me, kind=kind("training"), date=date(2026, 9, 10), quantity=q)
    cell = evaluate(term=term, at=date(2026, 10, 1), requirements=[req]).current(me.pk, req.pk)
    assert cell.value == Decimal("0.3") and cell.status is Status.MET


def test_same_value_same_status_on_fast_and_exempt_paths(cast, term):
    req = RequirementFactory(
        org=cast.school, threshold=2, period=Requirement.Period.MONTH, kinds=[kind("blog")]
    )
    me, other = cast.teacher.person, cast.other_teacher.person
    for p in (me, other):
        ActivityFactory(person=p, kind=kind("blog"), date=date(2026, 10, 3))
    # An exemption outside October sends `other` down the slow path without changing October.
    Exemption.objects.create(
        person=other, start=date(2026, 12, 1), end=date(2026, 12, 5), reason="外出学习"
    )
    result = evaluate(term=term, at=date(2026, 10, 16), requirements=[req])
    mine, theirs = result.current(me.pk, req.pk), result.current(other.pk, req.pk)
    # October: day 16 of 31, 2 * 16 / 31 = 1.03 → 1 expected; 1 done → on track.
    assert (mine.value, mine.target, mine.status) == (1, 2, Status.ON_TRACK)
    assert (theirs.value, theirs.target, theirs.status) == (1, 2, Status.ON_TRACK)
    december = [c for c in result.periods(other.pk, req.pk) if c.period.start.month == 12][0]
    assert december.target == 2  # ceil(2 * 26 / 31) = ceil(1.68)
    assert december.status is Status.NOT_DUE


def test_mentor_rule_counts_the_pair_only_from_its_start(cast, term):
    mentor = PersonFactory(org=cast.school)
    mentee = PersonFactory(org=cast.school)
    MentorshipFactory(mentor=mentor, mentee=mentee, start=date(2026, 9, 16))
    req = RequirementFactory(
        org=cast.school,
        threshold=1,
        period=Requirement.Period.TWO_WEEKS,
        mentorship=Requirement.Mentorship.MENTOR_OBSERVES_MENTEE,
        kinds=[kind("observation")],
    )
    ActivityFactory(person=mentor, observed=mentee, date=date(2026, 9, 15))  # before the pair
    ActivityFactory(person=mentor, observed=mentee, date=date(2026, 9, 29))
    ActivityFactory(person=mentor, observed=cast.teacher.person, date=date(2026, 9, 30))
    result = evaluate(term=term, at=date(2026, 10, 20), requirements=[req])
    cells = result.periods(mentor.pk, req.pk)
    # Fortnights from Monday 08-31. The first (due 09-13) ends before the pair; the second
    # (09-14..09-27) is due inside it: 12 of 14 days, ceil(1 * 12 / 14) = 1.
    assert [(c.period.start, c.value, c.target, c.status) for c in cells[:3]] == [
        (date(2026, 9, 14), 0, 1, Status.MISSED),
        (date(2026, 9, 28), 1, 1, Status.MET),
        # 10-12..10-25 on day 9: floor(1 * 9 / 14) = 0 expected → on track.
        (date(2026, 10, 12), 0, 1, Status.ON_TRACK),
    ]
    assert result.current(mentee.pk, req.pk) is None


def test_large_org_reads_in_a_few_queries(cast, term, django_assert_max_num_queries):
    people = PersonFactory.create_batch(950, org=cast.school)  # past the IN-list limit of 900
    reqs = [
        RequirementFactory(org=cast.school, threshold=1, period=p, kinds=[kind("observation")])
        for p in (Requirement.Period.WEEK, Requirement.Period.MONTH, Requirement.Period.TERM)
    ] + [
        RequirementFactory(
            org=cast.school,
            threshold=1,
            mentorship=Requirement.Mentorship.MENTEE_OBSERVES_MENTOR,
            kinds=[kind("observation")],
        )
    ]
    MentorshipFactory(mentor=people[0], mentee=people[1])
    ActivityFactory(person=people[1], observed=people[0], date=date(2026, 9, 8))
    ActivityFactory(person=people[5], date=date(2026, 9, 8))
    with django_assert_max_num_queries(14):
        result = evaluate(term=term, at=date(2026, 9, 20), requirements=reqs)
    assert result.current(people[1].pk, reqs[3].pk).value == 1
    week2 = [c for c in result.periods(people[5].pk, reqs[0].pk) if c.period.start.day == 7]
    assert week2[0].value == 1 and week2[0].status is Status.MET


def test_a_rule_without_kinds_counts_nothing(cast, term):
    req = RequirementFactory(org=cast.school, threshold=2)
    ActivityFactory(person=cast.teacher.person, date=date(2026, 9, 8))
    # Day 92 of 144: floor(2 * 92 / 144) = 1 expected, none counted → behind.
    cell = evaluate(term=term, at=date(2026, 12, 1), requirements=[req]).current(
        cast.teacher.person.pk, req.pk
    )
    assert cell.value == 0 and cell.status is Status.BEHIND
