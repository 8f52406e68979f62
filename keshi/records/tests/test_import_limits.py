"""Issue #19 item 1: the records import reads through the roster's capped reader, with the
limits from settings, refuses a compressed bomb before openpyxl opens it, and its preview is
paginated."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.records.imports import import_records
from keshi.records.models import Activity
from keshi.records.tests import bombs
from keshi.records.tests.test_import import HEADER, xlsx

pytestmark = pytest.mark.django_db
ROW = ["T001", "张老师", "听课", "2026-03-02", 1, "春", "李老师", None, None, None]


def test_rows_over_the_limit_are_refused(cast, settings):
    settings.KESHI_IMPORT_MAX_ROWS = 10
    report = import_records(
        org=cast.school, filename="r.xlsx", data=xlsx([ROW] * 12), today=date(2026, 3, 31)
    )
    assert [e.message for e in report.errors] == [
        "工作表“Sheet”超过 10 行的上限（含空行）；请删除多余的行，或分成几个文件导入"
    ]
    assert not Activity.objects.exists()


def test_bomb_is_refused(cast):
    bomb = bombs.xlsx([HEADER, ROW], padding=3 * bombs.MB)
    report = import_records(org=cast.school, filename="r.xlsx", data=bomb)
    assert "压缩比" in report.errors[0].message


def test_preview_is_paginated(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rows = [[None, "张老师", "听课", "2026-03-02", 1, f"课{i}", "李老师"] for i in range(150)]
    client.force_login(cast.office)
    response = client.post(
        reverse("records:import"),
        {"org": cast.school.code, "file": SimpleUploadedFile("r.xlsx", xlsx(rows))},
    )
    assert response.status_code == 302, response.content.decode()
    html = client.get(response["Location"]).content.decode()
    assert html.count('<tr class="import-row') == 100 and "第 1–100 条，共 150 条" in html
    second = client.get(response["Location"] + "?page=2").content.decode()
    assert second.count('<tr class="import-row') == 50
