"""The summary's numbers on a hand-built term. Term: 2026-09-01 (Tue) .. 2027-01-22 (Fri).

People of 示范中学 (cast.school): 张老师, 李老师, 王组长 (语文组); 陈老师, 刘老师 (数学组).
* 听课 (term, ≥ 2): 张 2, 李 1, 王 3, 陈 0, 刘 2 → met 张 王 刘; missed 李 陈.
* 教学反思 (monthly, ≥ 1; Sep…Jan = 5 months): 张 and 王 every month; 李 Sep, Dec, Jan (misses
  Oct, Nov); 陈 exempt from it all term; 刘 none (misses 5).
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from keshi.calendar.services import create_school_year
from keshi.org.models import Group, Person
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory
from keshi.plans.models import CalendarItem, Duty, Plan, PlanSection
from keshi.plans.summary import (
    ConsoleUser,
    gather,
    plan_sections,
    save_summary_words,
    summary_words,
)
from keshi.records.models import Activity
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.models import Exemption, Requirement
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db

FINAL = date(2027, 1, 22)
MIDTERM = date(2026, 11, 10)


@dataclass
class Term:
    term: object
    plan: Plan
    observe: Requirement
    reflect: Requirement
    people: dict


def _person(user) -> Person:
    return user.person


@pytest.fixture
def school_term(cast) -> Term:
    year = create_school_year(
        org=cast.school, start_year=2026, first_start=date(2026, 9, 1), first_end=FINAL
    )
    term = year.terms.get(number=1)
    maths = GroupFactory(org=cast.school, name="数学组", kind=Group.Kind.SUBJECT)
    zhang, li, wang = _person(cast.teacher), _person(cast.other_teacher), _person(cast.lead)
    chen = PersonFactory(org=cast.school, name="陈老师", subject="数学")
    liu = PersonFactory(org=cast.school, name="刘老师", subject="数学")
    for p in (chen, liu):
        MembershipFactory(person=p, group=maths)
    plan = Plan.objects.create(
        org=cast.school,
        title="示范中学2026—2027学年第一学期教科室工作计划",
        term=term,
        status=Plan.Status.PUBLISHED,
    )
    sections = [
        (PlanSection.Kind.GUIDING, "指导思想", "以立德树人为根本任务。\n深化课堂教学改革。"),
        (PlanSection.Kind.GOALS, "工作目标", "提高教师专业素养。"),
        (
            PlanSection.Kind.MEASURES,
            "主要工作与具体措施",
            "（一）加强教学常规管理\n坚持听课评课制度。\n（二）推进校本研修\n每月开展读书交流。",
        ),
        (PlanSection.Kind.DUTIES, "工作分工", "各负其责，通力合作。"),
        (PlanSection.Kind.CALENDAR, "活动安排（行事历）", ""),
    ]
    for i, (k, title, body) in enumerate(sections):
        PlanSection.objects.create(plan=plan, kind=k, title=title, body=body, position=i)
    Duty.objects.create(plan=plan, person=wang, responsibility="全面负责语文组教研工作", position=0)
    Duty.objects.create(
        plan=plan, person_name="周校长", responsibility="分管教科研工作", position=1
    )
    items = [
        dict(title="制定教研组工作计划", month=9, status="done"),
        dict(title="期中教学质量检测", week=8, status="postponed", reason="与区统考冲突，顺延一周"),
        dict(title="青年教师汇报课", date=date(2026, 11, 20), status="planned"),
        dict(title="读书交流会", month=12, status="cancelled", reason="防控要求"),
        dict(
            title="期末工作总结", date=date(2027, 1, 15), end_date=date(2027, 1, 16), status="done"
        ),
    ]
    for i, fields in enumerate(items):
        item = CalendarItem.objects.create(plan=plan, position=i, **fields)
        if i == 0:
            item.owners.set([wang])
        if i == 2:
            item.owners.set([zhang, li])
    observe = RequirementFactory(
        org=cast.school, plan=plan, name="听课", threshold=2, kinds=[kind("observation")]
    )
    reflect = RequirementFactory(
        org=cast.school,
        plan=plan,
        name="教学反思",
        threshold=1,
        period=Requirement.Period.MONTH,
        kinds=[kind("reflection")],
    )
    RequirementFactory(org=cast.school, name="不属于本计划", threshold=9, kinds=[kind("blog")])
    Exemption.objects.create(
        person=chen, requirement=reflect, start=term.start, end=term.end, reason="产假"
    )
    obs = {zhang: 2, li: 1, wang: 3, liu: 2}
    for p, n in obs.items():
        for i in range(n):
            ActivityFactory(person=p, date=date(2026, 9, 7 + i))
    ActivityFactory(person=chen, date=date(2026, 9, 8), status=Activity.Status.RETURNED)
    reflection = kind("reflection")
    months = {zhang: (9, 10, 11, 12, 1), wang: (9, 10, 11, 12, 1), li: (9, 12, 1)}
    for p, ms in months.items():
        for m in ms:
            ActivityFactory(person=p, kind=reflection, date=date(2027 if m == 1 else 2026, m, 12))
    people = {"张": zhang, "李": li, "王": wang, "陈": chen, "刘": liu}
    return Term(term, plan, observe, reflect, people)


def _result(summary, name):
    return next(r for r in summary.requirements if r.requirement.name == name)


def _rates(result):
    return {g.name: (g.assessed, g.met, g.running, g.missed, g.percent) for g in result.groups}


def test_final_completion_by_group(cast, school_term):
    s = gather(cast.office, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    assert s.final and s.title == "示范中学2026—2027学年第一学期教科室工作总结"
    # The plan's own first, then the org's other rules in force (not only the plan's).
    assert [(r.requirement.name, r.from_plan) for r in s.requirements] == [
        ("听课", True),
        ("教学反思", True),
        ("不属于本计划", False),
    ]
    observe = _result(s, "听课")
    assert _rates(observe) == {"语文组": (3, 2, 0, 1, 66.7), "数学组": (2, 1, 0, 1, 50.0)}
    assert (observe.total.assessed, observe.total.met, observe.total.percent) == (5, 3, 60.0)
    assert observe.missed == ["李老师", "陈老师"]
    reflect = _result(s, "教学反思")
    assert _rates(reflect) == {"语文组": (3, 2, 0, 1, 66.7), "数学组": (1, 0, 0, 1, 0.0)}
    assert reflect.total.percent == 50.0 and reflect.exempt == 1
    assert reflect.missed == ["刘老师（缺5个月）", "李老师（缺2个月）"]
    assert s.overall.assessed == 14 and s.overall.met == 5  # 5 more on the rule outside the plan


def test_midterm_draft_counts_closed_periods_only(cast, school_term):
    s = gather(
        cast.office, org=cast.school, term=school_term.term, at=MIDTERM, plan=school_term.plan
    )
    assert not s.final
    observe = _result(s, "听课")
    # Term not over: 张 王 刘 already met; 李 (1 of 2) and 陈 (0) still running, not missed.
    assert (observe.total.met, observe.total.running, observe.total.missed) == (3, 2, 0)
    reflect = _result(s, "教学反思")
    assert reflect.missed == ["刘老师（缺2个月）", "李老师（缺1个月）"]
    assert (reflect.total.assessed, reflect.total.met) == (4, 2)


def test_calendar_status_and_overdue(cast, school_term):
    s = gather(cast.office, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    rows = {r.item.title: r for r in s.calendar}
    assert [r.item.title for r in s.calendar] == [
        "制定教研组工作计划",
        "期中教学质量检测",
        "青年教师汇报课",
        "读书交流会",
        "期末工作总结",
    ]
    assert (rows["期中教学质量检测"].month, rows["期中教学质量检测"].week) == ("10月", "第8周")
    assert rows["期末工作总结"].week == "第20周"
    assert rows["青年教师汇报课"].status_text(s.at) == "逾期未完成"
    assert rows["青年教师汇报课"].owners == "张老师、李老师"
    assert rows["读书交流会"].status_text(s.at) == "取消：防控要求"
    counts = s.calendar_counts
    assert (counts["done"], counts["cancelled"], counts["postponed"], counts["overdue"]) == (
        2,
        1,
        1,
        1,
    )
    early = gather(
        cast.office, org=cast.school, term=school_term.term, at=MIDTERM, plan=school_term.plan
    )
    assert early.calendar_counts["overdue"] == 0


def test_records_by_kind_and_trend(cast, school_term):
    s = gather(cast.office, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    kinds = {k.label: (k.records, k.people) for k in s.kinds}
    assert kinds == {"听课/听评课": (8, 4), "教学反思/随笔": (13, 3)}  # the returned one not
    # Each rule with a period over, plotted per its own periods; a term's rule once it is over.
    names = [line.requirement.name for line in s.trend]
    assert names == ["听课", "教学反思", "不属于本计划"]
    assert all(line.points and all(0 <= p.share <= 100 for p in line.points) for line in s.trend)
    assert all(p.end <= FINAL for line in s.trend for p in line.points)


def test_no_plan_requirements_falls_back_to_org(cast, school_term):
    Requirement.objects.filter(plan=school_term.plan).update(plan=None)
    s = gather(cast.office, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    assert s.org_requirements and len(s.requirements) == 3


def test_lead_sees_only_their_group(cast, school_term):
    s = gather(cast.lead, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    assert s.people == 3  # a lead reads the members of the 语文组 and their records only
    kinds = {k.label: k.records for k in s.kinds}
    assert kinds == {"听课/听评课": 6, "教学反思/随笔": 13}
    assert _result(s, "听课").missed == ["李老师"]


def test_console_user_reads_everything(cast, school_term):
    s = gather(ConsoleUser(), org=cast.school, term=school_term.term, at=FINAL, plan=None)
    assert s.org_requirements and s.people == 5 and s.calendar == []
    assert s.title == "示范中学2026—2027学年第一学期教科室工作总结"


def test_words_stored_as_sections(cast, school_term):
    plan = school_term.plan
    save_summary_words(plan=plan, user=cast.office, achievements="听课制度落实。", problems="")
    assert summary_words(plan) == {
        "achievements": "听课制度落实。",
        "problems": "",
        "next_term": "",
    }
    section = plan.sections.get(title="工作总结·主要成绩")
    assert section.kind == PlanSection.Kind.OTHER
    assert section not in plan_sections(plan)
    save_summary_words(plan=plan, user=cast.office, achievements="  ", next_term="继续。")
    assert summary_words(plan)["achievements"] == ""
    assert not plan.sections.filter(title="工作总结·主要成绩").exists()
    with pytest.raises(PermissionDenied):
        save_summary_words(plan=plan, user=cast.leader, problems="x")
    with pytest.raises(PermissionDenied):
        save_summary_words(plan=plan, user=cast.teacher, problems="x")
    assert summary_words(plan)["problems"] == ""
