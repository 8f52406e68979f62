"""Excel import of records: all or nothing, every error by row and column."""

import io
import json
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from keshi.org.tests.factories import PersonFactory
from keshi.records.imports import import_records
from keshi.records.models import Activity
from keshi.records.tests.factories import ActivityFactory, kind

HEADER = ["工号", "姓名", "类型", "日期", "数量", "标题", "被听课教师", "班级", "字数", "正文"]


def xlsx(rows, header=HEADER, title="2026学年第一学期听课登记") -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def people(cast):
    p = cast.teacher.person
    p.staff_no = "T001"
    p.save()
    return p


GOOD = [
    ["T001", "张老师", "听课", datetime(2026, 3, 2), 2, "春", "李老师", "初一(3)班", None, None],
    [None, "李老师", "教学反思", "2026/3/3", None, "反思一", None, None, None, "今天 很好"],
    [None, "王组长", "meeting", "2026年3月4日", None, None, None, None, None, None],
    [None, None, None, None, None, None, None, None, None, None],
    [None, "李老师", "reading", "20260305", 1, "读书", None, None, 1200, None],
]


def test_import_creates_records(cast, people):
    report = import_records(
        org=cast.school, filename="r.xlsx", data=xlsx(GOOD), today=date(2026, 3, 31)
    )
    # reading needs 书名: reported, nothing written
    assert [e.as_dict() for e in report.errors] == [
        {"row": 7, "column": "书名", "message": "读书笔记/摘抄须填写“书名”"}
    ]
    assert not Activity.objects.exists()
    rows = [r[:] for r in GOOD]
    header = HEADER + ["书名"]
    rows = [r + ([None] if i != 4 else ["教育漫话"]) for i, r in enumerate(rows)]
    report = import_records(
        org=cast.school, filename="r.xlsx", data=xlsx(rows, header), today=date(2026, 3, 31)
    )
    assert report.errors == [] and report.created == 4 and report.written
    obs = Activity.objects.get(kind=kind("observation"))
    assert (obs.person, obs.observed.name, obs.quantity, obs.data) == (
        people,
        "李老师",
        2,
        {"class_name": "初一(3)班"},
    )
    assert Activity.objects.get(kind=kind("reflection")).chars == 4
    reading = Activity.objects.get(kind=kind("reading"))
    assert reading.chars == 1200 and reading.data == {"book": "教育漫话"}


def test_every_error_by_row_and_column_and_nothing_written(cast, people):
    PersonFactory(org=cast.school, name="李老师")  # now two 李老师
    rows = [
        ["T999", "张老师", "听课", "2026-03-02", 1, "x", "王组长", None, None, None],
        ["T001", "王组长", "听课", "2026-03-02", 1, "x", "王组长", None, None, None],
        [None, "李老师", "听课", "2026-03-02", 1, "x", "王组长", None, None, None],
        [None, "王组长", "跳舞", "2026-13-02", "两", None, None, None, None, None],
        [None, "王组长", "听课", "2099-01-01", 0, None, None, None, "x", None],
        [None, "王组长", "听课", None, 1, None, "王组长", None, None, None],
        [None, None, "听课", "2026-03-02", 1, None, "张老师", None, None, None],
        ["T001", "张老师", "听课", "2026-03-02", 1, "ok", "不存在", None, None, None],
    ]
    report = import_records(
        org=cast.school, filename="r.xlsx", data=xlsx(rows), today=date(2026, 3, 31)
    )
    got = {(e.row, e.column, e.message) for e in report.errors}
    assert got == {
        (3, "工号", "本单位没有工号为“T999”的教师"),
        (4, "工号", "工号“T001”是张老师，与姓名“王组长”不符"),
        (5, "姓名", "本单位有2位“李老师”，请填写工号"),
        (
            6,
            "类型",
            f"未知的类型“跳舞”（可用：{report.errors[3].message.split('可用：')[1][:-1]}）",
        ),
        (6, "日期", "日期不存在：2026-13-02"),
        (6, "数量", "“两”不是数字"),
        (7, "日期", "日期晚于今天：2099-01-01"),
        (7, "数量", "数量必须大于0"),
        (7, "字数", "“x”不是数字"),
        (7, "被听课教师", "听课/听评课须填写被听课教师"),
        (8, "日期", "缺少日期"),
        (8, "被听课教师", "不能登记听自己的课"),
        (9, "姓名", "缺少姓名或工号"),
        (10, "被听课教师", "本单位没有名为“不存在”的教师"),
    }
    assert not Activity.objects.exists()


def test_duplicates_are_errors(cast, people):
    ActivityFactory(person=people, kind=kind("meeting"), date=date(2026, 3, 2), title="例会")
    rows = [
        ["T001", None, "会议", "2026-03-02", 1, "例会"] + [None] * 4,
        [None, "李老师", "会议", "2026-03-02", 1, "例会"] + [None] * 4,
        [None, "李老师", "会议", "2026-03-02", 1, "例会"] + [None] * 4,
    ]
    report = import_records(
        org=cast.school, filename="r.xlsx", data=xlsx(rows), today=date(2026, 3, 31)
    )
    assert [(e.row, e.message) for e in report.errors] == [
        (3, "系统中已有相同的记录（同一教师、类型、日期、标题）"),
        (5, "与第4行重复"),
    ]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("r.xls", b"x", "不支持旧版 .xls"),
        ("r.xlsx", b"not a zip", "无法读取该 Excel 文件"),
        ("r.xlsx", xlsx([], header=["甲", "乙"]), "未找到表头行"),
        ("r.xlsx", xlsx([], header=["姓名", "日期"]), "缺少“类型”列"),
    ],
)
def test_file_level_errors(cast, filename, data, message):
    report = import_records(org=cast.school, filename=filename, data=data)
    assert message in report.errors[0].message


def test_command_json_and_exit_code(cast, people, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("姓名,类型,日期,标题\n李老师,会议,2026-03-02,例会\n", encoding="utf-8-sig")
    call_command("import-records", str(good), "--org", "demo", "--dry-run", "--format", "json")
    assert json.loads(capsys.readouterr().out) == {"created": 1, "errors": []}
    assert not Activity.objects.exists()
    call_command("import-records", str(good), "--org", "demo", "--format", "json")
    assert json.loads(capsys.readouterr().out) == {"created": 1, "errors": []}
    assert Activity.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,类型,日期\n无名氏,会议,2026-03-02\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import-records", str(bad), "--org", "demo", "--format", "json")
    assert exc.value.returncode == 1
    assert json.loads(capsys.readouterr().out) == {
        "created": 0,
        "errors": [{"row": 2, "column": "姓名", "message": "本单位没有名为“无名氏”的教师"}],
    }
    with pytest.raises(CommandError):
        call_command("import-records", str(good), "--org", "nope", "--format", "json")
    assert json.loads(capsys.readouterr().out)["errors"][0]["column"] == "--org"


def test_web_upload_preview_confirm(client, cast, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.office)
    data = xlsx([[None, "李老师", "会议", "2026-03-02", 1, "例会"] + [None] * 4])
    r = client.post(
        reverse("records:import"), {"org": "demo", "file": SimpleUploadedFile("r.xlsx", data)}
    )
    assert r.status_code == 302
    preview = client.get(r["Location"])
    assert preview.status_code == 200 and "例会" in preview.content.decode()
    assert not Activity.objects.exists()
    other = Client()  # another user cannot confirm someone's upload
    other.force_login(cast.lead)
    assert other.post(r["Location"]).status_code == 404
    done = client.post(r["Location"])
    assert done.status_code == 302 and Activity.objects.count() == 1


def test_web_preview_shows_errors_and_confirm_is_disabled(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.office)
    data = xlsx([[None, "无名氏", "会议", "2026-03-02", 1, "例会"] + [None] * 4])
    r = client.post(reverse("records:import"), {"file": SimpleUploadedFile("r.xlsx", data)})
    page = client.get(r["Location"]).content.decode()
    assert "第3行" in page and "本单位没有名为“无名氏”的教师" in page and "disabled" in page
    assert client.post(r["Location"]).status_code == 200
    assert not Activity.objects.exists()


def test_web_import_rejects_wrong_file_type(client, cast):
    client.force_login(cast.office)
    r = client.post(reverse("records:import"), {"file": SimpleUploadedFile("r.docx", b"x")})
    assert "只能上传 .xlsx 或 .csv 文件" in r.content.decode()


@pytest.mark.parametrize("who", ["teacher", "lead", "leader", "district"])
def test_import_is_for_office(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("records:import")).status_code == 403
