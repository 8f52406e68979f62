"""Monthly figures from an Excel (.xlsx) or .csv sheet, with the roster import's discipline:
every error named by sheet row and column, and nothing written unless the whole file is good.

Columns (header row found anywhere in the first 30 rows; the roster's helpers read the file):
科室, 指标 (required), 月份 (2026-03, 2026年3月, an Excel date; or 年份 + 月份 as numbers),
数值 (direct values), 分子 and 分母 (rates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction

from keshi.documents.archive import UploadLimits
from keshi.indicators.models import Indicator
from keshi.indicators.services import Figures, check_figures, parse_number, write_figures
from keshi.org.models import Org
from keshi.org.roster import (
    RosterFileError,
    RowError,
    clean_text,
    find_header,
    header_key,
    parse_date,
    read_cells,
)

ALIASES = {
    "group": ("科室", "部门", "科室名称", "department"),
    "indicator": ("指标", "指标名称", "indicator"),
    "year": ("年份", "年", "year"),
    "month": ("月份", "月", "期间", "统计月份", "month"),
    "value": ("数值", "实际值", "完成值", "value"),
    "numerator": ("分子", "numerator"),
    "denominator": ("分母", "denominator"),
}
HEADERS = {name: aliases[0] for name, aliases in ALIASES.items()}
INDEX = {header_key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass
class ImportRow:
    row: int
    indicator: Indicator
    year: int
    month: int
    figures: Figures


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    sheet: str = ""

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "errors": [e.as_dict() for e in self.errors],
        }


def _month(raw: dict, headers: dict) -> tuple[int, int]:
    """(year, month) from 月份 alone or 年份 + 月份; ValueError names the column."""
    month_cell, year_cell = raw.get("month"), raw.get("year")
    if (
        isinstance(month_cell, int | float)
        and not isinstance(month_cell, bool)
        and (1 <= month_cell <= 12 and float(month_cell).is_integer())
    ):
        if year_cell in (None, ""):
            raise ValueError(headers.get("year", HEADERS["year"]), "只填了月份，缺少年份")
        try:
            return int(float(clean_text(year_cell))), int(month_cell)
        except ValueError:
            raise ValueError(headers["year"], f"无法识别的年份“{clean_text(year_cell)}”") from None
    text = clean_text(month_cell)
    if year_cell not in (None, "") and text.rstrip("月").isdigit():
        return _month({"month": int(text.rstrip("月")), "year": year_cell}, headers)
    try:
        day: date = parse_date(month_cell)
    except ValueError as exc:
        raise ValueError(headers["month"], str(exc)) from None
    return day.year, day.month


def read_figures(filename: str, data: bytes, *, org: Org) -> ImportResult:
    """Parse and check; errors are collected, never raised."""
    result = ImportResult()
    try:
        found = None
        for title, rows in read_cells(filename, data, limits=UploadLimits.from_settings(settings)):
            found = find_header(rows, INDEX, frozenset({"indicator"}))
            if found:
                result.sheet = title
                break
    except RosterFileError as exc:
        result.errors.append(RowError(None, "", str(exc)))
        return result
    if not found:
        result.errors.append(RowError(None, "", "未找到表头行（表头须包含“指标”列）"))
        return result
    header_row, cells, body = found
    columns = {i: INDEX[header_key(c)] for i, c in enumerate(cells) if header_key(c) in INDEX}
    headers = {name: clean_text(cells[i]) for i, name in columns.items()}
    if "month" not in headers:
        result.errors.append(RowError(header_row, "", "缺少“月份”列"))
    if not {"value", "numerator"} & set(headers):
        result.errors.append(RowError(header_row, "", "缺少“数值”或“分子/分母”列"))
    if result.errors:
        return result
    indicators = list(Indicator.objects.filter(org=org).select_related("group"))
    by_pair = {(i.group.name, i.name): i for i in indicators}
    by_name: dict[str, list[Indicator]] = {}
    for i in indicators:
        by_name.setdefault(i.name, []).append(i)
    seen: dict[tuple[int, int, int], int] = {}
    for number, row in body:
        raw = {name: row[i] if i < len(row) else None for i, name in columns.items()}
        if all(clean_text(v) == "" for v in raw.values()):
            continue
        errors_before = len(result.errors)

        def error(name: str, message: str, number=number) -> None:
            result.errors.append(RowError(number, headers.get(name, HEADERS[name]), message))

        group_name, name = clean_text(raw.get("group")), clean_text(raw.get("indicator"))
        indicator = None
        if not name:
            error("indicator", "请填写指标名称")
        elif group_name:
            indicator = by_pair.get((group_name, name))
            if indicator is None:
                error("indicator", f"科室“{group_name}”没有指标“{name}”")
        else:
            matches = by_name.get(name, [])
            if len(matches) == 1:
                indicator = matches[0]
            elif not matches:
                error("indicator", f"本单位没有指标“{name}”")
            else:
                error("group", f"多个科室都有指标“{name}”，请填写科室")
        try:
            year, month = _month(raw, headers)
            if not 2000 <= year <= 2100:
                raise ValueError(headers["month"], f"年份{year}超出范围")
        except ValueError as exc:
            column, message = exc.args if len(exc.args) == 2 else (headers["month"], str(exc))
            result.errors.append(RowError(number, column, message))
            year = month = None
        figures = Figures()
        for field_name in ("value", "numerator", "denominator"):
            if field_name in headers:
                try:
                    setattr(figures, field_name, parse_number(raw.get(field_name)))
                except ValueError as exc:
                    error(field_name, str(exc))
        if indicator is not None and len(result.errors) == errors_before:
            if figures.blank:
                error("numerator" if indicator.is_rate else "value", "没有填写数值")
            for field_name, message in check_figures(indicator, figures).items():
                error(field_name, message)
            key = (indicator.pk, year, month)
            if key in seen:
                error("month", f"与第{seen[key]}行重复（同一指标同一月份）")
            seen.setdefault(key, number)
        if len(result.errors) == errors_before:
            result.rows.append(ImportRow(number, indicator, year, month, figures))
    if not result.rows and not result.errors:
        result.errors.append(RowError(None, "", "文件中没有数据行"))
    return result


def import_figures(
    filename: str, data: bytes, *, org: Org, by, dry_run: bool = False
) -> ImportResult:
    """Read, then write everything in one transaction — or nothing, if any row has an error.
    ``dry_run`` counts what would be created and updated."""
    result = read_figures(filename, data, org=org)
    if result.errors:
        return result
    with transaction.atomic():
        saved = write_figures(
            [(r.indicator, r.year, r.month, r.figures) for r in result.rows], by=by
        )
        result.created, result.updated = saved.created, saved.updated
        if dry_run:
            transaction.set_rollback(True)
    return result
