"""A hospital works in calendar years (#24 item 1): its 年度 is 1 January – 31 December with one
term covering it, national holidays and 调休 as everywhere, and the next term is the next 年度."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keshi.accounts.models import RoleGrant
from keshi.calendar import lifecycle_selectors as LS
from keshi.calendar import lifecycle_services, selectors, services
from keshi.calendar.models import SchoolYear, Term
from keshi.org.models import Org
from keshi.org.tests.factories import OrgFactory, PersonFactory, UserFactory, grant
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.engine import evaluate
from keshi.rules.models import Requirement
from keshi.rules.selectors import period_label
from keshi.rules.status import Status
from keshi.rules.tests.factories import RequirementFactory
from keshi.web.forms import default_to_current_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospital():
    return OrgFactory(code="hosp", name="示范医院", kind=Org.Kind.HOSPITAL)


@pytest.fixture
def office(hospital):
    user = UserFactory(username="hospital_office")
    grant(user, hospital, RoleGrant.Role.OFFICE)
    return user


@pytest.fixture
def year(hospital):
    return services.create_school_year(org=hospital, start_year=2026)


def test_a_hospital_year_is_the_calendar_year_with_one_term(hospital, year):
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert year.is_calendar_year
    [term] = year.terms.all()
    assert (term.number, term.start, term.end) == (Term.Number.FIRST, year.start, year.end)
    assert str(year) == str(term) == "2026年度"
    assert selectors.current_term(hospital, date(2026, 3, 15)) == term
    assert selectors.current_term(hospital, date(2026, 12, 31)) == term


def test_a_school_year_stays_school_shaped():
    school = OrgFactory(code="s", kind=Org.Kind.SCHOOL)
    year = services.create_school_year(org=school, start_year=2026)
    assert not year.is_calendar_year and year.terms.count() == 2
    assert str(year) == "2026—2027学年"
    assert services.year_of(school, date(2026, 3, 1)) == 2025


def test_the_year_of_a_day_and_refusals(hospital, year):
    assert services.year_of(hospital, date(2026, 3, 1)) == 2026
    assert services.year_of(hospital, date(2026, 12, 31)) == 2026
    with pytest.raises(ValidationError, match="已有2026年度"):
        services.create_school_year(org=hospital, start_year=2026)
    with pytest.raises(ValueError):  # a 年度's term is the year: no term dates to give
        services.create_school_year(org=hospital, start_year=2027, first_start=date(2027, 2, 1))
    assert SchoolYear.objects.filter(org=hospital).count() == 1


def test_a_calendar_year_may_not_overlap_a_school_shaped_year(hospital):
    SchoolYear.objects.create(
        org=hospital, start_year=2025, start=date(2025, 9, 1), end=date(2026, 8, 31)
    )
    with pytest.raises(ValidationError, match="日期重叠"):
        services.create_calendar_year(org=hospital, year=2026)
    assert not SchoolYear.objects.filter(org=hospital, start_year=2026).exists()


def test_holidays_and_adjusted_workdays_apply_to_the_year(year):
    term = year.terms.get()
    days = selectors.term_day_calendar(term)
    assert days.day(date(2026, 1, 1)).is_holiday  # 元旦 is inside the 年度
    assert days.day(date(2026, 10, 1)).is_holiday and not days.day(date(2026, 10, 1)).is_workday
    adjusted = [d for d in chinese_calendar.workdays if d.year == 2026 and d.weekday() >= 5]
    assert adjusted and all(days.day(d).is_adjusted_workday for d in adjusted)
    weeks = selectors.teaching_weeks(term, days)
    assert weeks[0].days[:3] == [None, None, None]  # 2026-01-01 is a Thursday
    every_day = (date(2026, 1, 1) + timedelta(days=i) for i in range(365))
    assert sum(w.workdays for w in weeks) == sum(map(chinese_calendar.is_workday, every_day))


def test_no_week_numbers_are_shown_in_a_hospital_year(year):
    term = year.terms.get()
    assert selectors.teaching_week(term, date(2026, 12, 8)) == 50  # still there inside
    assert selectors.shown_week(term, date(2026, 12, 8)) is None


def test_the_next_term_of_a_year_is_the_next_years_only_term(hospital, office, year):
    term = year.terms.get()
    step = LS.next_step(hospital, term)
    assert step.new_year and step.calendar_year and step.year is None and step.term is None
    assert step.fields == () and step.proposed == {} and step.label == "2027年度"
    assert step.target_dates({}) == (date(2027, 1, 1), date(2027, 12, 31))
    rule = RequirementFactory(org=hospital, name="每月业务学习", period=Requirement.Period.MONTH)
    items = LS.review_items(step, {})
    assert [(i.section, i.ref) for i in items] == [(LS.Section.RULES, rule.pk)]
    outcome = lifecycle_services.start_next(user=office, step=step, dates={}, chosen={})
    assert outcome.created and str(outcome.term) == "2027年度"
    new = SchoolYear.objects.get(org=hospital, start_year=2027)
    assert new.is_calendar_year and [t.number for t in new.terms.all()] == [1]
    again = LS.next_step(hospital, term)  # the next 年度 exists: found, not made twice
    assert again.year == new and again.term == outcome.term
    repeat = lifecycle_services.start_next(user=office, step=again, dates={}, chosen={})
    assert not repeat.created and SchoolYear.objects.filter(org=hospital).count() == 2
    assert Requirement.objects.get(pk=rule.pk).active  # rules carry over as they are
    after = LS.next_step(hospital, outcome.term)
    assert after.label == "2028年度" and after.start_year == 2028


def test_the_next_year_is_refused_when_its_dates_are_taken(hospital, office, year):
    SchoolYear.objects.create(
        org=hospital, start_year=2030, start=date(2026, 12, 31), end=date(2027, 6, 30)
    )
    step = LS.next_step(hospital, year.terms.get())
    with pytest.raises(ValidationError, match="日期重叠"):
        lifecycle_services.check_dates(step, {})
    with pytest.raises(ValidationError):
        lifecycle_services.start_next(user=office, step=step, dates={}, chosen={})
    assert not SchoolYear.objects.filter(org=hospital, start_year=2027).exists()


def test_monthly_and_yearly_rules_are_judged_over_january_to_december(hospital, year):
    term = year.terms.get()
    doctor = PersonFactory(org=hospital, name="吴医生")
    monthly = RequirementFactory(
        org=hospital, threshold=2, period=Requirement.Period.MONTH, kinds=[kind("observation")]
    )
    yearly = RequirementFactory(
        org=hospital,
        threshold=3,
        period=Requirement.Period.SCHOOL_YEAR,
        kinds=[kind("observation")],
    )
    for day in (date(2026, 1, 5), date(2026, 1, 20), date(2026, 2, 3)):
        ActivityFactory(person=doctor, date=day)
    result = evaluate(term=term, at=date(2026, 12, 8), people=[doctor], requirements=[monthly])
    cells = result.periods(doctor.pk, monthly.pk)
    assert [c.period.start for c in cells] == [date(2026, m, 1) for m in range(1, 13)]
    assert cells[0].status is Status.MET and cells[1].status is Status.MISSED
    assert cells[-1].period.end == date(2026, 12, 31)
    result = evaluate(term=term, at=date(2026, 12, 8), people=[doctor], requirements=[yearly])
    [cell] = result.periods(doctor.pk, yearly.pk)
    assert (cell.period.start, cell.period.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert cell.value == 3 and cell.status is Status.MET


def test_a_weekly_rule_counts_the_years_weeks_and_names_them_by_date(hospital, year):
    term = year.terms.get()
    doctor = PersonFactory(org=hospital, name="吴医生")
    weekly = RequirementFactory(
        org=hospital, threshold=1, period=Requirement.Period.WEEK, kinds=[kind("observation")]
    )
    ActivityFactory(person=doctor, date=date(2026, 12, 8))
    result = evaluate(term=term, at=date(2026, 12, 31), people=[doctor], requirements=[weekly])
    cells = result.periods(doctor.pk, weekly.pk)
    assert cells[0].period.start == date(2026, 1, 1) and cells[-1].period.end == date(2026, 12, 31)
    week = next(c for c in cells if date(2026, 12, 8) in c.period)
    assert week.status is Status.MET
    assert period_label("week", week.period, term) == "12月7日—13日"
    assert period_label("week", cells[0].period, term) == "1月1日—4日"


# ---- pages -------------------------------------------------------------------------------


def test_the_create_page_asks_a_hospital_only_for_the_year(client, hospital, office):
    client.force_login(office)
    url = f"{reverse('calendar:create_year')}?org={hospital.code}"
    page = client.get(url).content.decode()
    assert 'name="start_year"' in page and "first_start" not in page
    assert "1月1日至12月31日" in page and "学期" not in page
    response = client.post(url, {"start_year": 2026})
    assert response.status_code == 302
    year = SchoolYear.objects.get(org=hospital)
    assert year.is_calendar_year and year.terms.count() == 1


def test_the_calendar_page_shows_dated_weeks_without_numbers(client, hospital, office, year):
    client.force_login(office)
    page = client.get(f"{reverse('calendar:term')}?org={hospital.code}").content.decode()
    assert "2026年度" in page and "全年工作日" in page
    assert "第1周" not in page and "周次" not in page and "第50周" not in page
    assert "1月1日" in page and "12月28日—1月3日" in page
    for school_word in ("学期", "教学周", "学年", "校历"):
        assert school_word not in page, school_word


def test_the_next_year_page_walks_to_the_new_year(client, hospital, office, year):
    client.force_login(office)
    url = f"{reverse('calendar:next')}?org={hospital.code}"
    page = client.get(url).content.decode()
    assert "2027年度" in page and "1月1日至12月31日" in page and 'type="date"' not in page
    review = client.post(url, {"stage": "review"})
    assert review.status_code == 200 and "2027年1月1日" in review.content.decode()
    done = client.post(url, {"stage": "confirm"})
    assert done.status_code == 200
    assert SchoolYear.objects.get(org=hospital, start_year=2027).terms.count() == 1
    for school_word in ("学期", "学年"):
        assert school_word not in done.content.decode(), school_word


def test_a_term_picker_opens_on_this_years_only_term(hospital):
    """Pickers that open on the current term open on this 年度, whatever the month."""
    this_year = timezone.localdate().year
    services.create_calendar_year(org=hospital, year=this_year - 1)
    current = services.create_calendar_year(org=hospital, year=this_year).terms.get()
    field = forms.ModelChoiceField(queryset=Term.objects.filter(school_year__org=hospital))
    default_to_current_term(field)
    assert field.initial == current.pk
