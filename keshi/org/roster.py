"""Reading and writing teacher rosters (教师名册): .xlsx and .csv. Pure: no Django.

A roster is whatever the office keeps in Excel: a title row, a header row with Chinese column
names in many spellings, blank rows, full-width characters, dates typed every which way. This
module turns it into :class:`RosterRow` values and row-and-column :class:`RowError` values; the
database side (who already exists, which groups are known) is ``keshi.org.services``.

Rules (see docs/roster.md):

* text is NFKC-normalised (full-width letters, digits and the ideographic space become ASCII),
  runs of whitespace collapse, and whitespace between Chinese characters vanishes (“王　五”);
* an empty cell means “not given”, never “clear the stored value”;
* row numbers are the sheet's own 1-based numbers, title and header rows included.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from keshi.calendar.ages import full_years
from keshi.documents import xlsx
from keshi.documents.archive import DEFAULT_LIMITS, UploadLimits, UploadRejected, check_archive
from keshi.documents.text import strip_control_chars

# Field name → accepted headers (compared after normalising: NFKC, no whitespace).
ALIASES: dict[str, tuple[str, ...]] = {
    "staff_no": ("工号", "教工号", "编号", "职工号", "教师编号"),
    "name": ("姓名",),
    "gender": ("性别",),
    "birth_date": ("出生日期", "出生年月", "生日", "出生年月日"),
    "work_start": ("参加工作时间", "参加工作日期", "工作时间", "参加工作年月"),
    # 从业起始/工龄起算, 专业, 科室, 医疗组·护理组: a hospital's names (keshi.org.glossary)
    "teaching_start": (
        "任教起始",
        "任教时间",
        "教龄起算",
        "任教起始日期",
        "任教起始时间",
        "从业起始",
        "从业起始日期",
        "工龄起算",
    ),
    "subject": ("学科", "任教学科", "专业"),
    "title": ("职称",),
    "position": ("职务",),
    "phone": ("手机号", "联系电话", "电话", "手机", "手机号码"),
    "subject_group": ("所在教研组", "教研组", "所在科室", "科室"),
    "prep_group": ("备课组", "医疗组·护理组", "医疗组", "护理组"),
    "grade_group": ("年级组",),
    "tags": ("标签", "荣誉"),
    "active": ("在职",),
}
_HEADER_INDEX = {alias: name for name, aliases in ALIASES.items() for alias in aliases}

# Field → the header written on export (the first alias, except where a clearer one exists).
EXPORT_HEADERS: dict[str, str] = {
    "staff_no": "工号",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "work_start": "参加工作时间",
    "teaching_start": "任教起始",
    "subject": "任教学科",
    "title": "职称",
    "position": "职务",
    "phone": "手机号",
    "subject_group": "教研组",
    "prep_group": "备课组",
    "grade_group": "年级组",
    "tags": "标签",
    "active": "在职",
}

DATE_FIELDS = ("birth_date", "work_start", "teaching_start")
TEXT_FIELDS = ("staff_no", "name", "subject", "title", "position", "phone")
# Group columns → Group.kind values.
GROUP_FIELDS = {"subject_group": "subject", "prep_group": "prep", "grade_group": "grade"}
MAX_LENGTHS = {
    "staff_no": 40,
    "name": 50,
    "subject": 50,
    "title": 50,
    "position": 50,
    "phone": 30,
    "group": 100,
    "tag": 50,
}
MIN_AGE, MAX_AGE = 18, 80  # 出生日期: 18周岁以上、80周岁以下 at the import date
MIN_WORK_AGE = 14  # 参加工作/任教起始 not before the 14th birthday
HEADER_SEARCH_ROWS = 30

LEAD, DEPUTY, MEMBER = "lead", "deputy", "member"
_TRUE = {"是", "在职", "在岗", "y", "yes", "true", "1", "√", "✓", "t"}
_FALSE = {"否", "离职", "退休", "调离", "不在职", "n", "no", "false", "0", "×", "x", "f"}
_GENDERS = {"男": "M", "m": "M", "male": "M", "女": "F", "f": "F", "female": "F"}
_LIST_SPLIT = re.compile(r"[,、;/\n]+")
_POSITION_SPLIT = re.compile(r"[,、;/\s]+|兼")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])")
_TEXT_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*[日号]?|月)?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the error concerns the whole file
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class RosterRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)  # field → parsed value, given cells only
    groups: dict[str, list[str]] = field(default_factory=dict)  # Group.kind → names
    tags: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    @property
    def staff_no(self) -> str:
        return self.values.get("staff_no", "")


@dataclass
class ParsedRoster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # field → header as written
    ignored: list[str] = field(default_factory=list)  # headers we do not read
    header_row: int | None = None
    sheet: str = ""

    def header(self, name: str) -> str:
        return self.headers.get(name, EXPORT_HEADERS[name])


class RosterFileError(Exception):
    """The file cannot be read as a roster at all."""


# --- text and values ---------------------------------------------------------------------


def clean_text(value: Any) -> str:
    """A cell as normalised text: NFKC, single spaces, no spaces between Chinese characters, no
    control characters (``keshi.documents.text``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = " ".join(unicodedata.normalize("NFKC", strip_control_chars(str(value))).split())
    return _CJK_GAP.sub("", text)


def header_key(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).strip("*:")


def split_list(text: str) -> list[str]:
    """“骨干教师、学科带头人” → two items, de-duplicated, order kept."""
    return list(dict.fromkeys(p.strip() for p in _LIST_SPLIT.split(text) if p.strip()))


def position_roles(position: str) -> dict[str, str]:
    """Which group roles a 职务 implies, by Group.kind.

    Each part of the 职务 (split on 、 , / 兼 and spaces) that contains 副组长 (or 副主任)
    makes a deputy, else 组长 (or 主任) a lead; 备课 in the part points it at the 备课组,
    年级 at the 年级组, anything else at the 教研组: “语文教研组长” → 教研组 lead,
    “高一备课组副组长” → 备课组 deputy, “年级主任” → 年级组 lead. The first role per kind wins.
    """
    roles: dict[str, str] = {}
    for part in _POSITION_SPLIT.split(clean_text(position)):
        kind = "prep" if "备课" in part else "grade" if "年级" in part else "subject"
        if "副组长" in part or (kind == "grade" and "副主任" in part):
            roles.setdefault(kind, DEPUTY)
        elif "组长" in part or (kind == "grade" and "主任" in part):
            roles.setdefault(kind, LEAD)
    return roles


def parse_date(value: Any) -> date:
    """A date from an Excel date, an Excel serial number or text; year-month → the 1st.

    Raises ValueError with a Chinese message.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("无法识别的日期")
    if isinstance(value, int | float):
        return _parse_number_date(value)
    text = clean_text(value)
    if re.fullmatch(r"\d{8}", text):
        return _make_date(text, int(text[:4]), int(text[4:6]), int(text[6:]))
    if re.fullmatch(r"\d{6}", text):
        return _make_date(text, int(text[:4]), int(text[4:]), 1)
    if re.fullmatch(r"\d{4}年?", text):
        raise ValueError(f"日期“{text}”缺少月份")
    match = _TEXT_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"无法识别的日期“{text}”")
    year, month, day = match.groups()
    return _make_date(text, int(year), int(month), int(day or 1))


def _parse_number_date(value: float) -> date:
    if not float(value).is_integer():
        if 1900 <= value < 2100:  # 2019.9 typed into a number cell
            year, _, month = repr(float(value)).partition(".")
            return _make_date(str(value), int(year), int(month), 1)
        value = int(value)  # a serial number with a time of day
    number = int(value)
    text = str(number)
    if len(text) == 8:
        return _make_date(text, number // 10000, number // 100 % 100, number % 100)
    if len(text) == 6 and 1 <= number % 100 <= 12:
        return _make_date(text, number // 100, number % 100, 1)
    if 1900 <= number <= 2100:  # a year; as a serial number it would be a day in 1905
        raise ValueError(f"日期“{text}”缺少月份")
    if 0 < number < 2958466:
        return _EXCEL_EPOCH + timedelta(days=number)
    raise ValueError(f"无法识别的日期“{text}”")


def _make_date(text: str, year: int, month: int, day: int) -> date:
    try:
        result = date(year, month, day)
    except ValueError:
        raise ValueError(f"日期不存在：{text}") from None
    if result.year < 1900:
        raise ValueError(f"日期过早：{text}")
    return result


def parse_gender(value: Any) -> str:
    text = clean_text(value).lower()
    if text in _GENDERS:
        return _GENDERS[text]
    raise ValueError(f"性别应为“男”或“女”，不是“{clean_text(value)}”")


def parse_active(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"在职应填“是”或“否”，不是“{clean_text(value)}”")


# --- reading files -----------------------------------------------------------------------


def read_cells(
    filename: str, data: bytes, *, limits: UploadLimits = DEFAULT_LIMITS
) -> Iterator[tuple[str, Iterator[tuple[int, list]]]]:
    """(sheet title, numbered rows) for each sheet of an .xlsx, or the single table of a .csv.

    An .xlsx is refused before openpyxl opens it when it would unpack past ``limits``
    (``keshi.documents.archive``). Rows come without their trailing empty cells and are counted
    while they are read: a row past ``limits.rows`` (all sheets read so far, blank rows
    included) or with a value past ``limits.columns`` raises :class:`RosterFileError` naming
    the limit, without reading further."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    read = [0]  # rows read from the file so far, over all sheets
    if suffix in {"xlsx", "xlsm"}:
        try:
            check_archive(filename, data, limits)
        except UploadRejected as exc:
            raise RosterFileError(str(exc)) from None
        sheets = _xlsx_sheets(data)
        try:
            for title, rows in sheets:
                yield title, _capped(title, rows, limits, read)
        finally:
            sheets.close()  # the workbook, also when the caller stops at the first sheet
    elif suffix in {"csv", "txt"}:
        yield "", _capped("", _csv_rows(data), limits, read)
    elif suffix in {"xls", "et", "wps"}:
        raise RosterFileError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入")
    else:
        raise RosterFileError("只能导入 .xlsx 或 .csv 文件")


def _capped(
    title: str, rows: Iterable[Iterable], limits: UploadLimits, read: list[int]
) -> Iterator[tuple[int, list]]:
    where = f"工作表“{title}”" if title else ""
    earlier = read[0]
    for number, values in enumerate(rows, start=1):
        read[0] += 1
        if read[0] > limits.rows:
            scope = "含空行，各工作表合计" if earlier else "含空行"
            raise RosterFileError(
                f"{where}超过 {limits.rows} 行的上限（{scope}）；请删除多余的行，或分成几个文件导入"
            )
        cells = list(values)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        if len(cells) > limits.columns:
            raise RosterFileError(
                f"{where}第{number}行超过 {limits.columns} 列的上限；请删除多余的列后再导入"
            )
        yield number, cells


def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, Iterator[tuple]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike
        raise RosterFileError("无法读取该 Excel 文件（文件损坏或不是 .xlsx 格式）") from exc
    try:
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):  # chart sheets
                continue
            # Some writers record wrong dimensions, and a hostile one claims A1:XFD1048576:
            # read the rows that are there, never a grid the size of the claim.
            sheet.reset_dimensions()
            yield sheet.title, sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GBK (read as its superset GB18030)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise RosterFileError("无法识别文件编码（应为 UTF-8 或 GBK）") from None


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = decode_csv(data)
    sample = [line for line in text.splitlines()[:10] if line.strip()]
    delimiter = (
        "\t" if sum(s.count("\t") for s in sample) > sum(s.count(",") for s in sample) else ","
    )
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise RosterFileError(f"CSV 文件格式错误：{exc}") from None


def find_header(
    rows: Iterable[tuple[int, list]],
    index: dict[str, str] | None = None,
    needed: frozenset[str] = frozenset({"name"}),
) -> tuple[int, list, list] | None:
    """(row number, cells, rows after it) for the first row with a 姓名 column.

    Other imports pass their own ``index`` (header → field) and the ``needed`` fields any one of
    which marks the header row."""
    index = _HEADER_INDEX if index is None else index
    iterator = iter(rows)
    for seen, (number, cells) in enumerate(iterator, start=1):
        fields = {index.get(header_key(c)) for c in cells} - {None}
        if fields & needed:
            return number, cells, list(iterator)
        if seen >= HEADER_SEARCH_ROWS:
            return None
    return None


def read_roster(
    filename: str, data: bytes, *, today: date, limits: UploadLimits = DEFAULT_LIMITS
) -> ParsedRoster:
    """Parse and validate a roster file; errors are collected, never raised."""
    result = ParsedRoster()
    try:
        found = None
        for title, rows in read_cells(filename, data, limits=limits):
            found = find_header(rows)
            if found:
                result.sheet = title
                break
    except RosterFileError as exc:
        result.errors.append(RowError(None, "", str(exc)))
        return result
    if not found:
        result.errors.append(RowError(None, "", "未找到表头行（表头须包含“姓名”等列名）"))
        return result
    header_row, header_cells, body = found
    result.header_row = header_row
    columns: dict[int, str] = {}
    for index, cell in enumerate(header_cells):
        name = _HEADER_INDEX.get(header_key(cell))
        label = clean_text(cell) if cell is not None else ""
        if name and name not in result.headers:
            result.headers[name] = str(cell).strip()
            columns[index] = name
        elif label:
            result.ignored.append(label)
    for number, cells in body:
        raw = {name: cells[i] for i, name in columns.items() if i < len(cells)}
        if all(clean_text(v) == "" for v in raw.values()):
            continue  # blank rows, and rows filled only in columns we ignore
        result.rows.append(_parse_row(number, raw, result, today))
    _check_duplicates(result)
    result.errors.sort(key=lambda e: (e.row or 0, list(ALIASES).index(_field_of(result, e))))
    return result


def _field_of(result: ParsedRoster, error: RowError) -> str:
    for name in ALIASES:
        if result.header(name) == error.column:
            return name
    return "name"


def _parse_row(number: int, raw: dict[str, Any], result: ParsedRoster, today: date) -> RosterRow:
    row = RosterRow(number)

    def fail(name: str, message: str) -> None:
        result.errors.append(RowError(number, result.header(name), message))

    for name, value in raw.items():
        if clean_text(value) == "":
            continue
        try:
            _parse_cell(row, name, value)
        except ValueError as exc:
            fail(name, str(exc))
    if not row.name:
        fail("name", "缺少姓名")
    birth = row.values.get("birth_date")
    for name in DATE_FIELDS:
        value = row.values.get(name)
        if value and value > today:
            fail(name, f"日期晚于今天：{value.isoformat()}")
        elif value and name != "birth_date" and birth and full_years(birth, value) < MIN_WORK_AGE:
            fail(name, f"{result.header(name)}早于{MIN_WORK_AGE}周岁，请检查")
    if birth and birth <= today and not MIN_AGE <= full_years(birth, today) <= MAX_AGE:
        fail(
            "birth_date", f"出生日期不合理：{birth.isoformat()}（年龄应在{MIN_AGE}至{MAX_AGE}周岁）"
        )
    return row


def _parse_cell(row: RosterRow, name: str, value: Any) -> None:
    if name in DATE_FIELDS:
        row.values[name] = parse_date(value)
    elif name == "gender":
        row.values[name] = parse_gender(value)
    elif name == "active":
        row.values[name] = parse_active(value)
    elif name == "tags":
        row.tags = split_list(clean_text(value))
        _check_lengths(row.tags, MAX_LENGTHS["tag"], "标签")
    elif name in GROUP_FIELDS:
        names = split_list(clean_text(value))
        _check_lengths(names, MAX_LENGTHS["group"], "组名")
        row.groups[GROUP_FIELDS[name]] = names
    else:
        text = clean_text(value)
        if len(text) > MAX_LENGTHS[name]:
            raise ValueError(f"超过{MAX_LENGTHS[name]}个字符")
        row.values[name] = text


def _check_lengths(items: list[str], limit: int, what: str) -> None:
    for item in items:
        if len(item) > limit:
            raise ValueError(f"{what}“{item[:10]}…”超过{limit}个字符")


def _check_duplicates(result: ParsedRoster) -> None:
    by_staff_no: dict[str, int] = {}
    by_identity: dict[tuple[str, date | None], int] = {}
    for row in result.rows:
        if row.staff_no:
            first = by_staff_no.setdefault(row.staff_no, row.row)
            if first != row.row:
                message = f"工号“{row.staff_no}”与第{first}行重复"
                result.errors.append(RowError(row.row, result.header("staff_no"), message))
        elif row.name:
            key = (row.name, row.values.get("birth_date"))
            first = by_identity.setdefault(key, row.row)
            if first != row.row:
                message = f"与第{first}行姓名、出生日期相同且都没有工号，无法区分"
                result.errors.append(RowError(row.row, result.header("name"), message))


# --- writing -----------------------------------------------------------------------------


def write_xlsx(title: str, rows: Iterable[dict[str, Any]]) -> bytes:
    """An .xlsx with a title row, then EXPORT_HEADERS, then one row per dict (field → value)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "教师名册"
    fields = list(EXPORT_HEADERS)
    xlsx.append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(fields))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    xlsx.append(sheet, [EXPORT_HEADERS[f] for f in fields])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for values in rows:
        xlsx.append(sheet, [_export_value(f, values.get(f)) for f in fields])
    for index, name in enumerate(fields, start=1):
        letter = get_column_letter(index)
        width = 12 if name in DATE_FIELDS else 18 if name in {"tags", "position"} else 10
        sheet.column_dimensions[letter].width = width
        for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
            if name in DATE_FIELDS:
                cell.number_format = "yyyy-mm-dd"
            elif name in {"staff_no", "phone"}:
                cell.number_format = "@"
    sheet.freeze_panes = "A3"
    return xlsx.to_bytes(workbook)


def _export_value(name: str, value: Any) -> Any:
    if value in (None, "", []):
        return None
    if name == "gender":
        return {"M": "男", "F": "女"}.get(value, value)
    if name == "active":
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(value)
    return value
