"""Reading a 成绩表 (.xlsx). Pure: no Django.

Shapes schools use: one sheet per class (the sheet's name is the class), or one sheet with a
班级 column; a 学号 and a 姓名 column; one column per subject, named as the exam names it;
缺考 / 作弊 typed in a score cell; 总分、名次 and other columns may be there and are ignored.

Every bad cell is named by sheet, row and column letter; the caller writes nothing when there
is any error (all-or-nothing). What needs the database (which classes exist, which 学号 already
sit in another class) is passed in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from keshi.documents.archive import DEFAULT_LIMITS, UploadLimits, UploadRejected, check_archive
from keshi.org.roster import clean_text, header_key

ABSENT, CHEATED, SAT = "absent", "cheated", "sat"
MARKS = {"缺考": ABSENT, "缺": ABSENT, "缺席": ABSENT, "作弊": CHEATED, "违纪": CHEATED}
FIXED = {
    "学号": "student_no",
    "考号": "student_no",
    "学籍号": "student_no",
    "姓名": "name",
    "班级": "class_name",
    "班别": "class_name",
}
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str  # letter, "" for the whole sheet or file
    message: str

    @property
    def where(self) -> str:
        parts = [f"工作表“{self.sheet}”"] if self.sheet else []
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"{self.column}列")
        return "".join(parts)

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


@dataclass
class ScoreRow:
    sheet: str
    row: int
    class_name: str
    student_no: str
    name: str
    no_column: str = ""  # the 学号 column's letter
    # subject → (value or None, status)
    scores: dict[str, tuple[Decimal | None, str]] = field(default_factory=dict)


@dataclass
class ParsedScores:
    rows: list[ScoreRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # subject columns found
    sheets: list[str] = field(default_factory=list)


def parse_score(value: Any, full_mark: Decimal) -> tuple[Decimal | None, str]:
    """A cell as (score, status); ValueError with a Chinese message."""
    if isinstance(value, bool):
        raise ValueError("不是分数")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = clean_text(value)
        if text in MARKS:
            return None, MARKS[text]
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{text}”不是分数（可填分数、缺考或作弊）") from None
    if not number.is_finite():
        raise ValueError("不是分数")
    if number < 0:
        raise ValueError(f"分数 {number} 小于 0")
    if number > full_mark:
        raise ValueError(f"分数 {number} 超过满分 {full_mark}")
    return number.quantize(Decimal("0.1")), SAT


def read_scores(
    filename: str,
    data: bytes,
    *,
    subjects: dict[str, Decimal],
    classes: set[str],
    placed: dict[str, str] | None = None,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> ParsedScores:
    """Parse a score workbook. ``subjects``: subject → full mark; ``classes``: the class names
    of the grade; ``placed``: 学号 → class already on record this term (a student in two
    classes is an error). Errors are collected, never raised."""
    result = ParsedScores()
    if not filename.lower().endswith((".xlsx", ".xlsm")):
        result.errors.append(CellError("", None, "", "只能导入 .xlsx 文件"))
        return result
    try:
        check_archive(filename, data, limits)
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except UploadRejected as exc:
        result.errors.append(CellError("", None, "", str(exc)))
        return result
    except Exception:  # zipfile, XML and openpyxl errors alike
        result.errors.append(
            CellError("", None, "", "无法读取该 Excel 文件（文件损坏或不是 .xlsx 格式）")
        )
        return result
    rows_read = 0
    for sheet in workbook.worksheets:
        rows_read += sheet.max_row
        if rows_read > limits.rows or sheet.max_column > limits.columns:
            result.errors.append(
                CellError(
                    sheet.title, None, "", f"超过 {limits.rows} 行或 {limits.columns} 列的上限"
                )
            )
            return result
        _read_sheet(sheet, result, subjects, classes)
    if not result.sheets and not result.errors:
        result.errors.append(
            CellError("", None, "", "未找到表头行（表头须包含“学号”“姓名”和科目名）")
        )
    _check_students(result, placed or {})
    return result


def _read_sheet(sheet, result: ParsedScores, subjects: dict[str, Decimal], classes: set[str]):
    title = sheet.title
    grid = list(sheet.iter_rows(values_only=True))
    header_at = None
    for number, cells in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        keys = {header_key(c) for c in cells}
        if "学号" in keys or "考号" in keys or "学籍号" in keys:
            header_at = number
            break
    if header_at is None:
        if any(any(c not in (None, "") for c in cells) for cells in grid):
            result.errors.append(CellError(title, None, "", "未找到表头行（须有“学号”列）"))
        return
    merged = [
        CellError(
            title,
            header_at,
            get_column_letter(m.min_col),
            f"表头有合并单元格（{m.coord}），请取消合并，每列一个列名",
        )
        for m in sheet.merged_cells.ranges
        if m.min_row <= header_at <= m.max_row
    ]
    if merged:
        result.errors.extend(merged)
        return
    result.sheets.append(title)
    columns: dict[int, str] = {}  # index → "student_no"/"name"/"class_name"/"subject:<name>"
    subject_keys = {header_key(s): s for s in subjects}
    for index, cell in enumerate(grid[header_at - 1]):
        key = header_key(cell)
        if key in FIXED and FIXED[key] not in columns.values():
            columns[index] = FIXED[key]
        elif key in subject_keys:
            columns[index] = "subject:" + subject_keys[key]
            if subject_keys[key] not in result.subjects:
                result.subjects.append(subject_keys[key])
    has_class = "class_name" in columns.values()
    sheet_class = clean_text(title)
    if not has_class and sheet_class not in classes:
        result.errors.append(
            CellError(title, None, "", f"没有“班级”列，而工作表名“{title}”不是本年级的班级")
        )
        return
    if not any(c.startswith("subject:") for c in columns.values()):
        result.errors.append(
            CellError(title, header_at, "", "表头中没有本次考试的科目（列名须与科目名称一致）")
        )
        return
    for number, cells in enumerate(grid[header_at:], start=header_at + 1):
        values = {name: cells[i] if i < len(cells) else None for i, name in columns.items()}
        if all(clean_text(v) == "" for v in values.values()):
            continue
        letter = {name: get_column_letter(i + 1) for i, name in columns.items()}
        row = ScoreRow(
            sheet=title,
            row=number,
            class_name=clean_text(values.get("class_name")) if has_class else sheet_class,
            student_no=clean_text(values.get("student_no")),
            name=clean_text(values.get("name")),
            no_column=letter["student_no"],
        )
        if not row.student_no:
            result.errors.append(CellError(title, number, letter["student_no"], "学号为空"))
        if "name" in columns.values() and not row.name:
            result.errors.append(CellError(title, number, letter["name"], "姓名为空"))
        if has_class and row.class_name not in classes:
            message = (
                f"班级“{row.class_name}”不在本年级的班级名单中" if row.class_name else "班级为空"
            )
            result.errors.append(CellError(title, number, letter["class_name"], message))
        for name, value in values.items():
            if not name.startswith("subject:"):
                continue
            subject = name.removeprefix("subject:")
            if clean_text(value) == "":
                row.scores[subject] = (None, ABSENT)
                continue
            try:
                row.scores[subject] = parse_score(value, subjects[subject])
            except ValueError as exc:
                result.errors.append(CellError(title, number, letter[name], f"{subject}：{exc}"))
        result.rows.append(row)


def _check_students(result: ParsedScores, placed: dict[str, str]) -> None:
    seen: dict[str, ScoreRow] = {}
    for row in result.rows:
        if not row.student_no:
            continue
        first = seen.get(row.student_no)
        if first is not None:
            what = "学生同时在两个班级" if first.class_name != row.class_name else "学号重复"
            result.errors.append(
                CellError(
                    row.sheet,
                    row.row,
                    row.no_column,
                    f"{what}：学号 {row.student_no} 已在工作表“{first.sheet}”第{first.row}行"
                    f"（{first.class_name}）",
                )
            )
            continue
        seen[row.student_no] = row
        elsewhere = placed.get(row.student_no)
        if elsewhere and elsewhere != row.class_name:
            result.errors.append(
                CellError(
                    row.sheet,
                    row.row,
                    row.no_column,
                    f"学生同时在两个班级：学号 {row.student_no} 本学期已在 {elsewhere}",
                )
            )
