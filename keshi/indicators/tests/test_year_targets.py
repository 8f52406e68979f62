"""年度目标: an indicator's target set per year; other years keep its default. The year's target
judges that year's months, its year-to-date, its alerts and the 工作总结 line."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from keshi.indicators import alerts, services
from keshi.indicators.models import Actual, Indicator, YearTarget
from keshi.indicators.selectors import rows_for
from keshi.indicators.summary import indicator_summary

pytestmark = pytest.mark.django_db
AT = date(2027, 3, 1)


def _stay(hospital, year: int, values: dict[int, str]) -> None:
    for month, value in values.items():
        Actual.objects.create(
            indicator=hospital.stay, year=year, month=month, value=D(value),
            entered_at=timezone.make_aware(datetime(year, month, 28)),
        )  # fmt: skip


def test_a_year_target_judges_that_year_only(hospital):
    """平均住院日 ≤ 9 by default; for 2026 the department agreed ≤ 8.5."""
    _stay(hospital, 2025, {5: "8.8"})
    _stay(hospital, 2026, {5: "8.8"})
    services.set_year_target(
        indicator=hospital.stay, by=hospital.office, year=2026, comparator="<=", target=D("8.5")
    )
    indicator = Indicator.objects.get(pk=hospital.stay.pk)
    (row_2026,) = rows_for([indicator], 2026, AT)
    (row_2025,) = rows_for([Indicator.objects.get(pk=indicator.pk)], 2025, AT)
    assert (row_2026.months[4].target, row_2026.months[4].status) == (D("8.5"), "missed")
    assert (row_2025.months[4].target, row_2025.months[4].status) == (D(9), "met")
    assert row_2026.last_year[4].target == D(9)  # 2025's months against 2025's target
    assert row_2026.target_text == "≤ 8.5天" and row_2025.target_text == "≤ 9天"
    line = indicator_summary(hospital.org, 2026).lines
    assert [x.target for x in line if x.name == "平均住院日"] == ["≤ 8.5天"]


def test_setting_a_year_again_replaces_it_and_removing_restores_the_default(hospital):
    for target in ("8.5", "8"):
        services.set_year_target(
            indicator=hospital.stay, by=hospital.head, year=2027, comparator="<", target=D(target)
        )
    assert list(YearTarget.objects.values_list("year", "comparator", "target")) == [
        (2027, "<", D(8))
    ]
    assert services.remove_year_target(indicator=hospital.stay, by=hospital.head, year=2027)
    assert Indicator.objects.get(pk=hospital.stay.pk).target_text(2027) == "≤ 9天"


def test_a_growth_target_for_one_year(hospital):
    services.set_year_target(
        indicator=hospital.occupancy, by=hospital.office, year=2026, comparator=">=",
        target=D(0), growth=D(5),
    )  # fmt: skip
    assert Indicator.objects.get(pk=hospital.occupancy.pk).target_text(2026) == (
        "≥ 上年同期 ×1.05（增长5%）"
    )


def test_alerts_use_the_year_target(hospital):
    """8.8 meets the default ≤ 9 but misses 2026's ≤ 8.5: two months in a row raise an alert."""
    _stay(hospital, 2026, {9: "8.8", 10: "8.8"})
    assert not alerts.send_alerts(at=date(2026, 11, 20)).raised
    services.set_year_target(
        indicator=hospital.stay, by=hospital.office, year=2026, comparator="<=", target=D("8.5")
    )
    run = alerts.send_alerts(at=date(2026, 11, 21))
    assert [a.period for a in run.raised] == ["2026-10"]
    assert "≤ 8.5天" in run.raised[0].text


def test_only_the_office_and_the_head_set_year_targets(hospital, cast):
    for user in (hospital.staff, hospital.cardio_head, cast.office, cast.teacher):
        with pytest.raises(PermissionDenied):
            services.set_year_target(
                indicator=hospital.stay, by=user, year=2026, comparator="<=", target=D(8)
            )
    assert not YearTarget.objects.exists()


def test_the_page_sets_and_removes_a_year_target(client, hospital):
    url = reverse("indicators:year_target_set", args=[hospital.stay.pk])
    client.force_login(hospital.head)
    response = client.post(url, {"year": "2026", "comparator": "<=", "target": "8.5"})
    assert response.status_code == 302 and response.url.endswith("?year=2026")
    detail = client.get(response.url)
    assert "≤ 8.5天" in detail.content.decode() and "设定年度目标" in detail.content.decode()
    remove = reverse("indicators:year_target_remove", args=[hospital.stay.pk, 2026])
    assert client.post(remove).status_code == 302 and not YearTarget.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"year": "1990", "comparator": "<=", "target": "8"}, "年度"),
        ({"year": "2026", "comparator": "<=", "target": "-1"}, "目标值不能为负数"),
        ({"year": "2026", "comparator": "~", "target": "8"}, "比较"),
        ({"year": "二〇二六", "comparator": "<=", "target": "8"}, "年度"),
    ],
)
def test_bad_year_targets_are_refused_in_chinese(client, hospital, data, message):
    client.force_login(hospital.office)
    url = reverse("indicators:year_target_set", args=[hospital.stay.pk])
    response = client.post(url, data, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert response.status_code == 200 and "年度目标未保存" in text and message in text
    assert not YearTarget.objects.exists()


def test_others_cannot_reach_the_year_target_pages(client, hospital, cast):
    set_url = reverse("indicators:year_target_set", args=[hospital.stay.pk])
    remove = reverse("indicators:year_target_remove", args=[hospital.stay.pk, 2026])
    for user in (hospital.staff, cast.teacher, cast.office, cast.district):
        client.force_login(user)
        data = {"year": "2026", "comparator": "<=", "target": "8"}
        assert client.post(set_url, data).status_code in (403, 404)
        assert client.post(remove).status_code in (403, 404)
    assert not YearTarget.objects.exists()
    client.force_login(hospital.staff)
    assert (
        "设定年度目标"
        not in client.get(reverse("indicators:detail", args=[hospital.stay.pk])).content.decode()
    )


def test_a_direct_value_needs_a_unit(hospital):
    with pytest.raises(Exception, match="计量单位"):
        services.create_indicator(
            group=hospital.neuro, by=hospital.office, name="手术例数", kind="value", target=D(10)
        )
    assert not Indicator.objects.filter(name="手术例数").exists()
