from datetime import date

import pytest

from keshi.calendar import selectors, services
from keshi.calendar.models import DayOverride, SchoolYear, Term
from keshi.org.tests.factories import OrgFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def term(db):
    org = OrgFactory(code="s")
    year = SchoolYear.objects.create(
        org=org, start_year=2025, start=date(2025, 9, 1), end=date(2026, 8, 31)
    )
    # Starts on a Wednesday: week 1 begins on Monday 1 September.
    return Term.objects.create(
        school_year=year, number=1, start=date(2025, 9, 3), end=date(2026, 1, 16)
    )


def test_teaching_weeks_start_the_monday_before(term):
    weeks = selectors.teaching_weeks(term)
    assert weeks[0].number == 1 and weeks[0].monday == date(2025, 9, 1)
    assert weeks[0].days[:2] == [None, None]  # Monday and Tuesday are before the term
    assert weeks[0].workdays == 3
    assert weeks[-1].number == 20 and weeks[-1].sunday == date(2026, 1, 18)
    assert weeks[-1].days[5:] == [None, None]
    assert selectors.teaching_week(term, date(2025, 9, 1)) is None  # before the term
    assert selectors.teaching_week(term, date(2025, 9, 7)) == 1
    assert selectors.teaching_week(term, date(2025, 10, 1)) == 5


def test_national_day_week(term):
    week = selectors.teaching_weeks(term)[4]  # 29 September – 5 October
    assert week.monday == date(2025, 9, 29)
    assert [d.date.day for d in week.holidays] == [1, 2, 3, 4, 5]
    assert week.workdays == 2 and week.notes == ["国庆节"]
    week6 = selectors.teaching_weeks(term)[5]  # 6–12 October: 中秋, 国庆, Saturday worked
    assert week6.notes == ["中秋节", "国庆节"]
    assert [d.date for d in week6.adjusted_workdays] == [date(2025, 10, 11)]
    assert week6.workdays == 3  # Thursday, Friday and the Saturday worked
    assert selectors.teaching_weeks(term)[3].adjusted_workdays[0].date == date(2025, 9, 28)


def test_org_override_shows_in_the_weeks(term):
    DayOverride.objects.create(
        org=term.school_year.org, date=date(2025, 9, 12), kind="holiday", name="校运会"
    )
    assert selectors.teaching_weeks(term)[1].notes == ["校运会"]


def test_term_months(term):
    months = selectors.term_months(term)
    assert [m.label for m in months][:2] == ["2025年9月", "2025年10月"]
    assert len(months) == 5
    september = months[0]
    assert september.weeks[0][:2] == [None, None] and september.weeks[0][2].date == date(2025, 9, 3)
    assert september.week_numbers[0] == 1
    january = months[-1]
    assert january.weeks[-1][4].date == date(2026, 1, 16) and january.weeks[-1][5] is None


def test_current_term_and_next_term():
    org = OrgFactory(code="s")
    year = services.create_school_year(org=org, start_year=2025)
    first, second = year.terms.order_by("number")
    assert selectors.current_term(org, date(2025, 10, 1)) == first
    assert selectors.current_term(org, date(2026, 2, 1)) == second  # winter break: next term
    assert selectors.current_term(org, date(2026, 8, 1)) is None


def test_terms_of_org_is_scoped(cast):
    services.create_school_year(org=cast.school, start_year=2025)
    assert selectors.terms_of_org(cast.teacher, cast.school).count() == 2
    assert selectors.terms_of_org(cast.district, cast.school).count() == 2
    assert selectors.terms_of_org(cast.outsider, cast.school).count() == 0


def test_home_org(cast):
    assert selectors.home_org(cast.teacher) == cast.school
    assert selectors.home_org(cast.office) == cast.school
    assert selectors.home_org(cast.district) == cast.district_org
    assert set(selectors.readable_orgs(cast.district)) == {
        cast.district_org,
        cast.school,
        cast.other_school,
    }
    assert list(selectors.readable_orgs(cast.outsider)) == [cast.other_school]
