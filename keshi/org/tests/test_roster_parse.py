"""The pure roster parser: formats, header aliases, dates, row errors. No database."""

import csv
import io
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from keshi.org import roster

TODAY = date(2025, 10, 1)
HEADER = ["工号", "姓名", "性别", "出生日期", "任教学科", "所在教研组"]


def xlsx_bytes(rows: list[list], title: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def parse(rows: list[list], name: str = "r.xlsx", **kwargs) -> roster.ParsedRoster:
    data = xlsx_bytes(rows, **kwargs) if name.endswith("xlsx") else csv_bytes(rows)
    return roster.read_roster(name, data, today=TODAY)


def errors(parsed: roster.ParsedRoster) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in parsed.errors]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-09-01", date(2019, 9, 1)),
        ("2019/9/1", date(2019, 9, 1)),
        ("2019.9", date(2019, 9, 1)),
        ("2019.09.01", date(2019, 9, 1)),
        ("2019年9月", date(2019, 9, 1)),
        ("2019年9月1日", date(2019, 9, 1)),
        ("2019年09月15日", date(2019, 9, 15)),
        ("20190901", date(2019, 9, 1)),
        ("201909", date(2019, 9, 1)),
        ("2019-9", date(2019, 9, 1)),
        ("２０１９年９月１日", date(2019, 9, 1)),
        ("2019-09-01 00:00:00", date(2019, 9, 1)),
        (" 2019 年 9 月 ", date(2019, 9, 1)),
    ],
)
def test_text_dates(text, expected):
    assert roster.parse_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(1985, 3, 7), date(1985, 3, 7)),
        (date(1985, 3, 7), date(1985, 3, 7)),
        (43709, date(2019, 9, 1)),  # Excel serial number
        (43709.75, date(2019, 9, 1)),  # serial with a time of day
        (20190901, date(2019, 9, 1)),
        (201909, date(2019, 9, 1)),
        (2019.9, date(2019, 9, 1)),
        (2019.09, date(2019, 9, 1)),
    ],
)
def test_cell_dates(value, expected):
    assert roster.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2019-02-30", "日期不存在：2019-02-30"),
        ("2019-13-01", "日期不存在：2019-13-01"),
        ("20190230", "日期不存在：20190230"),
        ("去年九月", "无法识别的日期“去年九月”"),
        ("1985", "日期“1985”缺少月份"),
        (1985, "日期“1985”缺少月份"),
    ],
)
def test_bad_dates(value, message):
    with pytest.raises(ValueError, match=message):
        roster.parse_date(value)


# From 1906: Excel serial numbers 1900–2100 (days in 1905) are read as a bare year.
@given(st.dates(min_value=date(1906, 1, 1), max_value=date(2099, 12, 31)))
def test_every_date_round_trips_through_its_usual_spellings(day):
    spellings = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        datetime(day.year, day.month, day.day),
        (day - date(1899, 12, 30)).days,
    ]
    assert {roster.parse_date(s) for s in spellings} == {day}


# --- headers, aliases, layout ----------------------------------------------------------------


ALIAS_CASES = [
    ("工号", "staff_no", "T1", "T1"),
    ("教工号", "staff_no", "T1", "T1"),
    ("编号", "staff_no", "T1", "T1"),
    ("姓　名", "name", "李四", "李四"),
    ("性别", "gender", "女", "F"),
    ("出生年月", "birth_date", "1990.5", date(1990, 5, 1)),
    ("生日", "birth_date", "1990-05-02", date(1990, 5, 2)),
    ("参加工作时间", "work_start", "2012年8月", date(2012, 8, 1)),
    ("参加工作日期", "work_start", "2012-08-20", date(2012, 8, 20)),
    ("工作时间", "work_start", "201208", date(2012, 8, 1)),
    ("任教起始", "teaching_start", "2013.9", date(2013, 9, 1)),
    ("任教时间", "teaching_start", "2013.9", date(2013, 9, 1)),
    ("教龄起算", "teaching_start", "2013.9", date(2013, 9, 1)),
    ("学科", "subject", "数学", "数学"),
    ("任教学科", "subject", "数学", "数学"),
    ("职称", "title", "一级教师", "一级教师"),
    ("职务", "position", "教研组长", "教研组长"),
    ("手机号", "phone", "13912345678", "13912345678"),
    ("联系电话", "phone", "13912345678", "13912345678"),
    ("电话", "phone", "13912345678", "13912345678"),
    ("手机", "phone", 13912345678, "13912345678"),
    ("在职", "active", "否", False),
]


@pytest.mark.parametrize(("header", "field", "cell", "expected"), ALIAS_CASES)
def test_header_aliases(header, field, cell, expected):
    name_header = "姓名" if field != "name" else header
    if field == "name":
        parsed = parse([[name_header, "工号"], [cell, "T9"]])
    else:
        parsed = parse([["姓名", header], ["李四", cell]])
    assert errors(parsed) == []
    assert parsed.rows[0].values[field] == expected
    assert parsed.headers[field] == header


@pytest.mark.parametrize(
    ("header", "kind"),
    [("所在教研组", "subject"), ("教研组", "subject"), ("备课组", "prep"), ("年级组", "grade")],
)
def test_group_columns(header, kind):
    parsed = parse([["姓名", header], ["李四", "语文组"]])
    assert parsed.rows[0].groups == {kind: ["语文组"]}


@pytest.mark.parametrize("header", ["标签", "荣誉"])
def test_tags_split_on_commas_and_enumeration_marks(header):
    parsed = parse([["姓名", header], ["李四", "市级骨干教师、学科带头人，135教师, 学科带头人"]])
    assert parsed.rows[0].tags == ["市级骨干教师", "学科带头人", "135教师"]


def test_title_row_blank_rows_and_real_row_numbers():
    parsed = parse(
        [
            [],
            HEADER,
            ["T1", "张三", "男", "1980-01-02", "语文", "语文组"],
            [],
            [None, None],
            ["T2", "李四", "女", "1981-02-03", "数学", "数学组"],
        ],
        title="示范中学2025学年教师名册",
    )
    assert parsed.header_row == 3
    assert [(r.row, r.name) for r in parsed.rows] == [(4, "张三"), (7, "李四")]
    assert errors(parsed) == []


def test_full_width_characters_and_ideographic_spaces():
    parsed = parse(
        [
            ["工　号", "姓　名", "性　别"],
            ["ＡＢ１２３", "王　五", "男"],
            ["T 2", "Mary  Smith", "Ｆ"],
        ]
    )
    assert errors(parsed) == []
    first, second = parsed.rows
    assert (first.staff_no, first.name, first.values["gender"]) == ("AB123", "王五", "M")
    assert (second.staff_no, second.name, second.values["gender"]) == ("T 2", "Mary Smith", "F")


@pytest.mark.parametrize("spelling", ["男", "M", "m", "male"])
def test_gender_spellings(spelling):
    assert parse([["姓名", "性别"], ["张三", spelling]]).rows[0].values["gender"] == "M"


def test_unknown_columns_are_listed_and_ignored():
    parsed = parse([["序号", "姓名", "备注"], [1, "张三", "请假"]])
    assert parsed.ignored == ["序号", "备注"]
    assert parsed.rows[0].values == {"name": "张三"}


def test_rows_filled_only_in_ignored_columns_are_skipped():
    parsed = parse([["序号", "姓名", "工号"], [1, "张三", "T1"], [2, None, None]])
    assert [r.name for r in parsed.rows] == ["张三"]
    assert errors(parsed) == []


def test_header_found_on_a_later_sheet():
    workbook = Workbook()
    workbook.active.append(["填表说明：请勿修改表头"])
    sheet = workbook.create_sheet("名册")
    sheet.append(["姓名", "工号"])
    sheet.append(["张三", "T1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = roster.read_roster("r.xlsx", buffer.getvalue(), today=TODAY)
    assert (parsed.sheet, [r.name for r in parsed.rows]) == ("名册", ["张三"])


# --- csv encodings ---------------------------------------------------------------------------


ROWS = [["示范中学教师名册"], HEADER, ["T1", "张　三", "男", "1980/1/2", "语文", "语文组"]]


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("gbk"),
        lambda text: text.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "utf-16"],
)
def test_csv_encodings(encode):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(ROWS)
    parsed = roster.read_roster("r.csv", encode(buffer.getvalue()), today=TODAY)
    assert errors(parsed) == []
    assert parsed.header_row == 2
    row = parsed.rows[0]
    assert (row.row, row.name, row.values["birth_date"]) == (3, "张三", date(1980, 1, 2))
    assert row.groups == {"subject": ["语文组"]}


def test_tab_separated_text():
    data = "姓名\t工号\n张三\tT1\n".encode()
    assert [r.staff_no for r in roster.read_roster("r.csv", data, today=TODAY).rows] == ["T1"]


# --- errors ----------------------------------------------------------------------------------


def test_each_row_error_names_row_and_column():
    parsed = parse(
        [
            ["工　号", "姓　名", "出生年月", "参加工作时间", "性别", "在职"],
            ["T1", "", "1980-01-01", "2000-09-01", "男", "是"],
            ["T2", "李四", "2019-02-30", "2000-09-01", "女", "是"],
            ["T3", "王五", "1980-01-01", "2030-09-01", "男", "是"],
            ["T4", "赵六", "2015-01-01", "", "男", "是"],
            ["T2", "钱七", "1980-01-01", "", "外星", "也许"],
            ["T8", "孙八", "1980-01-01", "1990-01-01", "", ""],
        ],
        title="示范中学2025学年教师名册",
    )
    assert errors(parsed) == [
        (3, "姓　名", "缺少姓名"),
        (4, "出生年月", "日期不存在：2019-02-30"),
        (5, "参加工作时间", "日期晚于今天：2030-09-01"),
        (6, "出生年月", "出生日期不合理：2015-01-01（年龄应在18至80周岁）"),
        (7, "工　号", "工号“T2”与第4行重复"),
        (7, "性别", "性别应为“男”或“女”，不是“外星”"),
        (7, "在职", "在职应填“是”或“否”，不是“也许”"),
        (8, "参加工作时间", "参加工作时间早于14周岁，请检查"),
    ]


def test_birth_date_limits_are_inclusive():
    rows = [["姓名", "出生日期"], ["甲", "2007-10-01"], ["乙", "1944-10-02"], ["丙", "2007-10-02"]]
    parsed = parse(rows)
    assert [e.row for e in parsed.errors] == [4]  # 18 and 80 are fine; 17 is not


def test_same_name_and_birth_without_staff_no_is_a_duplicate():
    parsed = parse([["姓名", "出生日期"], ["张三", "1980-01-01"], ["张三", "1980-01-01"]])
    assert errors(parsed) == [(3, "姓名", "与第2行姓名、出生日期相同且都没有工号，无法区分")]


def test_too_long_values():
    parsed = parse([["姓名", "手机号"], ["张三", "1" * 31]])
    assert errors(parsed) == [(2, "手机号", "超过30个字符")]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("r.xlsx", b"not a zip", "无法读取该 Excel 文件（文件损坏或不是 .xlsx 格式）"),
        ("r.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入"),
        ("r.pdf", b"%PDF", "只能导入 .xlsx 或 .csv 文件"),
        ("r.csv", "甲,乙\n1,2\n".encode(), "未找到表头行（表头须包含“姓名”等列名）"),
        ("r.csv", b"", "未找到表头行（表头须包含“姓名”等列名）"),
    ],
)
def test_unreadable_files(name, data, message):
    assert errors(roster.read_roster(name, data, today=TODAY)) == [(None, "", message)]


# --- 职务 → roles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "roles"),
    [
        ("语文教研组长", {"subject": "lead"}),
        ("教研组副组长", {"subject": "deputy"}),
        ("组长", {"subject": "lead"}),
        ("高一语文备课组长", {"prep": "lead"}),
        ("备课组副组长", {"prep": "deputy"}),
        ("年级组长", {"grade": "lead"}),
        ("高二年级主任", {"grade": "lead"}),
        ("年级副主任", {"grade": "deputy"}),
        ("教研组长兼备课组长", {"subject": "lead", "prep": "lead"}),
        ("语文教研组长、高一备课组副组长", {"subject": "lead", "prep": "deputy"}),
        ("教科室主任", {}),
        ("教师", {}),
        ("", {}),
    ],
)
def test_position_roles(position, roles):
    assert roster.position_roles(position) == roles


def test_excel_date_cells_serials_and_numbers_in_a_sheet():
    parsed = parse(
        [
            ["姓名", "出生日期", "参加工作时间", "任教起始", "工号", "手机号"],
            ["甲", datetime(1980, 1, 2), 36404, 2000.9, 1001, 13912345678],
            ["乙", date(1981, 2, 3), "2003.09", 200309, 1002.0, None],
        ]
    )
    assert errors(parsed) == []
    first, second = parsed.rows
    assert first.values == {
        "name": "甲", "birth_date": date(1980, 1, 2), "work_start": date(1999, 9, 1),
        "teaching_start": date(2000, 9, 1), "staff_no": "1001", "phone": "13912345678",
    }  # fmt: skip
    assert (second.values["work_start"], second.values["teaching_start"]) == (
        date(2003, 9, 1), date(2003, 9, 1)
    )  # fmt: skip
    assert second.staff_no == "1002"


def test_export_writes_text_that_looks_like_a_formula_as_text():
    data = roster.write_xlsx("名册", [{"name": "=1+1", "tags": ["@SUM(A1)"], "active": True}])
    sheet = load_workbook(io.BytesIO(data)).active
    assert (sheet["B3"].value, sheet["B3"].data_type) == ("=1+1", "s")
    parsed = roster.read_roster("x.xlsx", data, today=TODAY)
    assert (parsed.rows[0].name, parsed.rows[0].tags) == ("=1+1", ["@SUM(A1)"])
