from datetime import date

import chinese_calendar
import pytest
from django.db import IntegrityError

from keshi.calendar import holidays
from keshi.calendar.holidays import DayCalendar, DayKind, Source
from keshi.calendar.models import DayOverride
from keshi.org.tests.factories import OrgFactory

pytestmark = pytest.mark.django_db

LAST_COVERED = max(d.year for d in chinese_calendar.holidays)
UNCOVERED = LAST_COVERED + 1


def test_national_day_and_mid_autumn_2025():
    cal = DayCalendar(date(2025, 9, 27), date(2025, 10, 12))
    names = {d.date.day: d.name for d in cal.days() if d.date.month == 10 and d.is_holiday}
    assert sorted(names) == list(range(1, 9))
    assert names[1] == "国庆节" and names[6] == "中秋节" and names[8] == "国庆节"
    for day in (date(2025, 9, 28), date(2025, 10, 11)):  # Sunday and Saturday worked
        info = cal.day(day)
        assert info.kind is DayKind.ADJUSTED_WORKDAY and info.is_workday
        assert info.name == "国庆节"
    assert cal.day(date(2025, 9, 27)).kind is DayKind.WEEKEND
    assert cal.day(date(2025, 10, 9)).kind is DayKind.WORKDAY
    assert cal.warning is None


def test_agrees_with_the_package_over_2025_and_2026():
    cal = DayCalendar(date(2025, 1, 1), date(2026, 12, 31))
    for info in cal.days():
        assert info.is_workday == chinese_calendar.is_workday(info.date), info


def test_spring_festival_2026():
    assert holidays.day_info(date(2026, 2, 17)).name == "春节"
    assert holidays.is_workday(date(2026, 2, 14))  # Saturday 调休
    assert not holidays.is_workday(date(2026, 2, 23))


def test_org_override_beats_ancestor_beats_global_beats_package():
    district = OrgFactory(code="d")
    school = OrgFactory(code="s", parent=district)
    sibling = OrgFactory(code="t", parent=district)
    day = date(2025, 11, 12)  # an ordinary Wednesday
    DayOverride.objects.create(org=None, date=day, kind="holiday", name="全局放假")
    assert holidays.day_info(day, school).name == "全局放假"
    DayOverride.objects.create(org=district, date=day, kind="holiday", name="区运动会")
    assert holidays.day_info(day, school).name == "区运动会"
    DayOverride.objects.create(org=school, date=day, kind="workday", name="照常上课")
    info = holidays.day_info(day, school)
    assert info.is_workday and info.source is Source.OVERRIDE and info.name == "照常上课"
    assert holidays.day_info(day, sibling).name == "区运动会"
    assert holidays.day_info(day).name == "全局放假"  # no org: global rows only


def test_override_can_turn_a_package_holiday_into_a_workday():
    school = OrgFactory(code="s")
    DayOverride.objects.create(org=school, date=date(2025, 10, 8), kind="workday")
    assert holidays.is_workday(date(2025, 10, 8), school)
    assert not holidays.is_workday(date(2025, 10, 8))


def test_other_orgs_overrides_do_not_apply():
    school, other = OrgFactory(code="s"), OrgFactory(code="o")
    DayOverride.objects.create(org=other, date=date(2025, 11, 12), kind="holiday")
    assert holidays.is_workday(date(2025, 11, 12), school)


def test_uncovered_year_falls_back_to_weekends_with_a_chinese_warning():
    start, end = date(UNCOVERED, 1, 1), date(UNCOVERED, 1, 31)
    cal = DayCalendar(start, end)
    assert cal.uncovered_years == [UNCOVERED]
    assert f"{UNCOVERED}年" in cal.warning and "尚未收录" in cal.warning
    saturday = next(d for d in cal.days() if d.date.weekday() == 5)
    assert saturday.kind is DayKind.WEEKEND and saturday.source is Source.WEEKDAYS
    assert cal.day(date(UNCOVERED, 1, 1)).source is Source.WEEKDAYS
    assert holidays.coverage_warning(start, end) == cal.warning
    assert holidays.coverage_warning(date(2025, 1, 1), date(2025, 12, 31)) is None


def test_an_override_in_the_uncovered_year_silences_the_warning():
    school = OrgFactory(code="s")
    DayOverride.objects.create(org=school, date=date(UNCOVERED, 1, 1), kind="holiday", name="元旦")
    span = (date(UNCOVERED, 1, 1), date(UNCOVERED, 1, 31))
    assert holidays.coverage_warning(*span, school) is None
    assert holidays.day_info(date(UNCOVERED, 1, 1), school).name == "元旦"
    assert holidays.coverage_warning(*span) is not None  # other orgs are still uncovered


def test_a_whole_term_costs_one_query(django_assert_num_queries):
    school = OrgFactory(code="s")
    with django_assert_num_queries(2):  # the org's ancestors, then the overrides
        cal = DayCalendar(date(2025, 9, 1), date(2026, 1, 18), school)
        cal.days()


def test_one_global_override_per_date():
    DayOverride.objects.create(org=None, date=date(2025, 11, 12), kind="holiday")
    with pytest.raises(IntegrityError):
        DayOverride.objects.create(org=None, date=date(2025, 11, 12), kind="workday")
