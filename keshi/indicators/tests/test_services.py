import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from keshi.calendar.services import create_school_year
from keshi.indicators.imports import import_figures
from keshi.indicators.models import Actual, Indicator
from keshi.indicators.selectors import reporting
from keshi.indicators.services import indicator_from_target, save_grid
from keshi.plans.models import Plan, Suggestion


def _suggestion(org, data):
    year = create_school_year(org=org, start_year=2026)
    plan = Plan.objects.create(org=org, title="神经内科工作计划", school_year=year)
    return Suggestion.objects.create(
        plan=plan, kind=Suggestion.Kind.TARGET, source=data["source"], data=data
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"source": "床位使用率达到85%以上", "metric": "床位使用率", "value": 85, "op": ">=",
          "unit": "%", "period": None}, ("床位使用率", "rate", ">=", D(85), None, "higher")),
        ({"source": "平均住院日不超过9天", "metric": "平均住院日", "value": 9, "op": "<=",
          "unit": "天", "period": None}, ("平均住院日", "value", "<=", D(9), None, "lower")),
        ({"source": "门诊人次较上年增长20%", "metric": "门诊人次较上年增长", "value": 20,
          "op": ">=", "unit": "%", "period": "year"}, ("门诊人次", "value", ">=", D(0), D(20), "higher")),
        ({"source": "院感发生率不足1%", "metric": "院感发生率不足", "value": 1, "op": "<",
          "unit": "%", "period": None}, ("院感发生率", "rate", "<", D(1), None, "lower")),
    ],
)  # fmt: skip
def test_indicator_from_target(hospital, data, expected):
    suggestion = _suggestion(hospital.org, data)
    ind = indicator_from_target(suggestion, group=hospital.cardio, by=hospital.office)
    name, kind, comparator, target, growth, direction = expected
    assert (ind.name, ind.kind, ind.comparator, ind.target, ind.growth, ind.direction) == (
        name, kind, comparator, target, growth, direction
    )  # fmt: skip
    assert ind.source_text == data["source"] and ind.org == hospital.org
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ACCEPTED
    assert suggestion.data["review"]["indicator"] == ind.pk
    if name == "门诊人次":
        assert ind.unit == "人次"
    with pytest.raises(ValidationError):  # answered already
        indicator_from_target(suggestion, group=hospital.cardio, by=hospital.office)


def test_indicator_from_target_needs_the_office(hospital, cast):
    data = {"source": "满意度不低于90%", "metric": "满意度", "value": 90, "op": ">=", "unit": "%"}
    suggestion = _suggestion(hospital.org, data)
    for user in (hospital.head, cast.office):
        with pytest.raises(PermissionDenied):
            indicator_from_target(suggestion, group=hospital.neuro, by=user)
    with pytest.raises(ValidationError):
        indicator_from_target(suggestion, group=cast.group, by=hospital.office)
    assert not Indicator.objects.filter(name="满意度").exists()


def test_grid_is_all_or_nothing(hospital):
    inds = [hospital.occupancy, hospital.stay]
    cells = {
        (hospital.occupancy.pk, 1): {"numerator": "1100", "denominator": "1300"},
        (hospital.stay.pk, 1): {"value": "8.5"},
        (hospital.stay.pk, 2): {"value": "abc"},
        (hospital.occupancy.pk, 2): {"numerator": "5", "denominator": "0"},
    }
    result = save_grid(user=hospital.head, year=2026, cells=cells, indicators=inds)
    assert set(result.errors) == {(hospital.stay.pk, 2, "value"),
                                  (hospital.occupancy.pk, 2, "denominator")}  # fmt: skip
    assert not Actual.objects.exists()
    del cells[(hospital.stay.pk, 2)], cells[(hospital.occupancy.pk, 2)]
    result = save_grid(user=hospital.head, year=2026, cells=cells, indicators=inds)
    assert (result.created, result.errors) == (2, {})
    with pytest.raises(PermissionDenied):
        save_grid(user=hospital.cardio_head, year=2026, cells=cells, indicators=inds)


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["神经内科月度指标"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HEADER = ["科室", "指标", "月份", "数值", "分子", "分母"]


def test_import_names_every_error_by_row_and_column(hospital):
    data = _xlsx([
        HEADER,
        ["神经内科", "床位使用率", "2026-01", None, 1100, 1300],
        ["神经内科", "平均住院日", "2026年13月", 8.5, None, None],
        ["神经内科", "床位使用率", "2026-02", None, 1100, None],
        ["神经内科", "不存在的指标", "2026-03", 1, None, None],
        ["神经内科", "平均住院日", "2026-01", "八点五", None, None],
        ["神经内科", "床位使用率", date(2026, 1, 1), None, 1, 2],
    ])  # fmt: skip
    result = import_figures("a.xlsx", data, org=hospital.org, by=None)
    errors = [(e.row, e.column) for e in result.errors]
    assert errors == [(4, "月份"), (5, "分母"), (6, "指标"), (7, "数值"), (8, "月份")]
    assert "重复" in result.errors[-1].message and "第3行" in result.errors[-1].message
    assert not Actual.objects.exists()


def test_import_command_json_and_dry_run(hospital, tmp_path):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(_xlsx([
        HEADER,
        ["神经内科", "床位使用率", "2026-01", None, 1100, 1300],
        ["", "平均住院日", "2026-01", 8.5, None, None],
    ]))  # fmt: skip
    out = io.StringIO()
    call_command("import-indicators", str(path), "--org", "hosp", "--dry-run", "--format", "json",
                 stdout=out)  # fmt: skip
    assert json.loads(out.getvalue()) == {"created": 2, "updated": 0, "errors": []}
    assert not Actual.objects.exists()
    call_command("import-indicators", str(path), "--org", "hosp", stdout=io.StringIO())
    assert Actual.objects.count() == 2
    path.write_bytes(_xlsx([HEADER, ["神经内科", "床位使用率", "2026-01", None, 1200, 1300],
                            ["神经内科", "床位使用率", "2026-02", None, 2, 1]]))  # fmt: skip
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-indicators", str(path), "--org", "hosp", "--format", "json",
                     stdout=out)  # fmt: skip
    answer = json.loads(out.getvalue())
    assert answer["errors"] == [
        {
            "row": 4,
            "column": "分子",
            "message": "分子不能大于分母（可超过100%的指标请在指标设置中勾选）",
        }
    ]
    assert Actual.objects.get(indicator=hospital.occupancy, month=1).numerator == 1100


def test_reporting_and_on_time_rates(hospital, settings):
    from datetime import datetime

    from django.utils import timezone

    def enter(ind, month, day, **figures):
        at = timezone.make_aware(datetime(2026, month + 1, day, 9))
        Actual.objects.create(indicator=ind, year=2026, month=month, entered_at=at, **figures)

    enter(hospital.stay, 1, 5, value=D(8))
    enter(hospital.stay, 2, 12, value=D(8))  # late
    enter(hospital.occupancy, 1, 10, numerator=D(1), denominator=D(2))  # the 10th is on time
    enter(hospital.occupancy, 2, 3, numerator=D(1))  # incomplete: not reported
    rep = reporting(list(Indicator.objects.all()), 2026, date(2026, 3, 15))[hospital.neuro.pk]
    assert (rep.expected, rep.entered, rep.on_time) == (6, 3, 2)
    assert rep.rate == D("50.0") and rep.on_time_rate == D("33.3")
    settings.KESHI_INDICATOR_DUE_DAY = 15
    rep = reporting(list(Indicator.objects.all()), 2026, date(2026, 3, 15))[hospital.neuro.pk]
    assert rep.on_time == 3
