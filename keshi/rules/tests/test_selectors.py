"""The dashboard selectors on hand-computed cases. Term 2026-09-01 (Tue) .. 2027-01-22;
``AT`` is Thursday 2026-11-26, 第13周."""

from datetime import date

import pytest

from keshi.calendar.services import create_school_year
from keshi.org.models import Person
from keshi.org.tests.factories import (
    GroupFactory,
    MembershipFactory,
    MentorshipFactory,
    PersonFactory,
)
from keshi.records.models import Activity
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules import selectors
from keshi.rules.models import Requirement
from keshi.rules.status import Status
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db
AT = date(2026, 11, 26)


def me(cast) -> Person:
    return cast.teacher.person


def test_my_tasks_sections_urgency_and_missed_weeks(cast, term):
    weekly = RequirementFactory(
        org=cast.school, name="每周博客", threshold=1, period=Requirement.Period.WEEK,
        kinds=[kind("blog")],
    )  # fmt: skip
    monthly = RequirementFactory(
        org=cast.school, name="每月反思", threshold=1, period=Requirement.Period.MONTH,
        kinds=[kind("reflection")],
    )  # fmt: skip
    termly = RequirementFactory(
        org=cast.school, name="听课", threshold=15, kinds=[kind("observation")]
    )
    done = RequirementFactory(
        org=cast.school, name="公开课", threshold=1, kinds=[kind("open_class")]
    )
    ActivityFactory(person=me(cast), kind=kind("open_class"), date=date(2026, 10, 10))
    # Blog in weeks 12 and 13 only: weeks 1..11 are missed (week 1 is Tue 09-01 .. Sun 09-06).
    for d in (date(2026, 11, 17), date(2026, 11, 24)):
        ActivityFactory(person=me(cast), kind=kind("blog"), date=d)
    ActivityFactory(person=me(cast), date=date(2026, 9, 7), quantity=1)

    tasks = selectors.my_tasks(cast.teacher, person=me(cast), term=term, at=AT)

    by_name = {t.requirement.name: t for t in tasks.items}
    assert by_name["每周博客"].cell.status is Status.MET
    assert by_name["每周博客"].missed_before == 11
    assert by_name["每周博客"].missed_text == "本学期已有11周未达标"
    assert by_name["每周博客"].period_label == "第13周"
    assert by_name["每月反思"].cell.due == date(2026, 11, 30)
    assert by_name["每月反思"].days_left == 4 and by_name["每月反思"].weekday == "星期一"
    assert by_name["听课"].cell.status is Status.BEHIND
    assert by_name["听课"].shown.text == "1/15" and by_name["听课"].shown.gap == "14"
    # behind first, then on track by deadline, then met.
    assert [t.requirement.name for t in tasks.items] == ["听课", "每月反思", "每周博客", "公开课"]
    assert [t.requirement.name for t in tasks.top] == ["听课", "每月反思"]
    assert [t.requirement for t in tasks.section("week")] == [weekly]
    assert [t.requirement for t in tasks.section("month")] == [monthly]
    assert {t.requirement for t in tasks.section("term")} == {termly, done}


def test_my_tasks_leaves_out_requirements_that_do_not_apply(cast, term):
    other = GroupFactory(org=cast.school, name="数学组")
    req = RequirementFactory(org=cast.school, threshold=1)
    req.groups.set([other])
    assert selectors.my_tasks(cast.teacher, person=me(cast), term=term, at=AT).items == []


@pytest.fixture
def school(cast, term):
    """Two requirements; 张老师 met the first, 李老师 behind; 数学老师 outside 语文组."""
    obs = RequirementFactory(org=cast.school, name="听课", threshold=2, kinds=[kind("observation")])
    refl = RequirementFactory(
        org=cast.school, name="反思", threshold=3, kinds=[kind("reflection")], item_min_chars=800
    )
    maths = PersonFactory(org=cast.school, name="数学老师")
    MembershipFactory(person=maths, group=GroupFactory(org=cast.school, name="数学组"))
    for d in (date(2026, 9, 8), date(2026, 10, 8)):
        ActivityFactory(person=me(cast), date=d)
    ActivityFactory(person=maths, kind=kind("reflection"), date=date(2026, 9, 9), chars=900)
    return obs, refl, maths


def test_matrix_office_sees_everyone_lead_their_group(cast, term, school):
    obs, refl, maths = school
    m = selectors.compliance_matrix(cast.office, org=cast.school, term=term, at=AT)
    assert [r.person.name for r in m.rows] == sorted(["张老师", "李老师", "王组长", "数学老师"])
    assert m.requirements == [obs, refl]
    row = next(r for r in m.rows if r.person.name == "张老师")
    assert [c.text for c in row.cells] == ["2/2", "0/3"]
    assert row.cells[0].status is Status.MET and row.groups == ["语文组"]
    counts = dict(m.summary)
    assert counts[obs][Status.MET] == 1 and counts[obs][Status.BEHIND] == 3
    lead = selectors.compliance_matrix(cast.lead, org=cast.school, term=term, at=AT)
    assert {r.person.name for r in lead.rows} == {"张老师", "李老师", "王组长"}
    outsider = selectors.compliance_matrix(cast.outsider, org=cast.school, term=term, at=AT)
    assert outsider.rows == []


def test_matrix_filters(cast, term, school):
    obs, refl, maths = school

    def names(**kw):
        m = selectors.compliance_matrix(cast.office, org=cast.school, term=term, at=AT, **kw)
        return {r.person.name for r in m.rows}

    assert names(group=cast.group) == {"张老师", "李老师", "王组长"}
    assert names(q="数学") == {"数学老师"}
    assert names(status="met") == {"张老师"}
    assert names(status="missed") == set()
    one = selectors.compliance_matrix(
        cast.office, org=cast.school, term=term, at=AT, requirement=refl.pk
    )
    assert one.requirements == [refl] and len(one.rows[0].cells) == 1


def test_cell_detail_marks_what_does_not_count(cast, term, school):
    obs, refl, maths = school
    ActivityFactory(person=maths, kind=kind("reflection"), date=date(2026, 9, 10), chars=500)
    ActivityFactory(
        person=maths, kind=kind("reflection"), date=date(2026, 9, 11), chars=900,
        status=Activity.Status.RETURNED,
    )  # fmt: skip
    ActivityFactory(person=maths, date=date(2026, 9, 11))  # another kind: not listed
    detail = selectors.cell_detail(cast.office, person=maths, requirement=refl, term=term, at=AT)
    assert detail.cell.value == 1
    reasons = sorted(r.reason for r in detail.records)
    assert reasons == ["", "不足800字", "已退回"]


def test_cell_detail_mentorship_counts_only_the_pair(cast, term):
    mentor = PersonFactory(org=cast.school, name="师傅")
    MentorshipFactory(org=cast.school, mentor=mentor, mentee=me(cast), start=date(2026, 9, 1))
    req = RequirementFactory(
        org=cast.school, threshold=4, mentorship=Requirement.Mentorship.MENTEE_OBSERVES_MENTOR,
        kinds=[kind("observation")],
    )  # fmt: skip
    ActivityFactory(person=me(cast), observed=mentor, date=date(2026, 10, 12))
    ActivityFactory(person=me(cast), observed=cast.other_teacher.person, date=date(2026, 10, 13))
    detail = selectors.cell_detail(cast.office, person=me(cast), requirement=req, term=term, at=AT)
    assert detail.cell.value == 1
    assert sorted(r.reason for r in detail.records) == ["", "非师徒结对听课"]


def _trend_rules(cast):
    weekly = RequirementFactory(
        org=cast.school, name="每周听课", threshold=1, period=Requirement.Period.WEEK,
        kinds=[kind("observation")],
    )  # fmt: skip
    monthly = RequirementFactory(
        org=cast.school, name="每月听课", threshold=1, period=Requirement.Period.MONTH,
        kinds=[kind("observation")],
    )  # fmt: skip
    termly = RequirementFactory(org=cast.school, name="学期听课", kinds=[kind("observation")])
    return weekly, monthly, termly


def test_trend_plots_each_rule_per_its_own_periods_that_are_over(cast, term, school):
    weekly, monthly, termly = _trend_rules(cast)
    people = list(selectors.matrix_people(cast.office, org=cast.school, at=AT))
    assert len(people) == 4  # 张老师 heard a lesson on 9-8 and on 10-8
    lines = selectors.trend(
        cast.office, term=term, at=AT, people=people, requirements=[weekly, monthly, termly]
    )
    by_name = {line.requirement.name: line for line in lines}
    weeks = by_name["每周听课"].points
    # Weeks end on Sundays: 9-6 … 11-22 are over on 11-26, the week of 11-26 is not.
    assert weeks[0].end == date(2026, 9, 6) and weeks[-1].end == date(2026, 11, 22)
    assert len(weeks) == 12
    shares = {p.end: p.share for p in weeks}
    assert shares[date(2026, 9, 13)] == 25.0 and shares[date(2026, 10, 11)] == 25.0
    assert shares[date(2026, 9, 20)] == 0.0
    months = by_name["每月听课"].points
    assert [(p.end, p.share) for p in months] == [
        (date(2026, 9, 30), 25.0),
        (date(2026, 10, 31), 25.0),
    ]  # November is still running: not shown
    assert by_name["学期听课"].points == []  # nobody has met or missed a term not over
    assert by_name["每周听课"].name == "每周听课（每周）"


def test_trend_reads_only_people_the_user_may_read(cast, term, school):
    weekly, _monthly, _termly = _trend_rules(cast)
    outsider = cast.outsider.person
    ActivityFactory(person=outsider, date=date(2026, 9, 8))
    # Handed a person they may not read, a lead gets nothing of them.
    (line,) = selectors.trend(cast.lead, term=term, at=AT, people=[outsider], requirements=[weekly])
    assert line.points == []
    (line,) = selectors.trend(
        cast.district, term=term, at=AT, people=[outsider], requirements=[weekly]
    )
    assert {p.end: p.share for p in line.points}[date(2026, 9, 13)] == 100.0


def test_schools_compared(cast, term, school):
    create_school_year(
        org=cast.other_school, start_year=2026, first_start=date(2026, 9, 1),
        first_end=date(2027, 1, 22),
    )  # fmt: skip
    RequirementFactory(org=cast.other_school, name="听课", threshold=1, kinds=[kind("observation")])
    ActivityFactory(person=cast.outsider.person, date=date(2026, 9, 8))
    orgs = selectors.matrix_orgs(cast.district)
    assert [o.code for o in orgs] == ["demo", "other"]
    names, rows = selectors.schools_compared(cast.district, orgs=orgs, at=AT)
    assert names == ["听课", "教学反思"]  # kinds of work, whatever each school calls its rules
    demo, other = rows
    assert demo.people == 4 and demo.by_name["听课"] == {Status.MET: 1, Status.BEHIND: 3}
    assert other.overall == {Status.MET: 1} and other.assessed == 1
    assert selectors.matrix_orgs(cast.office) == [cast.school]
    assert selectors.matrix_orgs(cast.lead) == []


def test_trend_leaves_out_the_periods_before_a_rule_was_in_force(cast, term, school):
    weekly, _monthly, _termly = _trend_rules(cast)
    people = list(selectors.matrix_people(cast.office, org=cast.school, at=AT))
    weekly.effective_from = date(2026, 11, 9)  # Monday of week 11 (weeks end on Sundays)
    weekly.save()
    (line,) = selectors.trend(cast.office, term=term, at=AT, people=people, requirements=[weekly])
    assert [p.end for p in line.points] == [date(2026, 11, 15), date(2026, 11, 22)]
