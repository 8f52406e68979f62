"""Requirements owed by groups and by role holders, and counted over inspections performed.
Term: 2026-09-01 (Tue) .. 2027-01-22; week 3 is 09-14 .. 09-20."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from keshi.accounts.models import RoleGrant
from keshi.checks.models import Inspection, InspectionResult
from keshi.checks.tests.factories import builtin
from keshi.groupwork.models import Session
from keshi.org.models import Group, Membership
from keshi.org.tests.factories import GroupFactory, PersonFactory
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.engine import evaluate
from keshi.rules.group_engine import evaluate_groups
from keshi.rules.models import Exemption, Requirement
from keshi.rules.status import Status
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
R = Requirement


def weekly_sessions(org, **extra) -> Requirement:
    values = {"name": "教研组活动", "threshold": 1, "period": R.Period.WEEK}
    values |= {"owner": R.Owner.GROUP, "owner_group_kind": Group.Kind.SUBJECT}
    return RequirementFactory(org=org, kinds=[kind("group_activity")], **values | extra)


def session(group, day: date, closed: bool = True) -> Session:
    closed_at = datetime(day.year, day.month, day.day, 17, tzinfo=SHANGHAI) if closed else None
    return Session.objects.create(org=group.org, group=group, date=day, closed_at=closed_at)


def test_group_rule_is_judged_once_per_group_over_its_closed_sessions(cast, term):
    maths = GroupFactory(org=cast.school, name="数学组", kind=Group.Kind.SUBJECT)
    GroupFactory(org=cast.school, name="初一年级组", kind=Group.Kind.GRADE)
    req = weekly_sessions(cast.school)
    session(cast.group, date(2026, 9, 15))
    session(cast.group, date(2026, 9, 16))
    session(maths, date(2026, 9, 17), closed=False)  # planned, not held: does not count
    session(maths, date(2026, 9, 8))  # the week before

    result = evaluate_groups(term=term, at=date(2026, 9, 21))  # the Monday after week 3
    weeks = {c.period.start: c for c in result.periods(cast.group.pk, req.pk)}
    assert weeks[date(2026, 9, 14)].value == 2
    assert weeks[date(2026, 9, 14)].status is Status.MET
    maths_weeks = {c.period.start: c for c in result.periods(maths.pk, req.pk)}
    assert maths_weeks[date(2026, 9, 14)].status is Status.MISSED
    assert maths_weeks[date(2026, 9, 7)].status is Status.MET
    assert {gid for gid, _rid in result.cells} == {cast.group.pk, maths.pk}  # not the 年级组


def test_group_rule_names_groups_and_owes_no_person_anything(cast, term):
    maths = GroupFactory(org=cast.school, name="数学组", kind=Group.Kind.SUBJECT)
    req = weekly_sessions(cast.school, owner_group_kind="")
    req.groups.set([maths])
    result = evaluate_groups(term=term, at=date(2026, 9, 21))
    assert {gid for gid, _rid in result.cells} == {maths.pk}
    people = evaluate(term=term, at=date(2026, 9, 21), requirements=[req])
    assert people.cells == {}


def test_group_rule_does_not_count_another_schools_sessions(cast, term):
    req = weekly_sessions(cast.school)
    theirs = GroupFactory(org=cast.other_school, name="他校语文组", kind=Group.Kind.SUBJECT)
    session(theirs, date(2026, 9, 15))
    result = evaluate_groups(term=term, at=date(2026, 9, 21), groups=[cast.group, theirs])
    assert result.current(cast.group.pk, req.pk).value == 0


def leader_person(cast, **grant):
    person = PersonFactory(org=cast.school, name="周校长", user=cast.leader)
    RoleGrant.every.filter(user=cast.leader).update(**grant)
    return person


def test_role_rule_is_owed_by_the_grant_holders_only(cast, term):
    principal = leader_person(cast)
    req = RequirementFactory(
        org=cast.school,
        threshold=10,
        kinds=[kind("observation")],
        owner=R.Owner.ROLE,
        owner_role=R.HolderRole.LEADER,
    )
    ActivityFactory(person=principal, date=date(2026, 9, 10), quantity=1)
    result = evaluate(term=term, at=date(2026, 12, 1), requirements=[req])
    assert set(pid for pid, _rid in result.cells) == {principal.pk}
    assert result.current(principal.pk, req.pk).value == 1


def test_role_rule_scales_to_the_days_the_role_is_held(cast, term):
    # Appointed on 12-01: 53 of 144 days of the term → ⌈10 × 53 / 144⌉ = 4.
    principal = leader_person(cast, start=date(2026, 12, 1))
    req = RequirementFactory(
        org=cast.school,
        threshold=10,
        kinds=[kind("observation")],
        owner=R.Owner.ROLE,
        owner_role=R.HolderRole.LEADER,
    )
    assert (
        evaluate(term=term, at=date(2026, 12, 2), requirements=[req])
        .current(principal.pk, req.pk)
        .target
        == 4
    )
    # An ended grant: no longer owed.
    RoleGrant.every.filter(user=cast.leader).update(start=None, end=date(2026, 8, 31))
    assert evaluate(term=term, at=date(2026, 12, 2), requirements=[req]).cells == {}


def test_person_exemption_applies_to_a_role_rule(cast, term):
    principal = leader_person(cast)
    req = RequirementFactory(
        org=cast.school,
        threshold=10,
        kinds=[kind("observation")],
        owner=R.Owner.ROLE,
        owner_role=R.HolderRole.LEADER,
    )
    Exemption.objects.create(
        person=principal, start=term.start, end=term.end, reason="外出学习", requirement=req
    )
    cell = evaluate(term=term, at=date(2026, 12, 1), requirements=[req]).current(
        principal.pk, req.pk
    )
    assert cell.status is Status.EXEMPT


def inspected(cast, inspectors, day: date, people, kind=Inspection.Kind.SPOT, done=True):
    row = Inspection.objects.create(
        org=cast.school,
        title="抽查备课笔记",
        kind=kind,
        rubric=builtin(),
        status=Inspection.Status.COMPLETED if done else Inspection.Status.IN_PROGRESS,
        completed_at=datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI) if done else None,
    )
    row.inspectors.set(inspectors)
    for p in people:
        InspectionResult.objects.create(inspection=row, person=p, total=9, percent=90)
    return row


def test_inspections_performed_count_per_inspector(cast, term):
    researcher = PersonFactory(org=cast.school, name="教研员", user=cast.office)
    teacher, other = cast.teacher.person, cast.other_teacher.person
    req = RequirementFactory(
        org=cast.school,
        threshold=2,
        period=R.Period.WEEK,
        owner=R.Owner.ROLE,
        owner_role=R.HolderRole.OFFICE,
        source=R.Source.INSPECTIONS,
        measure=R.Measure.QUANTITY,  # 人次
        inspection_kind=Inspection.Kind.SPOT,
    )
    inspected(cast, [researcher], date(2026, 9, 15), [teacher, other])
    inspected(cast, [researcher], date(2026, 9, 16), [teacher], kind=Inspection.Kind.MONTHLY)
    inspected(cast, [researcher], date(2026, 9, 17), [teacher], done=False)
    inspected(cast, [cast.lead.person], date(2026, 9, 17), [teacher])  # not the researcher's
    at = date(2026, 9, 18)
    cell = evaluate(term=term, at=at, requirements=[req]).current(researcher.pk, req.pk)
    assert (cell.value, cell.status) == (2, Status.MET)

    req.measure = R.Measure.COUNT  # 次: one spot check
    req.inspection_kind = ""  # any kind: the monthly one too
    req.save()
    cell = evaluate(term=term, at=at, requirements=[req]).current(researcher.pk, req.pk)
    assert cell.value == 2


def test_inspection_rule_for_every_person_counts_their_own(cast, term):
    lead = cast.lead.person
    req = RequirementFactory(
        org=cast.school,
        threshold=1,
        group_role=Membership.Role.LEAD,
        source=R.Source.INSPECTIONS,
    )
    inspected(cast, [lead], date(2026, 10, 15), [cast.teacher.person])
    result = evaluate(term=term, at=date(2026, 10, 20), requirements=[req])
    assert set(pid for pid, _rid in result.cells) == {lead.pk}
    assert result.current(lead.pk, req.pk).status is Status.MET
