import io
from datetime import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from keshi.calendar.services import create_school_year
from keshi.indicators.models import Actual, Indicator
from keshi.plans.models import Plan, Suggestion


def _users(cast, hospital):
    return {
        "hospital_office": hospital.office, "head": hospital.head, "staff": hospital.staff,
        "cardio_head": hospital.cardio_head, "district": cast.district, "teacher": cast.teacher,
        "office": cast.office, "outsider": cast.outsider,
    }  # fmt: skip


READ_DETAIL = {"hospital_office": 200, "head": 200, "staff": 200, "cardio_head": 404,
               "district": 200, "teacher": 404, "office": 404, "outsider": 404}  # fmt: skip
ENTER = {"hospital_office": 200, "head": 200, "staff": 404, "cardio_head": 404,
         "district": 404, "teacher": 404, "office": 404, "outsider": 404}  # fmt: skip


@pytest.mark.parametrize("who", READ_DETAIL)
def test_detail_and_index_scoping(client, cast, hospital, who):
    Actual.objects.create(indicator=hospital.stay, year=2026, month=1, value=D("9.5"),
                          entered_at=timezone.now())  # fmt: skip
    client.force_login(_users(cast, hospital)[who])
    url = reverse("indicators:detail", args=[hospital.stay.pk]) + "?year=2026"
    response = client.get(url)
    assert response.status_code == READ_DETAIL[who]
    if response.status_code == 200:
        assert (
            "平均住院日" in response.content.decode() and "chart-data" in response.content.decode()
        )
    index = client.get(reverse("indicators:index") + f"?org={hospital.org.pk}&year=2026")
    expected = (
        200 if who in ("hospital_office", "head", "staff", "cardio_head", "district") else 404
    )
    assert index.status_code == expected
    if who == "cardio_head":
        assert "平均住院日" not in index.content.decode()
    if who == "head":
        assert "上报率" in index.content.decode() and "9.5" in index.content.decode()


@pytest.mark.parametrize("who", ENTER)
def test_entry_grid_scoping_and_saving(client, cast, hospital, who):
    client.force_login(_users(cast, hospital)[who])
    url = reverse("indicators:entry") + f"?group={hospital.neuro.pk}&year=2026"
    assert client.get(url).status_code == ENTER[who]
    if ENTER[who] != 200:
        return
    data = {"group": hospital.neuro.pk, "year": 2026, f"value-{hospital.stay.pk}-2": "8.6",
            f"numerator-{hospital.occupancy.pk}-2": "1000",
            f"denominator-{hospital.occupancy.pk}-2": "1200"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    assert Actual.objects.get(indicator=hospital.stay, month=2).value == D("8.6")
    data[f"value-{hospital.stay.pk}-3"] = "-1"
    response = client.post(url, data)
    assert response.status_code == 200 and "不能为负数" in response.content.decode()
    assert not Actual.objects.filter(month=3).exists()


def test_cardio_head_cannot_post_into_neuro(client, hospital):
    client.force_login(hospital.cardio_head)
    url = reverse("indicators:entry") + f"?group={hospital.neuro.pk}"
    response = client.post(url, {"group": hospital.neuro.pk, f"value-{hospital.stay.pk}-2": "1"})
    assert response.status_code == 404 and not Actual.objects.exists()


def test_create_from_plan_target(client, cast, hospital):
    year = create_school_year(org=hospital.org, start_year=2026)
    plan = Plan.objects.create(org=hospital.org, title="计划", school_year=year,
                               group=hospital.cardio)  # fmt: skip
    data = {"source": "患者满意度不低于90%", "metric": "患者满意度", "value": 90, "op": ">=",
            "unit": "%", "period": None}  # fmt: skip
    s = Suggestion.objects.create(plan=plan, kind="target", source=data["source"], data=data)
    url = reverse("indicators:from_target", args=[s.pk])
    client.force_login(hospital.head)
    assert (
        client.post(url, {"org": hospital.org.pk, "group": hospital.cardio.pk}).status_code == 404
    )
    client.force_login(hospital.office)
    page = client.get(reverse("indicators:index") + f"?org={hospital.org.pk}").content.decode()
    assert "从计划指标创建" in page and "患者满意度不低于90%" in page
    client.post(url, {"org": hospital.org.pk, "group": hospital.cardio.pk})
    ind = Indicator.objects.get(name="患者满意度")
    assert ind.group == hospital.cardio and ind.kind == "rate" and ind.target == 90


def test_import_preview_then_confirm(client, cast, hospital):
    wb = Workbook()
    wb.active.append(["科室", "指标", "月份", "数值"])
    wb.active.append(["神经内科", "平均住院日", "2026-01", 8.8])
    buffer = io.BytesIO()
    wb.save(buffer)
    url = reverse("indicators:import") + f"?org={hospital.org.pk}"
    client.force_login(hospital.head)
    assert client.get(url).status_code == 404
    client.force_login(hospital.office)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "a.xlsx"
    response = client.post(url, {"org": hospital.org.pk, "file": upload})
    assert "检查通过" in response.content.decode() and not Actual.objects.exists()
    response = client.post(reverse("indicators:import_confirm"))
    assert response.status_code == 302 and Actual.objects.get().value == D("8.8")


def test_compare_departments(client, cast, hospital):
    other = Indicator.objects.create(org=hospital.org, group=hospital.cardio, name="平均住院日",
                                     unit="天", comparator="<=", target=D(9))  # fmt: skip
    for ind, value in ((hospital.stay, "8.0"), (other, "9.9")):
        Actual.objects.create(indicator=ind, year=2026, month=1, value=D(value),
                              entered_at=timezone.make_aware(datetime(2026, 2, 1)))  # fmt: skip
    client.force_login(cast.district)
    page = client.get(reverse("indicators:compare") + f"?org={hospital.org.pk}&year=2026")
    text = page.content.decode()
    assert "心血管内科" in text and "神经内科" in text and "9.9" in text
