"""行事历 reads: placement arithmetic, placement validation, plan scoping, term rows, duties.

The ``world`` fixture (keshi/plans/tests/conftest.py) is the cast's school with the
current school year, a published plan and a draft plan with calendar items and duties."""

from datetime import date, timedelta

import pytest

from keshi.calendar.models import SchoolYear, Term
from keshi.calendar.services import create_school_year
from keshi.org.models import Org
from keshi.org.tests.factories import GroupFactory, OrgFactory
from keshi.plans import calendar_selectors as sel
from keshi.plans.calendar_services import placement_errors
from keshi.plans.models import CalendarItem, Plan
from keshi.plans.tests.itinerary_world import make_item

TERM = (date(2026, 9, 1), date(2027, 1, 24))  # a Tuesday; 第1周 = 8月31日–9月6日


def test_place_by_date_week_and_month():
    start, end = TERM
    p = sel.place(
        month=None, week=None, day=date(2026, 9, 16), end_day=None, term_start=start, term_end=end
    )
    assert (p.kind, p.start, p.end, p.week, p.label) == (
        "date",
        date(2026, 9, 16),
        date(2026, 9, 16),
        3,
        "9月16日",
    )
    p = sel.place(month=None, week=3, day=None, end_day=None, term_start=start, term_end=end)
    assert (p.kind, p.start, p.end, p.label) == (
        "week",
        date(2026, 9, 14),
        date(2026, 9, 18),
        "第3周",
    )
    p = sel.place(month=1, week=None, day=None, end_day=None, term_start=start, term_end=end)
    assert (p.kind, p.start, p.end, p.label) == (
        "month",
        date(2027, 1, 1),
        date(2027, 1, 31),
        "1月",
    )
    p = sel.place(
        month=None,
        week=None,
        day=date(2026, 9, 28),
        end_day=date(2026, 10, 2),
        term_start=start,
        term_end=end,
    )
    assert p.label == "9月28日—10月2日" and p.month == 9


def test_week_straddling_two_months_takes_the_named_month():
    start, end = TERM
    # 第9周 = 10月26日–11月1日
    p = sel.place(month=11, week=9, day=None, end_day=None, term_start=start, term_end=end)
    assert (p.start, p.month) == (date(2026, 10, 26), 11)
    p = sel.place(month=None, week=9, day=None, end_day=None, term_start=start, term_end=end)
    assert p.month == 10


def test_month_year_is_the_one_nearest_the_term():
    assert sel.month_year(1, *TERM) == 2027
    assert sel.month_year(9, *TERM) == 2026
    assert sel.month_year(8, date(2027, 3, 1), date(2027, 7, 4)) == 2027


def test_overdue_only_for_planned_items_past_their_end():
    start, end = TERM
    p = sel.place(month=None, week=3, day=None, end_day=None, term_start=start, term_end=end)
    assert sel.is_overdue("planned", p, date(2026, 9, 19))
    assert not sel.is_overdue("planned", p, date(2026, 9, 18))
    assert not sel.is_overdue("done", p, date(2026, 10, 1))
    assert not sel.is_overdue("postponed", p, date(2026, 10, 1))


@pytest.mark.django_db
def test_placement_errors_need_one_consistent_placement(cast):
    year = SchoolYear.objects.create(
        org=cast.school, start_year=2026, start=date(2026, 9, 1), end=date(2027, 8, 31)
    )
    term = Term.objects.create(school_year=year, number=1, start=TERM[0], end=TERM[1])
    plan = Plan.objects.create(org=cast.school, title="计划", term=term)

    def errors(**kw):
        base = {"month": None, "week": None, "day": None, "end_day": None}
        return placement_errors(plan, **(base | kw))

    assert errors() == {None: "请填写月份、教学周或日期中的至少一项。"}
    assert errors(week=3) == {}
    assert errors(month=10) == {}
    assert errors(week=3, day=date(2026, 9, 16)) == {}
    assert "week" in errors(week=4, day=date(2026, 9, 16))
    assert errors(month=9, day=date(2026, 9, 16)) == {}
    assert errors(month=10, day=date(2026, 9, 16))["month"] == "2026-09-16不在10月。"
    assert errors(week=9, month=11) == {}  # 第9周 ends on 1 November
    assert "month" in errors(week=3, month=11)
    assert "week" in errors(week=40)
    assert "end_date" in errors(end_day=date(2026, 9, 16), week=3)
    assert "date" in errors(day=date(2028, 1, 1))


# ---- scoping and rows -------------------------------------------------------------------------


def test_drafts_only_for_office_leader_and_district(world):
    c = world.cast
    for user in (c.teacher, c.other_teacher, c.lead):
        assert set(sel.readable_plans(user)) == {world.plan}
    for user in (c.office, c.leader):
        assert set(sel.readable_plans(user)) == {world.plan, world.draft}
    assert set(sel.readable_plans(c.district)) == {world.plan, world.draft, world.other_plan}
    assert set(sel.readable_plans(c.outsider)) == {world.other_plan}


def test_term_rows_sorted_scoped_and_flagged(world):
    c, term = world.cast, world.term
    titles = [r.item.title for r in sel.term_rows(c.teacher, term)]
    assert "草稿里的安排" not in titles and "外校的安排" not in titles
    assert set(titles) == {
        "教研组长会议",
        "张老师公开课",
        "制订教研组计划",
        "李老师的课题开题",
        "语文组集体备课",
    }
    assert (
        titles.index("制订教研组计划") < titles.index("教研组长会议") < titles.index("张老师公开课")
    )
    assert "草稿里的安排" in [r.item.title for r in sel.term_rows(c.office, term)]
    assert sel.term_rows(c.outsider, term) == []
    late = term.start + timedelta(days=40)
    flagged = {r.item.title for r in sel.term_rows(c.office, term, today=late) if r.overdue}
    assert flagged == {
        "制订教研组计划",  # the term's first month is over
        "教研组长会议",
        "张老师公开课",
        "李老师的课题开题",
        "语文组集体备课",
        "草稿里的安排",
    }
    world.items["week"].status = CalendarItem.Status.DONE
    world.items["week"].save()
    flagged = {r.item.title for r in sel.term_rows(c.office, term, today=late) if r.overdue}
    assert "教研组长会议" not in flagged


def test_term_rows_filters(world):
    c, term = world.cast, world.term
    rows = sel.term_rows(c.office, term, group_id=c.group.pk)
    assert {r.item.title for r in rows} == {"教研组长会议", "语文组集体备课"}
    rows = sel.term_rows(c.office, term, owner_id=world.people["teacher"].pk)
    assert [r.item.title for r in rows] == ["张老师公开课"]
    rows = sel.term_rows(c.office, term, status="done")
    assert rows == []
    rows = sel.term_rows(c.office, term, plan=world.draft)
    assert [r.item.title for r in rows] == ["草稿里的安排"]


def test_edit_rights(world):
    c = world.cast
    week, date_item = world.items["week"], world.items["date"]
    assert sel.can_edit_item(c.office, week) and sel.can_edit_item(c.office, date_item)
    assert sel.can_edit_item(c.lead, week)  # an item of the 语文组 they lead
    assert not sel.can_edit_item(c.lead, date_item)
    assert not sel.can_edit_item(c.teacher, date_item)  # owning an item is not editing it
    assert not sel.can_edit_item(c.leader, week)
    assert not sel.can_edit_item(c.district, week)


def test_school_year_plan_items_fall_in_their_term(world):
    c = world.cast
    year = world.term.school_year
    plan = Plan.objects.create(
        org=c.school, title="学年计划", school_year=year, status=Plan.Status.PUBLISHED
    )
    second = Term.objects.get(school_year=year, number=2)
    march = make_item(plan, "三月的事", month=3)
    first_week = make_item(plan, "第2周的事", week=2)
    first = Term.objects.get(school_year=year, number=1)
    in_first = {r.item.title for r in sel.term_rows(c.office, first, plan=plan)}
    in_second = {r.item.title for r in sel.term_rows(c.office, second, plan=plan)}
    assert in_first == {"第2周的事"} and in_second == {"三月的事"}
    assert sel.placement_of(march).start == date(year.start_year + 1, 3, 1)
    assert sel.placement_of(first_week).week == 2


def test_a_hospital_years_items_all_fall_in_its_only_term(db):
    """A hospital's 年度 has one term, the whole year: every item of its annual plan is in it,
    a month in that year, a week counted from the week of 1 January."""
    hospital = OrgFactory(code="hosp", name="示范医院", kind=Org.Kind.HOSPITAL)
    [term] = create_school_year(org=hospital, start_year=2026).terms.all()
    plan = Plan.objects.create(
        org=hospital, title="神经内科2026年工作计划", school_year=term.school_year,
        status=Plan.Status.PUBLISHED,
    )  # fmt: skip
    make_item(plan, "三月的事", month=3)
    make_item(plan, "第2周的事", week=2)
    make_item(plan, "十二月的事", month=12)
    rows = sel.published_rows(term, today=date(2026, 12, 8))
    assert {r.item.title: r.placement.start for r in rows} == {
        "三月的事": date(2026, 3, 1),
        "第2周的事": date(2026, 1, 5),
        "十二月的事": date(2026, 12, 1),
    }


# ---- duties -----------------------------------------------------------------------------------


def test_duties_of_published_plans_only(world):
    teacher = world.people["teacher"]
    assert [d.responsibility for d in sel.duties_of(teacher)] == ["负责青年教师培训"]
    assert list(sel.duties_of(teacher, user=world.cast.outsider)) == []
    assert list(sel.duties_of(world.people["lead"])) == []


def test_items_owned_by(world):
    rows = sel.items_owned_by(world.people["lead"], world.term)
    assert [r.item.title for r in rows] == ["教研组长会议"]
    assert sel.items_owned_by(world.people["lead"], None) == []
    other = GroupFactory(org=world.cast.school, name="数学组")
    make_item(
        world.draft, "草稿里张老师的事", week=6, owners=[world.people["teacher"]], group=other
    )
    assert [r.item.title for r in sel.items_owned_by(world.people["teacher"], world.term)] == [
        "张老师公开课"
    ]
