"""不良事件 reports are confidential to the reporter, the head of their 科室 and the 医务科 — on
the pages and in the API. Everyone else (a colleague, another department's head and doctor, the
院长, another hospital's staff and office) sees neither the row in the list nor the report."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from keshi.accounts.models import ApiToken
from keshi.records.tests.hospital_world import build_hospital
from keshi.safety import services

pytestmark = pytest.mark.django_db
ALLOWED = ("doctor", "head", "office")
REFUSED = ("nurse", "cardio_head", "cardio_doctor", "leader", "stranger", "stranger_office")
TITLE = "输液泵报警未及时处理"


@pytest.fixture
def world():
    return build_hospital()


@pytest.fixture
def report(world):
    return services.report_incident(
        reporter=world.doctor.person,
        by=world.doctor,
        department=world.neuro,
        occurred_on=date(2026, 10, 8),
        category="device",
        severity="3",
        title=TITLE,
        description="12床输液泵报警约十分钟后才处理，未造成伤害。",
    )


def _page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user, url: str):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    return Client().get(url, headers=headers)


@pytest.mark.parametrize("who", ALLOWED + REFUSED)
def test_pages_show_the_report_to_those_allowed_only(world, report, who):
    client = _page_client(getattr(world, who))
    listed = TITLE in client.get(reverse("safety:index")).content.decode()
    opened = client.get(reverse("safety:detail", args=[report.pk]))
    assert listed is (who in ALLOWED)
    assert opened.status_code == (200 if who in ALLOWED else 404)
    if who in ALLOWED:
        assert "12床输液泵报警" in opened.content.decode()


@pytest.mark.parametrize("who", ALLOWED + REFUSED)
def test_the_api_shows_the_report_to_those_allowed_only(world, report, who):
    user = getattr(world, who)
    listed = _api(user, "/api/v1/incident-reports")
    assert listed.status_code == 200
    ids = {row["id"] for row in listed.json()["items"]}
    detail = _api(user, f"/api/v1/incident-reports/{report.pk}")
    if who in ALLOWED:
        assert ids == {report.pk}
        assert detail.status_code == 200 and detail.json()["department"] == "神经内科"
    else:
        assert ids == set()
        assert detail.status_code == 404


def test_only_the_office_handles_a_report(world, report):
    url = reverse("safety:handle", args=[report.pk])
    data = {"status": "closed", "handling": "设备科检修输液泵，科内培训报警处置流程。"}
    assert _page_client(world.head).post(url, data).status_code == 403
    assert _page_client(world.stranger_office).post(url, data).status_code == 404
    report.refresh_from_db()
    assert report.status == "submitted"
    assert _page_client(world.office).post(url, data).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.handled_by) == ("closed", world.office)
    page = _page_client(world.doctor).get(reverse("safety:detail", args=[report.pk]))
    assert "设备科检修输液泵" in page.content.decode()  # the reporter reads the outcome
    assert 'id="handle-form"' not in page.content.decode()


def test_a_report_follows_its_department_not_the_reporters_later_moves(world, report):
    world.doctor.person.memberships.update(group=world.cardio)  # moved to 心内科 afterwards
    cardio_head = _page_client(world.cardio_head)
    assert cardio_head.get(reverse("safety:detail", args=[report.pk])).status_code == 404
    head = _page_client(world.head)
    assert head.get(reverse("safety:detail", args=[report.pk])).status_code == 200
