from datetime import date

import pytest
from django.urls import reverse

from keshi.calendar import services
from keshi.calendar.models import DayOverride, SchoolYear
from keshi.org.models import Org
from keshi.org.tests.factories import OrgFactory, UserFactory


def inline_data(*terms):
    data = {
        "terms-TOTAL_FORMS": str(len(terms)),
        "terms-INITIAL_FORMS": "0",
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
    }
    for i, (number, start, end) in enumerate(terms):
        data |= {f"terms-{i}-number": number, f"terms-{i}-start": start, f"terms-{i}-end": end}
    return data


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_admin_pages_render_in_chinese(client, admin_user, cast):
    services.create_school_year(org=cast.school, start_year=2025)
    client.force_login(admin_user)
    for name in ["schoolyear_changelist", "schoolyear_add", "dayoverride_changelist"]:
        r = client.get(reverse(f"admin:schoolcalendar_{name}"))
        assert r.status_code == 200
    year = SchoolYear.objects.get()
    body = client.get(reverse("admin:schoolcalendar_schoolyear_change", args=[year.pk])).content
    assert "开学日期" in body.decode() and "学期" in body.decode()


def test_adding_a_year_without_terms_adds_the_default_terms(client, admin_user, cast):
    client.force_login(admin_user)
    data = {"org": cast.school.pk, "start_year": 2025, "start": "", "end": ""} | inline_data()
    r = client.post(reverse("admin:schoolcalendar_schoolyear_add"), data)
    assert r.status_code == 302, r.content.decode()
    year = SchoolYear.objects.get()
    assert (year.start, year.end) == (date(2025, 9, 1), date(2026, 8, 31))
    assert year.terms.count() == 2


def test_adding_a_hospital_year_without_dates_makes_its_calendar_year(client, admin_user):
    hospital = OrgFactory(code="hosp", kind=Org.Kind.HOSPITAL)
    client.force_login(admin_user)
    data = {"org": hospital.pk, "start_year": 2026, "start": "", "end": ""} | inline_data()
    r = client.post(reverse("admin:schoolcalendar_schoolyear_add"), data)
    assert r.status_code == 302, r.content.decode()
    year = SchoolYear.objects.get()
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))
    [term] = year.terms.all()
    assert (term.number, term.start, term.end) == (1, year.start, year.end)


def test_inline_terms_are_validated(client, admin_user, cast):
    client.force_login(admin_user)
    url = reverse("admin:schoolcalendar_schoolyear_add")
    base = {"org": cast.school.pk, "start_year": 2025, "start": "", "end": ""}
    r = client.post(
        url,
        base | inline_data((1, "2025-09-01", "2026-02-01"), (2, "2026-01-20", "2026-07-05")),
    )
    assert r.status_code == 200 and "两个学期的日期不能重叠" in r.content.decode()
    r = client.post(url, base | inline_data((1, "2025-08-25", "2026-01-18")))
    assert r.status_code == 200 and "学期必须在2025—2026学年之内" in r.content.decode()
    assert not SchoolYear.objects.exists()


def test_office_staff_admin_is_scoped_to_their_org(client, cast):
    services.create_school_year(org=cast.school, start_year=2025)
    services.create_school_year(org=cast.other_school, start_year=2025)
    cast.office.is_staff = True
    cast.office.save()
    client.force_login(cast.office)
    r = client.get(reverse("admin:schoolcalendar_schoolyear_changelist"))
    assert r.status_code == 200
    assert [y.org for y in r.context["cl"].result_list] == [cast.school]
    other = SchoolYear.objects.get(org=cast.other_school)
    r = client.get(reverse("admin:schoolcalendar_schoolyear_change", args=[other.pk]))
    assert r.status_code == 302  # admin redirects a missing object to the index
    add = reverse("admin:schoolcalendar_dayoverride_add")
    r = client.post(add, {"org": "", "date": "2025-11-12", "kind": "holiday", "name": "x"})
    assert r.status_code == 200 and not DayOverride.objects.exists()  # global rows: superuser
    r = client.post(add, {"org": cast.other_school.pk, "date": "2025-11-12", "kind": "holiday"})
    assert r.status_code == 200 and not DayOverride.objects.exists()
    r = client.post(add, {"org": cast.school.pk, "date": "2025-11-12", "kind": "holiday"})
    assert r.status_code == 302 and DayOverride.objects.get().org == cast.school


def test_teacher_with_staff_flag_cannot_use_calendar_admin(client, cast):
    cast.teacher.is_staff = True
    cast.teacher.save()
    client.force_login(cast.teacher)
    r = client.get(reverse("admin:schoolcalendar_schoolyear_changelist"))
    assert r.status_code == 403
