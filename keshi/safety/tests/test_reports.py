"""Reporting a 不良事件 and the list: the form, the API, pagination, search, empty states and
the hospital menu."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from keshi.accounts.models import ApiToken
from keshi.records.tests.hospital_world import build_hospital
from keshi.safety.models import IncidentReport
from keshi.web.context import nav_items

pytestmark = pytest.mark.django_db
NEW, LIST = reverse("safety:new"), reverse("safety:index")


@pytest.fixture
def world():
    return build_hospital()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**extra) -> dict:
    return {
        "occurred_on": "2026-10-08",
        "place": "神经内科病房",
        "category": "fall",
        "severity": "3",
        "title": "患者如厕时滑倒",
        "description": "8床患者夜间如厕滑倒，无外伤，已告知家属。",
        "measures": "加设防滑垫，夜间加强巡视。",
    } | extra


def test_a_doctor_reports_from_their_department(world):
    client = logged_in(world.doctor)
    page = client.get(NEW).content.decode()
    assert "只有您、所在科室的科主任和医务科可以查看" in page
    response = client.post(NEW, form(department=str(world.neuro.pk)))
    report = IncidentReport.objects.get()
    assert response.url == reverse("safety:detail", args=[report.pk])
    assert (report.org, report.department, report.reporter) == (
        world.org,
        world.neuro,
        world.doctor.person,
    )
    assert report.status == "submitted" and report.created_by == world.doctor


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "这个字段是必填项"),
        ({"severity": "9"}, "选择一个有效的选项"),
        ({"occurred_on": str(timezone.localdate() + timedelta(days=3))}, "发生日期不能晚于今天"),
    ],
)
def test_a_bad_report_is_refused_in_chinese(world, change, message):
    client = logged_in(world.doctor)
    body = client.post(NEW, form(department=str(world.neuro.pk), **change)).content.decode()
    assert message in body
    assert not IncidentReport.objects.exists()


def test_a_department_that_is_not_the_reporters_is_refused(world):
    body = logged_in(world.doctor).post(NEW, form(department=str(world.cardio.pk)))
    assert "选择一个有效的选项" in body.content.decode()
    assert not IncidentReport.objects.exists()


def test_only_hospital_staff_report(world, cast):
    assert logged_in(cast.teacher).get(NEW).status_code == 403
    assert logged_in(world.office).get(NEW).status_code == 403  # 医务科 receives, has no person
    body = logged_in(world.office).get(LIST).content.decode()
    assert "还没有不良事件报告" in body and "上报不良事件</a>" not in body


def test_the_empty_list_says_how_to_report(world):
    body = logged_in(world.doctor).get(LIST).content.decode()
    assert "还没有您可以查看的不良事件报告" in body
    assert f'href="{NEW}"' in body


def _many(world, n: int) -> None:
    today = timezone.localdate()
    IncidentReport.objects.bulk_create(
        IncidentReport(
            org=world.org,
            department=world.neuro,
            reporter=world.doctor.person,
            occurred_on=today - timedelta(days=i),
            category="drug" if i % 2 else "nursing",
            severity="4",
            title=f"第{i}号事件" + ("用药" if i % 2 else "护理"),
            description="经过",
        )
        for i in range(n)
    )


def test_the_list_paginates_searches_and_filters(world):
    _many(world, 25)
    client = logged_in(world.office)
    first = client.get(LIST).content.decode()
    assert len(re.findall(r'href="/safety/\d+/"', first)) == 20
    assert "第0号事件护理" in first and "第24号事件护理" not in first
    assert "第24号事件护理" in client.get(LIST, {"page": 2}).content.decode()
    found = client.get(LIST, {"q": "第3号"}).content.decode()
    assert "第3号事件用药" in found and "第4号事件护理" not in found
    drugs = client.get(LIST, {"category": "drug"}).content.decode()
    assert "第1号事件用药" in drugs and "第2号事件护理" not in drugs
    nothing = client.get(LIST, {"q": "没有这种事"}).content.decode()
    assert "没有符合条件的报告" in nothing and "清除筛选" in nothing
    assert client.get(LIST, {"page": "x", "severity": "<script>"}).status_code == 200


def test_the_api_takes_a_report_from_the_reporter_only(world, cast):
    body = form()
    for user, status in ((world.nurse, 201), (world.office, 403), (cast.teacher, 403)):
        headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
        response = Client().post(
            "/api/v1/incident-reports", body, content_type="application/json", headers=headers
        )
        assert response.status_code == status, response.content
    report = IncidentReport.objects.get()
    assert (report.reporter, report.department) == (world.nurse.person, world.neuro)


def test_the_hospital_menu_has_it_and_a_schools_does_not(world, cast):
    def labels(user) -> set[str]:
        return {c.label for item in nav_items(user) for c in [item, *item.children]}

    for user in (world.doctor, world.head, world.office):
        assert "不良事件上报" in labels(user)
    assert "不良事件上报" not in labels(cast.teacher)
    assert "不良事件上报" not in labels(cast.office)
