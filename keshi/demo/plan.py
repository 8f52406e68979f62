"""The demo school's published 教科室工作计划 for the demo term, imported from text by the same
services as 导入计划 (``keshi.plans.imports.import_plan``), then published: sections, 分工, a
行事历 (past items done, one postponed) whose requirement sentences are those of the demo's
requirements, which the plan owns — counted from the term's first day, as if published then
(publishing today starts them today); and the 每周工作安排 of every week begun, published.

Idempotent by the plan's title: an existing plan is left as it is (also by ``--reset``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from keshi.calendar.selectors import teaching_week
from keshi.demo.activity import demo_term
from keshi.org.models import Org, Person
from keshi.plans import calendar_services, services
from keshi.plans.extraction import extract, read_bytes
from keshi.plans.imports import import_plan
from keshi.plans.models import CalendarItem, Plan, Suggestion
from keshi.rules import services as rules
from keshi.rules.models import Requirement
from keshi.weekly import services as weekly
from keshi.weekly.models import WeekSchedule

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

TITLE = "{org}{term}教科室工作计划（演示）"
POSTPONED = "与区统考时间冲突，顺延一周"


def plan_text(org: Org, names: dict[str, str], sentences: list[str]) -> str:
    """The plan as the office would paste it: numbered sections, 分工 lines and a 行事历 by
    month and teaching week. ``names``: head, clerk, lead (of the 语文教研组)."""
    work = "\n".join(f"{i}. {s}" for i, s in enumerate(sentences, start=1))
    return f"""{org.name}教科室工作计划
一、指导思想
以立德树人为根本任务，以课堂教学改革为核心，以校本研修为抓手，以课题研究为引领，促进教师专业发展，提高教育教学质量。
二、工作目标
1. 完善听课评课、教学反思、读书学习等教科研常规制度，做到有布置、有检查、有反馈。
2. 青年教师一年入门、三年合格、五年成为骨干。
3. 区级以上课题立项一项、结题一项；教师论文获奖或发表二十篇以上。
三、主要工作
{work}
四、工作分工
{names["head"]}：全面负责教科室工作，主持课题管理和教学常规检查。
{names["clerk"]}：负责教研活动签到、简报编辑和资料归档。
{names["lead"]}：负责语文教研组集体备课和青蓝工程的听课指导。
五、行事历
九月：
1. 制定教科室工作计划，各教研组制定教研计划
2. 新教师岗前培训，师徒结对签约仪式
第4周：青年教师汇报课（第一轮）
十月：
1. 教学反思评比，读书笔记检查
第8周：期中教学常规检查
十一月：
1. 青年教师优质课评比
第12周：区级课题中期检查
十二月：
1. 教师论文撰写与评选
第17周：读书交流会
一月：
1. 期末教学常规检查，教科研工作总结
"""


def write(w: _Writer, org: Org, today: date) -> Plan | None:
    term = demo_term(org, today)
    User = get_user_model()
    office = User.objects.filter(username="office" if org.code == "demo" else "admin").first()
    if term is None or office is None:
        return None
    title = TITLE.format(org=org.name, term=term)
    found = Plan.objects.filter(org=org, title=title).first()
    if found is not None:
        return found
    requirements = list(Requirement.objects.filter(org=org).order_by("pk"))
    sentences = list(dict.fromkeys(r.source_text for r in requirements if r.source_text))
    text = plan_text(org, _names(org), sentences)
    plan = import_plan(
        org=org,
        user=office,
        extraction=extract(read_bytes(text.encode(), "plan.txt")),
        title=title,
        term=term,
        source_name="教科室工作计划.txt",
    )
    _own_requirements(plan, requirements)
    services.set_status(plan=plan, user=office, status=Plan.Status.PUBLISHED)
    for requirement in plan.requirements.all():  # published on the term's first day, in the story
        rules.update_requirement(requirement=requirement, user=office, effective_from=term.start)
    _progress(plan, term, today)
    w.created["plan"] += 1
    w.created["calendaritem"] += plan.calendar_items.count()
    w.created["weekschedule"] += publish_weeks(org, term, today, office)
    return plan


def _names(org: Org) -> dict[str, str]:
    """The office head and clerk, else (a small school) the 教研组长 in their place."""
    people = Person.objects.filter(org=org).order_by("staff_no")
    leads = list(people.filter(position="教研组长"))
    lead = people.filter(memberships__group__name="语文教研组", memberships__role="lead").first()
    head = people.filter(position="教科室主任").first() or leads[0]
    clerk = people.filter(position="教科室干事").first() or leads[-1]
    return {"head": head.name, "clerk": clerk.name, "lead": lead.name if lead else head.name}


def _own_requirements(plan: Plan, requirements: list[Requirement]) -> None:
    """The demo's requirements were set from this plan's sentences: the plan owns them and
    each matching suggestion is answered 采纳 with its requirement, as 采纳 leaves it."""
    Requirement.objects.filter(pk__in=[r.pk for r in requirements], plan=None).update(plan=plan)
    at = timezone.now().isoformat(timespec="seconds")
    for suggestion in plan.suggestions.filter(kind=Suggestion.Kind.REQUIREMENT):
        match = next((r for r in requirements if suggestion.source in r.source_text), None)
        if match is None:
            continue
        suggestion.status, suggestion.requirement = Suggestion.Status.ACCEPTED, match
        suggestion.data = {**suggestion.data, "review": {"by": "office", "at": at}}
        suggestion.save(update_fields=["status", "requirement", "data"])


def _progress(plan: Plan, term, today: date) -> None:
    """Items of weeks and months gone by are done, but the one of 第8周, postponed."""
    this_week = teaching_week(term, today) or 0
    for item in plan.calendar_items.order_by("position"):
        if item.week == 8 and this_week > 8:
            calendar_services.set_status(
                item=item, status=CalendarItem.Status.POSTPONED, reason=POSTPONED
            )
        elif (item.week and item.week < this_week) or (
            item.month and item.month != today.month and _month_over(item.month, term, today)
        ):
            calendar_services.set_status(item=item, status=CalendarItem.Status.DONE)


def _month_over(month: int, term, today: date) -> bool:
    year = term.start.year if month >= term.start.month else term.start.year + 1
    return date(year, month, 1) < today.replace(day=1)


def publish_weeks(org: Org, term, today: date, office) -> int:
    """The 每周工作安排 of every week begun, and of the next (published on Fridays)."""
    last = teaching_week(term, min(today + timedelta(days=7), term.end)) or 0
    done = set(
        WeekSchedule.objects.filter(org=org, term=term, published_at__isnull=False).values_list(
            "week", flat=True
        )
    )
    made = 0
    for week in range(1, last + 1):
        if week not in done:
            weekly.publish(org=org, term=term, week=week, by=office, title=f"第{week}周工作安排")
            made += 1
    return made
