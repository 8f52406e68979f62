import io

import pytest
from openpyxl import Workbook, load_workbook

from keshi.cover.imports import export_timetable, import_timetable
from keshi.cover.models import HomeroomDuty, TimetableEntry
from keshi.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def xlsx(rows, homerooms=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["2025学年第一学期课表"])
    for r in rows:
        ws.append(r)
    if homerooms:
        hs = wb.create_sheet("班主任")
        for r in homerooms:
            hs.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def staff(cast):
    cast.teacher.person.staff_no = "T001"
    cast.teacher.person.save()
    cast.other_teacher.person.staff_no = "T002"
    cast.other_teacher.person.save()
    return cast


GOOD = [
    ["工号", "姓名", "星期", "节次", "班级", "学科", "教室"],
    ["T001", "张老师", "周一", "第1节", "高一(1)班", "语文", "201"],
    ["T001", "", "星期三", 3, "高一(2)班", "语文", ""],
    ["", "李老师", 2, "5", "高一(1)班", "数学", ""],
]


def test_good_file_then_reimport_of_the_export_changes_nothing(staff, term):
    data = xlsx(GOOD, [["班级", "工号", "班主任"], ["高一(1)班", "T001", "张老师"]])
    preview = import_timetable(
        org=staff.school, term=term, filename="课表.xlsx", data=data, dry_run=True
    )
    assert (preview.errors, preview.created, preview.written) == ([], 3, False)
    assert not TimetableEntry.objects.exists()
    report = import_timetable(org=staff.school, term=term, filename="课表.xlsx", data=data)
    assert (report.created, report.homerooms, report.written) == (3, 1, True)
    e = TimetableEntry.objects.get(person=staff.teacher.person, weekday=1)
    assert (e.period, e.class_name, e.subject, e.room) == (1, "高一(1)班", "语文", "201")
    assert HomeroomDuty.objects.get().person == staff.teacher.person

    exported = export_timetable(org=staff.school, term=term)
    load_workbook(io.BytesIO(exported))  # opens
    again = import_timetable(org=staff.school, term=term, filename="export.xlsx", data=exported)
    assert (again.errors, again.created, again.updated, again.unchanged, again.removed) == (
        [],
        0,
        0,
        3,
        0,
    )


def test_csv_in_gbk_and_removal_of_missing_lessons(staff, term):
    import_timetable(org=staff.school, term=term, filename="a.xlsx", data=xlsx(GOOD))
    text = "工号,星期,节次,班级,学科\nT001,周一,1,高一(1)班,语文\n"
    report = import_timetable(
        org=staff.school, term=term, filename="a.csv", data=text.encode("gbk")
    )
    assert (report.errors, report.unchanged, report.updated, report.removed) == ([], 0, 1, 2)
    assert TimetableEntry.objects.count() == 1


def test_every_error_named_by_row_and_column_and_nothing_written(staff, term):
    PersonFactory(org=staff.school, name="王芳", staff_no="T101")
    PersonFactory(org=staff.school, name="王芳", staff_no="T102")
    rows = [
        GOOD[0],
        ["T999", "", "周一", 1, "高一(1)班", "语文", ""],  # row 3: unknown 工号
        ["", "钱老师", "周一", 2, "高一(1)班", "语文", ""],  # row 4: unknown name
        ["", "王芳", "周一", 3, "高一(1)班", "语文", ""],  # row 5: two people of that name
        ["T001", "", "周八", 1, "高一(1)班", "语文", ""],  # row 6: bad weekday
        ["T001", "", "周二", 12, "高一(1)班", "语文", ""],  # row 7: 节次 out of range
        ["T001", "", "周二", 1, "", "语文", ""],  # row 8: no class
        ["T002", "", "周三", 4, "高一(1)班", "数学", ""],  # row 9: fine
        ["", "李老师", "星期三", "第4节", "高一(2)班", "数学", ""],  # row 10: clash with row 9
        ["T001", "李老师", "周四", 1, "高一(1)班", "语文", ""],  # row 11: 工号 and name disagree
    ]
    report = import_timetable(org=staff.school, term=term, filename="bad.xlsx", data=xlsx(rows))
    got = [(e.row, e.column) for e in report.errors]
    assert got == [
        (3, "工号"),
        (4, "姓名"),
        (5, "姓名"),
        (6, "星期"),
        (7, "节次"),
        (8, "班级"),
        (10, "节次"),
        (11, "工号"),
    ]
    messages = {e.row: e.message for e in report.errors}
    assert "T999" in messages[3] and "钱老师" in messages[4] and "请填写工号" in messages[5]
    assert "周八" in messages[6] and "超出范围" in messages[7] and "第9行" in messages[10]
    assert not report.written
    assert not TimetableEntry.objects.exists()


def test_unreadable_and_headerless_files(staff, term):
    report = import_timetable(org=staff.school, term=term, filename="x.xlsx", data=b"not a zip")
    assert "无法读取" in report.errors[0].message
    report = import_timetable(org=staff.school, term=term, filename="x.csv", data=b"a,b\n1,2\n")
    assert "表头" in report.errors[0].message
    report = import_timetable(org=staff.school, term=term, filename="x.xls", data=b"")
    assert ".xlsx" in report.errors[0].message
