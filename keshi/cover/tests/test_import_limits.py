"""Issue #19 item 1: the timetable import reads through the roster's capped reader; every
sheet it reads counts towards the row limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.cover.imports import import_timetable
from keshi.cover.models import TimetableEntry
from keshi.cover.tests.test_import import GOOD, xlsx
from keshi.records.tests import bombs

pytestmark = pytest.mark.django_db


def test_rows_over_the_limit_are_refused(cast, term, settings):
    settings.KESHI_IMPORT_MAX_ROWS = 8
    homerooms = [["班级", "班主任"], *([f"高一({i})班", "张老师"] for i in range(1, 6))]
    report = import_timetable(
        org=cast.school, term=term, filename="课表.xlsx", data=xlsx(GOOD, homerooms)
    )
    assert [e.message for e in report.errors] == [
        "工作表“班主任”超过 8 行的上限（含空行，各工作表合计）；请删除多余的行，或分成几个文件导入"
    ]
    assert not TimetableEntry.objects.exists()


def test_bomb_is_refused(cast, term):
    bomb = bombs.xlsx(GOOD, padding=3 * bombs.MB)
    report = import_timetable(org=cast.school, term=term, filename="课表.xlsx", data=bomb)
    assert "压缩比" in report.errors[0].message


def test_upload_over_the_size_limit_is_refused(client, cast, term, settings, tmp_path):
    settings.KESHI_MAX_UPLOAD_BYTES = 1000
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.office)
    response = client.post(
        reverse("cover:timetable_import") + f"?org={cast.school.code}",
        {"term": term.pk, "file": SimpleUploadedFile("课表.csv", b"x" * 2000)},
    )
    assert response.status_code == 200 and "文件过大" in response.content.decode()
