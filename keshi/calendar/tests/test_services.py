from datetime import date

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from keshi.calendar import services
from keshi.calendar.models import SchoolYear, Term
from keshi.org.tests.factories import OrgFactory

pytestmark = pytest.mark.django_db


def test_default_dates_2025():
    dates = services.default_term_dates(2025)
    assert dates.first == (date(2025, 9, 1), date(2026, 1, 25))
    assert dates.second == (date(2026, 3, 9), date(2026, 7, 5))


@pytest.mark.parametrize("year", range(2004, 2040))
def test_default_terms_end_before_the_spring_festival_and_fit_the_year(year):
    dates = services.default_term_dates(year)
    sf = services.spring_festival(year + 1)
    assert date(year, 9, 1) <= dates.first[0] < dates.first[1]
    assert dates.first[1] <= sf and (sf - dates.first[1]).days >= 7
    assert dates.first[1].weekday() == 6 and dates.second[0].weekday() == 0
    assert sf < dates.second[0] < dates.second[1] <= date(year + 1, 8, 31)


def test_spring_festival_table_agrees_with_the_package():
    for year, day in services.SPRING_FESTIVAL.items():
        if year <= max(d.year for d in chinese_calendar.holidays):
            assert chinese_calendar.get_holiday_detail(day) == (True, "Spring Festival"), year


def test_create_school_year_with_default_terms():
    org = OrgFactory(code="s")
    year = services.create_school_year(org=org, start_year=2025)
    assert (year.start, year.end) == (date(2025, 9, 1), date(2026, 8, 31))
    first, second = year.terms.order_by("number")
    assert str(first) == "2025—2026学年第一学期"
    assert first.start == date(2025, 9, 1) and second.number == Term.Number.SECOND


def test_create_school_year_with_given_start():
    org = OrgFactory(code="s")
    year = services.create_school_year(org=org, start_year=2026, first_start=date(2026, 9, 1))
    assert year.terms.get(number=1).start == date(2026, 9, 1)


def test_same_year_twice_is_refused_in_chinese():
    org = OrgFactory(code="s")
    services.create_school_year(org=org, start_year=2025)
    with pytest.raises(ValidationError, match="已有2025—2026学年"):
        services.create_school_year(org=org, start_year=2025)


def test_term_outside_its_school_year_is_refused_and_nothing_is_written():
    org = OrgFactory(code="s")
    with pytest.raises(ValidationError, match="学期必须在2025—2026学年之内"):
        services.create_school_year(org=org, start_year=2025, second_end=date(2026, 9, 10))
    assert not SchoolYear.objects.exists()


def test_overlapping_terms_are_refused():
    org = OrgFactory(code="s")
    with pytest.raises(ValidationError, match="日期重叠"):
        services.create_school_year(
            org=org, start_year=2025, first_end=date(2026, 2, 1), second_start=date(2026, 1, 20)
        )
    year = services.create_school_year(org=org, start_year=2025)
    first = year.terms.get(number=1)
    with pytest.raises(ValidationError, match="日期重叠"):
        services.update_term(term=first, start=date(2025, 9, 1), end=date(2026, 3, 20))


def test_end_before_start_is_refused():
    org = OrgFactory(code="s")
    with pytest.raises(ValidationError) as e:
        services.create_school_year(
            org=org, start_year=2025, first_start=date(2025, 9, 8), first_end=date(2025, 9, 1)
        )
    assert "结束日期不能早于开学日期。" in e.value.messages


def test_terms_of_different_orgs_may_share_dates():
    services.create_school_year(org=OrgFactory(code="a"), start_year=2025)
    services.create_school_year(org=OrgFactory(code="b"), start_year=2025)
    assert Term.objects.count() == 4
