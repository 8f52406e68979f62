"""Issue #19 item 1 for the spreadsheet imports (roster here; records, indicators and timetables
read through the same keshi.org.roster.read_cells): the archive is checked before openpyxl
opens it, rows and columns are capped while reading, and the preview is paginated."""

import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.org import roster
from keshi.org.models import Person
from keshi.org.tests.test_roster_parse import csv_bytes, xlsx_bytes
from keshi.records.tests import bombs
from keshi.records.uploads import UploadLimits

IMPORT = reverse("roster:import")


@pytest.fixture(autouse=True)
def _web_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def preview(client, cast, data: bytes, name: str = "名册.xlsx", page: str = ""):
    client.force_login(cast.office)
    response = client.post(IMPORT, {"org": "demo", "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()
    return client.get(response.url + (f"?page={page}" if page else ""))


def people(n: int) -> list[list]:
    return [["工号", "姓名"], *([f"S{i:04d}", f"教师{i}"] for i in range(n))]


def messages(response) -> list[str]:
    return [e.message for e in response.context["report"].errors]


def test_rows_over_the_limit_are_refused_naming_it(client, cast, settings):
    settings.KESHI_IMPORT_MAX_ROWS = 20
    response = preview(client, cast, xlsx_bytes(people(30)))
    assert any("超过 20 行" in m for m in messages(response))
    assert "超过 20 行" in response.content.decode()
    assert not response.context["report"].rows
    assert client.post(response.wsgi_request.path).status_code == 200  # confirm: still refused
    assert not Person.objects.filter(staff_no__startswith="S0").exists()


def test_csv_rows_over_the_limit_are_refused(client, cast, settings):
    settings.KESHI_IMPORT_MAX_ROWS = 20
    response = preview(client, cast, csv_bytes(people(30)), name="名册.csv")
    assert any("超过 20 行" in m for m in messages(response))


def test_a_cell_at_the_last_row_stops_the_reader_at_the_cap():
    """A 5 KB file claiming A1:XFD1048576 with a cell on row 1048576: before, the reader
    filled a million empty rows (and a million-by-16384 grid when it trusted the dimension)."""
    data = bombs.far_cell_xlsx(people(3))
    started = time.monotonic()
    parsed = roster.read_roster("名册.xlsx", data, today=date(2026, 3, 1))
    assert time.monotonic() - started < 3
    assert [e.message for e in parsed.errors] == [
        "工作表“Sheet”超过 10000 行的上限（含空行）；请删除多余的行，或分成几个文件导入"
    ]


def test_columns_over_the_limit_are_refused(client, cast):
    rows = people(3)
    rows[2] = rows[2] + [None] * 120 + ["远处的备注"]
    response = preview(client, cast, xlsx_bytes(rows))
    assert messages(response) == ["工作表“Sheet”第3行超过 100 列的上限；请删除多余的列后再导入"]


def test_blank_cells_far_right_do_not_count_as_columns():
    rows = people(3)
    rows[1] = rows[1] + [None] * 300
    parsed = roster.read_roster("r.csv", csv_bytes(rows), today=date(2026, 3, 1))
    assert not parsed.errors and len(parsed.rows) == 3


def test_bomb_is_refused_before_openpyxl_opens_it(client, cast):
    bomb = bombs.xlsx(people(3), padding=3 * bombs.MB)
    response = preview(client, cast, bomb)
    assert any("压缩比" in m and "100:1" in m for m in messages(response))


def test_limits_are_passed_to_every_reader():
    limits = UploadLimits(rows=5, columns=3)
    with pytest.raises(roster.RosterFileError, match="超过 5 行"):
        for _title, rows in roster.read_cells("r.xlsx", xlsx_bytes(people(10)), limits=limits):
            list(rows)


def test_preview_is_paginated(client, cast):
    response = preview(client, cast, xlsx_bytes(people(150)))
    html = response.content.decode()
    assert response.context["report"].created == 150
    assert html.count('<tr class="roster-row') == 100
    assert "第 1–100 条，共 150 条" in html
    second = client.get(response.wsgi_request.path + "?page=2").content.decode()
    assert second.count('<tr class="roster-row') == 50 and "S0149" in second


def test_error_list_is_capped(client, cast):
    rows = [
        ["工号", "姓名", "出生年月"],
        *([f"S{i:04d}", f"教师{i}", "2099-01-01"] for i in range(250)),
    ]
    response = preview(client, cast, xlsx_bytes(rows))
    html = response.content.decode()
    assert len(response.context["report"].errors) == 250
    assert html.count('<tr class="import-error') == 200
    assert "另有 50 处错误未显示" in html
