"""The 成绩表 reader: shapes schools use, and each bad cell named by sheet, row and column."""

from decimal import Decimal

from openpyxl import Workbook

from keshi.exams.sheets import read_scores
from keshi.exams.tests.helpers import CLASSES, class_column_sheet, per_class_sheets, workbook

SUBJECTS = {"语文": Decimal(150), "数学": Decimal(100)}


def read(data, placed=None):
    return read_scores("成绩.xlsx", data, subjects=SUBJECTS, classes=set(CLASSES), placed=placed)


def messages(result):
    return [str(e) for e in result.errors]


def test_one_sheet_per_class_with_marks_and_totals_ignored():
    result = read(per_class_sheets())
    assert result.errors == []
    assert [r.class_name for r in result.rows] == [CLASSES[0]] * 3 + [CLASSES[1]] * 2
    first = result.rows[0]
    assert (first.student_no, first.name, first.row) == ("1001", "甲", 3)
    assert first.scores == {"语文": (Decimal("120.0"), "sat"), "数学": (Decimal("90.0"), "sat")}
    assert result.rows[2].scores["语文"] == (None, "absent")
    assert result.rows[4].scores["数学"] == (None, "cheated")
    assert result.subjects == ["语文", "数学"]


def test_one_sheet_with_a_class_column_full_width_brackets():
    result = read(class_column_sheet([["初一（2）班", "2001", "丁", 100, 80, None]]))
    assert result.errors == []
    assert result.rows[0].class_name == "初一(2)班"


def test_score_above_full_mark_and_text_are_named_by_cell():
    data = class_column_sheet(
        [[CLASSES[0], "1001", "甲", 151, 80, None], [CLASSES[0], "1002", "乙", 90, "九十", None]]
    )
    assert messages(read(data)) == [
        "工作表“成绩”第2行D列：语文：分数 151 超过满分 150",
        "工作表“成绩”第3行E列：数学：“九十”不是分数（可填分数、缺考或作弊）",
    ]


def test_unknown_class_duplicate_number_and_student_in_two_classes():
    data = class_column_sheet(
        [
            ["初一(9)班", "1001", "甲", 90, 80, None],
            [CLASSES[0], "1002", "乙", 90, 80, None],
            [CLASSES[0], "1002", "乙", 91, 80, None],
            [CLASSES[1], "1003", "丙", 90, 80, None],
            [CLASSES[0], "1003", "丙", 90, 80, None],
        ]
    )
    assert messages(read(data)) == [
        "工作表“成绩”第2行A列：班级“初一(9)班”不在本年级的班级名单中",
        "工作表“成绩”第4行B列：学号重复：学号 1002 已在工作表“成绩”第3行（初一(1)班）",
        "工作表“成绩”第6行B列：学生同时在两个班级：学号 1003 已在工作表“成绩”第5行（初一(2)班）",
    ]


def test_a_student_already_in_another_class_this_term():
    data = class_column_sheet([[CLASSES[0], "2001", "丁", 90, 80, None]])
    assert messages(read(data, placed={"2001": CLASSES[1]})) == [
        "工作表“成绩”第2行B列：学生同时在两个班级：学号 2001 本学期已在 初一(2)班"
    ]


def test_merged_header_cells_are_refused():
    book = Workbook()
    sheet = book.active
    sheet.title = CLASSES[0]
    sheet.append(["学号", "姓名", "成绩", None])
    sheet.append([None, None, "语文", "数学"])
    sheet.append(["1001", "甲", 90, 80])
    sheet.merge_cells("C1:D1")
    import io

    out = io.BytesIO()
    book.save(out)
    assert messages(read(out.getvalue())) == [
        "工作表“初一(1)班”第1行C列：表头有合并单元格（C1:D1），请取消合并，每列一个列名"
    ]


def test_sheet_named_after_no_class_and_not_an_xlsx():
    data = workbook({"Sheet1": [["学号", "姓名", "语文"], ["1", "甲", 90]]})
    assert messages(read(data)) == [
        "工作表“Sheet1”：没有“班级”列，而工作表名“Sheet1”不是本年级的班级"
    ]
    assert messages(read_scores("a.xls", b"x", subjects=SUBJECTS, classes=set())) == [
        "只能导入 .xlsx 文件"
    ]
