"""The matrix as .xlsx: Chinese headers, value/target cells coloured by status, scoped."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keshi.calendar.services import create_school_year
from keshi.org.tests.factories import PersonFactory
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.exports import FILLS
from keshi.rules.status import Status
from keshi.rules.tests.factories import RequirementFactory
from keshi.web.tests.pages import get

pytestmark = pytest.mark.django_db
EXPORT = reverse("rules:compliance_export")


@pytest.fixture
def school(cast):
    create_school_year(
        org=cast.school, start_year=2026, first_start=date(2026, 9, 1), first_end=date(2027, 1, 22)
    )
    RequirementFactory(org=cast.school, name="听课", threshold=2, kinds=[kind("observation")])
    PersonFactory(org=cast.school, name="数学老师", staff_no="M001")
    for d in (date(2026, 9, 8), date(2026, 9, 9)):
        ActivityFactory(person=cast.teacher.person, date=d)


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def test_office_export_has_headers_values_and_colours(client, cast, school):
    wb = sheet(get(client, cast.office, EXPORT, at="2026-11-26"))
    ws = wb["达标情况"]
    assert "示范中学" in ws["A1"].value and "2026-11-26" in ws["A1"].value
    assert [c.value for c in ws[3]] == ["工号", "姓名", "教研组", "听课（每学期2节）"]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=4)}
    assert set(rows) == {"张老师", "李老师", "王组长", "数学老师"}
    met = rows["张老师"][3]
    assert met.value == "2/2 已完成" and met.fill.fgColor.rgb.endswith(FILLS[Status.MET])
    behind = rows["数学老师"][3]
    assert behind.value == "0/2 进度落后"
    assert behind.fill.fgColor.rgb.endswith(FILLS[Status.BEHIND])
    assert rows["张老师"][2].value == "语文组" and rows["数学老师"][0].value == "M001"
    summary = wb["汇总"]
    assert [c.value for c in summary[1]][:4] == ["量化要求", "周期", "本期", "已完成"]
    assert [c.value for c in summary[2]][:7] == ["听课", "每学期", "本学期", 1, 0, 3, 0]
    assert summary.cell(row=2, column=8).value == 0.25


def test_lead_exports_only_their_group(client, cast, school):
    ws = sheet(get(client, cast.lead, EXPORT, at="2026-11-26"))["达标情况"]
    assert {r[1].value for r in ws.iter_rows(min_row=4)} == {"张老师", "李老师", "王组长"}


def test_export_follows_the_filters(client, cast, school):
    r = get(client, cast.office, EXPORT, at="2026-11-26", status="met")
    ws = sheet(r)["达标情况"]
    assert [r[1].value for r in ws.iter_rows(min_row=4)] == ["张老师"]


@pytest.mark.parametrize("who", ["teacher", "outsider"])
def test_others_may_not_export(client, cast, school, who):
    r = get(client, getattr(cast, who), EXPORT, org=cast.school.pk)
    assert r.status_code == 404
