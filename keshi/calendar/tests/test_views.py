from datetime import date

import pytest
from django.urls import reverse

from keshi.calendar import services
from keshi.calendar.models import SchoolYear, Term

URL = reverse("calendar:term")


@pytest.fixture
def year(cast):
    return services.create_school_year(org=cast.school, start_year=2025)


@pytest.fixture
def first_term(year):
    return year.terms.get(number=1)


def get(client, user, url=URL, **params):
    client.force_login(user)
    return client.get(url, params)


@pytest.mark.parametrize("who", ["teacher", "lead", "office", "leader", "district"])
def test_roles_of_the_org_read_its_term(client, cast, first_term, who):
    r = get(client, getattr(cast, who), term=first_term.pk, org="demo")
    assert r.status_code == 200
    body = r.content.decode()
    assert "2025—2026学年第一学期" in body and "第1周" in body and "第21周" in body
    assert "国庆节" in body and "中秋节" in body and "调休上班" in body


def test_teacher_sees_own_org_by_default(client, cast, year, settings):
    r = get(client, cast.teacher)
    assert r.status_code == 200 and r.context["org"] == cast.school
    assert r.context["term"].school_year == year


def test_outsider_gets_404_for_demos_term(client, cast, first_term):
    assert get(client, cast.outsider, term=first_term.pk).status_code == 404
    assert get(client, cast.outsider, org="demo").status_code == 404
    assert get(client, cast.outsider, org="demo", term=first_term.pk).status_code == 404
    assert get(client, cast.teacher, org="other").status_code == 404


def test_term_of_another_org_under_this_org_is_404(client, cast, first_term):
    other = services.create_school_year(org=cast.other_school, start_year=2025)
    other_term = other.terms.get(number=1)
    assert get(client, cast.district, org="demo", term=other_term.pk).status_code == 404
    assert get(client, cast.district, org="other", term=other_term.pk).status_code == 200
    assert get(client, cast.teacher, term="abc").status_code == 404


def test_district_staff_can_switch_orgs(client, cast, year):
    r = get(client, cast.district, org="demo")
    body = r.content.decode()
    assert '<select name="org"' in body and "另一所中学" in body
    r = get(client, cast.teacher)
    assert '<select name="org"' not in r.content.decode()


def test_empty_state_links_office_to_creation(client, cast):
    body = get(client, cast.office).content.decode()
    assert "尚未设置学期" in body and reverse("calendar:create_year") in body
    body = get(client, cast.teacher).content.decode()
    assert "尚未设置学期" in body and reverse("calendar:create_year") not in body


def test_today_is_highlighted(client, cast, first_term, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2025, 10, 15))
    r = get(client, cast.teacher)
    assert r.context["term"] == first_term and r.context["today_week"] == 7
    body = r.content.decode()
    assert body.count('aria-current="date"') == 1 and 'title="2025-10-15"' in body
    assert "今天是10月15日，第7周" in body


def test_uncovered_year_warning_is_shown(client, cast):
    year = SchoolYear.objects.create(
        org=cast.school, start_year=2040, start=date(2040, 9, 1), end=date(2041, 8, 31)
    )
    term = Term.objects.create(
        school_year=year, number=1, start=date(2040, 9, 3), end=date(2041, 1, 20)
    )
    body = get(client, cast.teacher, term=term.pk).content.decode()
    assert "尚未收录2040年、2041年的法定节假日安排" in body


def test_office_creates_a_school_year(client, cast):
    client.force_login(cast.office)
    url = reverse("calendar:create_year")
    assert client.get(url).status_code == 200
    r = client.post(url, {"start_year": 2025, "first_start": "2025-09-01"})
    assert r.status_code == 302
    assert cast.school.school_years.get().terms.count() == 2
    r = client.post(url, {"start_year": 2025})
    assert r.status_code == 200 and "已有2025—2026学年" in r.content.decode()


@pytest.mark.parametrize("who", ["teacher", "leader", "outsider"])
def test_only_office_may_create(client, cast, who):
    client.force_login(getattr(cast, who))
    r = client.post(reverse("calendar:create_year") + "?org=demo", {"start_year": 2025})
    assert r.status_code == 404
    assert not SchoolYear.objects.exists()


def test_login_required(client):
    r = client.get(URL)
    assert r.status_code == 302 and "login" in r["Location"]


def test_district_staff_open_the_first_school_with_terms(client, cast):
    services.create_school_year(org=cast.other_school, start_year=2025)
    r = get(client, cast.district)
    assert r.status_code == 200 and r.context["org"] == cast.other_school
    r = get(client, cast.district, org="district")
    assert r.context["org"] == cast.district_org and "尚未设置学期" in r.content.decode()
