"""Issue #19 item 1: the indicator import reads through the roster's capped reader."""

import pytest

from keshi.indicators.imports import read_figures
from keshi.org.tests.test_roster_parse import csv_bytes
from keshi.records.tests import bombs

pytestmark = pytest.mark.django_db
HEADER = ["科室", "指标", "月份", "数值"]


def test_rows_over_the_limit_are_refused(hospital, settings):
    settings.KESHI_IMPORT_MAX_ROWS = 10
    rows = [HEADER] + [["神经内科", "平均住院日", f"2025-{m:02d}", 8.8] for m in range(1, 13)]
    result = read_figures("a.csv", csv_bytes(rows), org=hospital.org)
    assert [e.message for e in result.errors] == [
        "超过 10 行的上限（含空行）；请删除多余的行，或分成几个文件导入"
    ]


def test_bomb_is_refused(hospital):
    bomb = bombs.xlsx([HEADER], padding=3 * bombs.MB)
    assert "压缩比" in read_figures("a.xlsx", bomb, org=hospital.org).errors[0].message
