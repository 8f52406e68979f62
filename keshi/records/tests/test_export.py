from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from keshi.records.tests.factories import ActivityFactory, kind


def test_export_has_chinese_headers_kind_fields_and_no_formulas(client, cast):
    ActivityFactory(
        person=cast.teacher.person,
        kind=kind("observation"),
        title="=1+1",
        observed=cast.other_teacher.person,
        data={"class_name": "初一(3)班"},
    )
    client.force_login(cast.office)
    r = client.get(reverse("records:export"), {"kind": kind("observation").pk})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(r.content)).active
    header = [c.value for c in sheet[2]]
    assert header[:10] == [
        "工号",
        "姓名",
        "类型",
        "日期",
        "数量",
        "单位",
        "学分",
        "标题",
        "被听课教师",
        "字数",
    ]
    assert "班级" in header and "状态" in header
    row = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert row["姓名"] == "张老师" and row["被听课教师"] == "李老师"
    assert row["班级"] == "初一(3)班" and row["标题"] == "=1+1"
    assert sheet.cell(3, header.index("标题") + 1).data_type == "s"
