"""The 行事历 tests' shared world: the cast's school with a published and a draft plan
(see ``build_world``); the ``world`` fixture in conftest.py builds it."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from keshi.calendar import periods
from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term
from keshi.calendar.services import create_school_year
from keshi.org.models import Person
from keshi.plans.models import CalendarItem, Duty, Plan


@dataclass
class World:
    cast: object
    term: Term
    plan: Plan
    draft: Plan
    other_plan: Plan
    items: dict
    people: dict


def person(user) -> Person:
    return Person.objects.get(user=user)


def make_item(plan, title, *, owners=(), **fields) -> CalendarItem:
    item = CalendarItem.objects.create(plan=plan, title=title, **fields)
    item.owners.set(owners)
    return item


def build_world(cast) -> World:
    today = timezone.localdate()
    create_school_year(org=cast.school, start_year=periods.school_year_of(today))
    create_school_year(org=cast.other_school, start_year=periods.school_year_of(today))
    term = current_term(cast.school)
    people = {name: person(getattr(cast, name)) for name in ("teacher", "other_teacher", "lead")}
    plan = Plan.objects.create(
        org=cast.school, title="教科室工作计划", term=term, status=Plan.Status.PUBLISHED
    )
    draft = Plan.objects.create(org=cast.school, title="草稿计划", term=term)
    other_term = current_term(cast.other_school)
    other_plan = Plan.objects.create(
        org=cast.other_school, title="外校计划", term=other_term, status=Plan.Status.PUBLISHED
    )
    day = term.start + timedelta(days=15)
    items = {
        "week": make_item(plan, "教研组长会议", week=2, owners=[people["lead"]], group=cast.group),
        "date": make_item(plan, "张老师公开课", date=day, owners=[people["teacher"]]),
        "month": make_item(plan, "制订教研组计划", month=term.start.month),
        "private": make_item(plan, "李老师的课题开题", week=4, owners=[people["other_teacher"]]),
        "group": make_item(plan, "语文组集体备课", week=5, group=cast.group),
        "draft": make_item(draft, "草稿里的安排", week=3),
        "outside": make_item(other_plan, "外校的安排", week=2),
    }
    Duty.objects.create(plan=plan, person=people["teacher"], responsibility="负责青年教师培训")
    Duty.objects.create(plan=draft, person=people["teacher"], responsibility="草稿里的分工")
    return World(cast, term, plan, draft, other_plan, items, people)


# ---- placement (pure) -------------------------------------------------------------------------
