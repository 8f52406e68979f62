"""The demo hospital's work beyond its indicators, through the same services as the schools':
the 神经内科's weekly 业务学习 (``keshi.demo.groupwork``: a schedule, sessions with sign-ins,
closed) owed by every 科主任 (医务科's has held none) under the requirement 科室业务学习 read from the department's plan
(每周开展一次科室业务学习), the plan's monthly 医疗质量与安全分析会 in its 行事历 and the weekly
schedules published, 带教 pairs, a 病历质量检查 scored, a 科研课题 (``keshi.demo.research``), a
论文评比 in 提交, a 外出进修 dispatched, and two 学习心得 so alike that 查重 flags one.

Idempotent by natural key (requirement and rubric name, inspection, contest and dispatch
title); deterministic (fixed data).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from keshi.checks import services as checks
from keshi.checks.models import Inspection, Rubric
from keshi.contests import services as contests
from keshi.contests.models import Contest
from keshi.demo import plan as demo_plan
from keshi.demo.activity import demo_term
from keshi.dispatch import services as dispatch
from keshi.dispatch.models import Dispatch
from keshi.org.models import Group, Mentorship, Org, Person
from keshi.originality.services import fingerprint_activity
from keshi.plans import calendar_services
from keshi.plans.models import Plan
from keshi.records.models import Activity, ActivityKind
from keshi.records.services import record_activity
from keshi.rules import services as rules
from keshi.rules.models import Requirement

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

NEURO = "神经内科"
STUDY = "科室业务学习"
PAIRS = (("H003", "H005"), ("H002", "H004"))  # 带教: 师傅, 徒弟
RUBRIC = "运行病历质量检查表"
CRITERIA = """首次病程记录 | 20 | | 8小时内完成，诊断依据与鉴别诊断充分
上级医师查房 | 20 | | 三级查房记录及时、有分析
病程记录 | 25 | | 病情变化、处理及效果记录完整
知情同意 | 15 | | 特殊检查、治疗签署齐全
医嘱与用药 | 20 | | 抗菌药物使用有指征、有记录"""
MONTHLY = "医疗质量与安全分析会"
STUDY_NOTE = (
    "本次科室业务学习围绕急性缺血性脑卒中的静脉溶栓展开。通过学习指南和讨论病例，我进一步明确了"
    "溶栓的适应证与禁忌证，认识到缩短入院至用药时间的关键在于急诊、影像和神经内科的衔接。"
    "今后在接诊中要严格按照流程评估，做好与家属的沟通，规范记录每一个时间节点。"
) * 3


def write(w: _Writer, org: Org, today: date) -> None:
    office = get_user_model().objects.filter(username="hospital_office").first()
    neuro = Group.objects.filter(org=org, name=NEURO).first()
    term = demo_term(org, today)
    if office is None or neuro is None or term is None:
        return
    plan = Plan.objects.filter(org=org).order_by("pk").first()
    _requirement(w, org, neuro, plan, office)
    _mentors(w, org, today)
    if plan is not None:
        _calendar(w, plan, term, today)
    w.created["weekschedule"] += demo_plan.publish_weeks(org, term, today, office)
    _inspection(w, org, neuro, term, today, office)
    _contest(w, org, office, today)
    _dispatch(w, org, office, today)
    _notes(w, org, today)


def _requirement(w: _Writer, org: Org, neuro: Group, plan: Plan | None, office) -> None:
    if Requirement.objects.filter(org=org, name=STUDY).exists():
        return
    rules.create_requirement(
        org=org, user=office, name=STUDY, kinds=[ActivityKind.objects.get(org=None,
        code="group_activity")], threshold=1, period="week", groups=list(org.groups.all()),
        group_role="lead",
        source_text="每周开展一次科室业务学习。", plan=plan,
    )  # fmt: skip
    w.created["requirement"] += 1


def _mentors(w: _Writer, org: Org, today: date) -> None:
    people = {p.staff_no: p for p in Person.objects.filter(org=org)}
    start = date(today.year, 1, 1)
    for mentor, mentee in PAIRS:
        w.ensure(Mentorship, {"org": org, "mentor": people[mentor], "mentee": people[mentee]},
                 {"start": start, "end": date(today.year + 1, 12, 31)})  # fmt: skip


def _calendar(w: _Writer, plan: Plan, term, today: date) -> None:
    if plan.calendar_items.exists():
        return
    month, year = term.start.month, term.start.year
    while date(year, month, 1) <= term.end:
        done = date(year, month, 28) < today
        calendar_services.create_item(
            plan=plan, title=MONTHLY, month=month, status="done" if done else "planned",
            position=month,
        )  # fmt: skip
        w.created["calendaritem"] += 1
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _inspection(w: _Writer, org: Org, neuro: Group, term, today: date, office) -> None:
    title = "运行病历质量检查"
    if Inspection.objects.filter(org=org, title=title).exists():
        return
    rubric = Rubric.objects.filter(org=org, name=RUBRIC).first() or checks.save_rubric(
        org=org, name=RUBRIC, purpose=Rubric.Purpose.INSPECTION, criteria=CRITERIA,
        levels="甲 90、乙 75、丙 0",
    )  # fmt: skip
    people = list(Person.objects.filter(memberships__group=neuro).order_by("staff_no"))
    day = today - timedelta(days=12)
    inspection = checks.save_inspection(
        org=org, by=office, people=people, term=term, title=title, kind=Inspection.Kind.MONTHLY,
        target=Inspection.Target.PEOPLE, rubric=rubric, start=day, end=day,
    )  # fmt: skip
    criteria = checks.start_inspection(inspection=inspection).criteria_list()
    rows = {
        p.pk: {"scores": {c.key: str(c.max - (i + k) % 4) for k, c in enumerate(criteria)}}
        for i, p in enumerate(people)
    }
    results = checks.record_scores(inspection=inspection, by=office, rows=rows)
    worst = min(results, key=lambda r: (r.percent, r.person_id))
    checks.add_rectification(inspection=inspection, result=worst, responsible=worst.person,
                             text="补全上级医师查房记录", due=today + timedelta(days=7))  # fmt: skip
    checks.complete_inspection(inspection=inspection)
    w.created["inspection"] += 1


def _contest(w: _Writer, org: Org, office, today: date) -> None:
    title = "优秀医学论文评比"
    if Contest.objects.filter(org=org, title=title).exists():
        return
    contest = contests.create_contest(
        org=org, by=office, title=title, kind=Contest.Kind.PAPER,
        rubric=Rubric.objects.get(org=org, name=RUBRIC), signup_start=today - timedelta(days=10),
        review_start=today + timedelta(days=10),
    )  # fmt: skip
    contests.advance(contest=contest, by=office)
    for no, paper in (("H003", "急性缺血性脑卒中静脉溶栓时间节点管理"),
                      ("H004", "老年帕金森病患者跌倒风险评估")):  # fmt: skip
        person = Person.objects.get(org=org, staff_no=no)
        contests.submit_entry(contest=contest, person=person, title=paper)
    w.created["contest"] += 1


def _dispatch(w: _Writer, org: Org, office, today: date) -> None:
    title = "省级卒中中心建设培训班"
    if Dispatch.objects.filter(org=org, title=title).exists():
        return
    start = today + timedelta(days=7 - today.weekday())
    dispatch.create_dispatch(
        org=org, by=office, teachers=[Person.objects.get(org=org, staff_no="H005")], direct=True,
        title=title, organiser="省卫生健康委", level="province", place="省人民医院",
        start_date=start, end_date=start + timedelta(days=2), hours=Decimal(18),
        credits=Decimal(3), cost_estimate=Decimal(1600), reimbursable=True,
    )  # fmt: skip
    w.created["dispatch"] += 1


def _notes(w: _Writer, org: Org, today: date) -> None:
    """Two 学习心得 alike: the second, a copy with a line added, is flagged by 查重."""
    kind = ActivityKind.objects.get(org=None, code="reflection")
    if Activity.objects.filter(org=org, kind=kind).exists():
        return
    for k, no in enumerate(("H004", "H005")):
        person = Person.objects.get(org=org, staff_no=no)
        note = record_activity(
            person=person, kind=kind, by=person.user, on=today - timedelta(days=6 - k),
            title="科室业务学习心得", text=STUDY_NOTE + ("我会把学到的用到临床中。" if k else ""),
        )  # fmt: skip
        fingerprint_activity(note.pk)
        w.created["activity"] += 1
