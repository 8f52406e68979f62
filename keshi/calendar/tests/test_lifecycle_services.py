"""Starting the next term / school year: the review, the confirm, idempotency, atomicity."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keshi.calendar import lifecycle_selectors as LS
from keshi.calendar import lifecycle_services as services
from keshi.calendar import services as calendar_services
from keshi.calendar.lifecycle import Action, Decision, Section
from keshi.calendar.models import SchoolYear, Term
from keshi.org.models import Group, Membership, Mentorship
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    MentorshipFactory,
    PersonFactory,
)
from keshi.records.tests.factories import kind
from keshi.rules.tests.factories import RequirementFactory

YEAR_START = date(2025, 9, 1)


@pytest.fixture
def year(cast):
    return calendar_services.create_school_year(org=cast.school, start_year=2025)


@pytest.fixture
def first(year):
    return year.terms.get(number=1)


@pytest.fixture
def second(year):
    return year.terms.get(number=2)


@pytest.fixture
def prep(cast):
    """七年级语文备课组 with a lead and a member assigned for 2025—2026."""
    group = GroupFactory(org=cast.school, name="七年级语文备课组", kind=Group.Kind.PREP)
    lead = PersonFactory(org=cast.school, name="钱组长")
    member = PersonFactory(org=cast.school, name="孙老师")
    MembershipFactory(group=group, person=lead, role=Membership.Role.LEAD, start=YEAR_START)
    MembershipFactory(group=group, person=member, start=YEAR_START)
    return group


@pytest.fixture
def rule(cast):
    return RequirementFactory(org=cast.school, name="每学期听课", kinds=[kind("observation")])


def dates_of(step):
    return dict(step.proposed)


def test_after_the_first_term_comes_the_second_term_of_the_same_year(cast, first, second):
    step = LS.next_step(cast.school, first)
    assert not step.new_year and step.term == second and step.label == "2025—2026学年第二学期"
    assert step.proposed == {"start": second.start, "end": second.end}


def test_after_the_second_term_comes_a_new_school_year_with_proposed_dates(cast, second):
    step = LS.next_step(cast.school, second)
    assert step.new_year and step.year is None and step.term is None
    defaults = calendar_services.default_term_dates(2026)
    assert step.proposed == {
        "first_start": defaults.first[0],
        "first_end": defaults.first[1],
        "second_start": defaults.second[0],
        "second_end": defaults.second[1],
    }
    assert step.proposed["first_start"] == date(2026, 9, 7)  # first Monday of September


def test_the_review_lists_groups_pairs_and_rules_with_flags(cast, second, prep, rule):
    mentor, mentee = PersonFactory(org=cast.school), PersonFactory(org=cast.school)
    ending = MentorshipFactory(mentor=mentor, mentee=mentee, start=YEAR_START, end=date(2026, 7, 5))
    MentorshipFactory(org=cast.school, mentor=mentee, mentee=mentor, end=date(2025, 12, 31))
    step = LS.next_step(cast.school, second)
    items = LS.review_items(step, dates_of(step))
    by_section = {s: [i for i in items if i.section is s] for s in Section}
    [group] = by_section[Section.GROUPS]
    assert group.label == "七年级语文备课组" and "2人" in group.detail and "钱组长" in group.detail
    [pair] = by_section[Section.PAIRS]  # the pair that ended before this term is not listed
    assert pair.ref == ending.pk and pair.flag == "在下学期开始前结束"
    assert pair.default is Action.DROP
    [r] = by_section[Section.RULES]
    assert r.ref == rule.pk and r.values == {"threshold": "4", "points": "0"}
    assert "未关联计划" in r.detail


def test_confirming_a_new_school_year_creates_it_and_carries_the_groups(cast, second, prep):
    step = LS.next_step(cast.school, second)
    outcome = services.start_next(user=cast.office, step=step, dates=dates_of(step), chosen={})
    new_year = SchoolYear.objects.get(org=cast.school, start_year=2026)
    assert outcome.created and outcome.term == new_year.terms.get(number=1)
    assert new_year.terms.count() == 2
    old = Membership.objects.filter(group=prep, start=YEAR_START)
    assert set(old.values_list("end", flat=True)) == {date(2026, 8, 31)}
    new = Membership.objects.filter(group=prep, start=date(2026, 9, 1), end=None)
    assert sorted(new.values_list("person__name", "role")) == [
        ("孙老师", "member"),
        ("钱组长", "lead"),
    ]
    assert new.first().history.first().history_user == cast.office
    assert outcome.written[Section.GROUPS] == 4


def test_rerunning_writes_nothing_twice(cast, second, prep, rule):
    mentor, mentee = PersonFactory(org=cast.school), PersonFactory(org=cast.school)
    pair = MentorshipFactory(mentor=mentor, mentee=mentee, start=YEAR_START, end=date(2026, 10, 1))
    step = LS.next_step(cast.school, second)
    chosen = {f"pairs-{pair.pk}": Decision(Action.KEEP)}
    first = services.start_next(user=cast.office, step=step, dates=dates_of(step), chosen=chosen)
    assert first.written[Section.PAIRS] == 1
    before = (Term.objects.count(), Membership.objects.count(), Mentorship.objects.count())
    step = LS.next_step(cast.school, second)  # the year exists now
    again = services.start_next(user=cast.office, step=step, dates=dates_of(step), chosen=chosen)
    assert not again.created and again.term == first.term
    assert (Term.objects.count(), Membership.objects.count(), Mentorship.objects.count()) == before
    assert sum(again.written.values()) == 0


def test_dropping_ends_pairs_and_yearly_memberships_and_disables_rules(cast, second, prep, rule):
    mentor, mentee = PersonFactory(org=cast.school), PersonFactory(org=cast.school)
    pair = MentorshipFactory(mentor=mentor, mentee=mentee, start=YEAR_START)
    step = LS.next_step(cast.school, second)
    chosen = {
        f"groups-{prep.pk}": Decision(Action.DROP),
        f"pairs-{pair.pk}": Decision(Action.DROP),
        f"rules-{rule.pk}": Decision(Action.DROP),
    }
    services.start_next(user=cast.office, step=step, dates=dates_of(step), chosen=chosen)
    pair.refresh_from_db()
    rule.refresh_from_db()
    assert pair.end == second.end and not rule.active
    assert not Membership.objects.filter(group=prep, start=date(2026, 9, 1)).exists()
    assert Membership.objects.current(date(2026, 9, 1)).filter(group=prep).count() == 0


def test_keep_leaves_rules_untouched_and_change_edits_them_in_place(cast, first, rule):
    other = RequirementFactory(org=cast.school, name="每月反思", kinds=[kind("reflection")])
    step = LS.next_step(cast.school, first)
    chosen = {
        f"rules-{rule.pk}": Decision(Action.CHANGE, {"threshold": Decimal(20)}),
        f"rules-{other.pk}": Decision(Action.KEEP),
    }
    history = other.history.count()
    outcome = services.start_next(user=cast.office, step=step, dates=dates_of(step), chosen=chosen)
    rule.refresh_from_db()
    assert rule.threshold == 20 and rule.active
    assert rule.history.first().history_user == cast.office
    assert other.history.count() == history  # keep writes nothing
    assert [i.ref for i in outcome.to_edit] == [rule.pk]
    assert outcome.written[Section.RULES] == 1


def test_a_missing_second_term_is_created(cast, first, second):
    dates = {"start": second.start, "end": second.end}
    second.delete()
    step = LS.next_step(cast.school, first)
    assert step.term is None
    outcome = services.start_next(user=cast.office, step=step, dates=dates, chosen={})
    assert outcome.created and outcome.term.number == 2 and outcome.term.start == dates["start"]


def test_a_failure_leaves_the_database_as_it_was(cast, second, prep, rule):
    """The rule change comes last and is invalid (threshold 0): the year, the memberships and
    the pair written before it are rolled back with it."""
    mentor, mentee = PersonFactory(org=cast.school), PersonFactory(org=cast.school)
    pair = MentorshipFactory(mentor=mentor, mentee=mentee, start=YEAR_START)
    step = LS.next_step(cast.school, second)
    chosen = {
        f"pairs-{pair.pk}": Decision(Action.DROP),
        f"rules-{rule.pk}": Decision(Action.CHANGE, {"threshold": Decimal(0)}),
    }
    memberships = sorted(Membership.objects.values_list("pk", "end"))
    with pytest.raises(ValidationError):
        services.start_next(user=cast.office, step=step, dates=dates_of(step), chosen=chosen)
    assert not SchoolYear.objects.filter(org=cast.school, start_year=2026).exists()
    assert sorted(Membership.objects.values_list("pk", "end")) == memberships
    pair.refresh_from_db()
    rule.refresh_from_db()
    assert pair.end is None and rule.threshold == 4


def test_overlapping_dates_are_refused_in_chinese_and_nothing_is_written(cast, first, second):
    dates = {"start": first.end, "end": second.end}  # starts on the first term's last day
    second.delete()
    step = LS.next_step(cast.school, first)
    with pytest.raises(ValidationError) as e:
        services.start_next(user=cast.office, step=step, dates=dates, chosen={})
    assert e.value.messages == [
        f"第二学期：与2025—2026学年第一学期（{first.start}至{first.end}）的日期重叠。"
    ]
    assert not Term.objects.filter(number=2).exists()


def test_dates_outside_the_new_year_are_refused(cast, second):
    step = LS.next_step(cast.school, second)
    dates = dates_of(step) | {"first_start": date(2026, 6, 1)}
    with pytest.raises(ValidationError, match="学期必须在2026—2027学年之内"):
        services.start_next(user=cast.office, step=step, dates=dates, chosen={})
    assert not SchoolYear.objects.filter(start_year=2026).exists()


def test_the_second_term_must_follow_the_first(cast, second):
    step = LS.next_step(cast.school, second)
    dates = dates_of(step) | {"second_start": date(2026, 12, 1), "second_end": date(2027, 1, 10)}
    with pytest.raises(ValidationError, match="第二学期须在第一学期结束之后开始"):
        services.check_dates(step, dates)


@pytest.mark.parametrize("who", ["teacher", "lead", "leader", "district", "outsider"])
def test_only_the_office_starts_the_next_term(cast, second, who):
    step = LS.next_step(cast.school, second)
    with pytest.raises(PermissionDenied):
        services.start_next(user=getattr(cast, who), step=step, dates=dates_of(step), chosen={})
    assert not SchoolYear.objects.filter(start_year=2026).exists()
