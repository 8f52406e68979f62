"""Roster import and export against the real database, through the service and the command."""

import io
import json
from datetime import date

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from keshi.org.models import Group, Membership, Person, Tag
from keshi.org.services import export_roster, import_roster
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory
from keshi.org.tests.test_roster_parse import csv_bytes, xlsx_bytes

TODAY = date(2025, 10, 1)
HEADER = ["工号", "姓名", "性别", "出生年月", "参加工作时间", "任教学科", "职称", "职务",
          "联系电话", "所在教研组", "备课组", "年级组", "荣誉", "在职"]  # fmt: skip
ROWS = [
    ["S01", "陈　一", "男", "1975.3", "1997年8月", "语文", "高级教师", "语文教研组长",
     "13900000001", "语文组", "高一语文", "高一年级", "市级骨干教师、学科带头人", "是"],
    ["S02", "林二", "女", "1990-05-06", "2012/8/20", "语文", "一级教师", "",
     "13900000002", "语文组", "高一语文", "高一年级", "", "是"],
    ["S03", "黄三", "女", "19881111", "201008", "数学", "一级教师", "高一数学备课组长",
     "13900000003", "数学组", "高一数学", "高一年级", "135教师", "是"],
]  # fmt: skip


def run(org, rows, *, name="r.xlsx", header=HEADER, **kwargs):
    data = (
        xlsx_bytes([header, *rows], title="示范中学2025学年教师名册")
        if name.endswith("xlsx")
        else csv_bytes([header, *rows], encoding=kwargs.pop("encoding", "utf-8"))
    )
    return import_roster(org=org, filename=name, data=data, today=TODAY, **kwargs)


def snapshot():
    return (
        sorted(Person.objects.values_list("org_id", "staff_no", "name", "phone", "position")),
        sorted(Group.objects.values_list("org_id", "name", "kind", "parent_id")),
        sorted(Membership.objects.values_list("person_id", "group_id", "role")),
        sorted(Person.tags.through.objects.values_list("person_id", "tag_id")),
        Tag.objects.count(),
        Person.history.count(),
    )


def test_import_creates_people_groups_roles_and_tags(cast):
    report = run(cast.school, ROWS, create_groups=True)
    assert (report.created, report.updated, report.unchanged, report.errors) == (3, 0, 0, [])
    chen = Person.objects.get(org=cast.school, staff_no="S01")
    assert (chen.name, chen.gender, chen.birth_date, chen.work_start) == (
        "陈一", "M", date(1975, 3, 1), date(1997, 8, 1)
    )  # fmt: skip
    assert (chen.phone, chen.title, chen.position, chen.active) == (
        "13900000001", "高级教师", "语文教研组长", True
    )  # fmt: skip
    assert sorted(t.name for t in chen.tags.all()) == ["学科带头人", "市级骨干教师"]
    roles = {
        (m.person.staff_no, m.group.name): m.role
        for m in Membership.objects.filter(person__staff_no__startswith="S")
    }
    assert roles == {
        ("S01", "语文组"): "lead", ("S01", "高一语文"): "member", ("S01", "高一年级"): "member",
        ("S02", "语文组"): "member", ("S02", "高一语文"): "member", ("S02", "高一年级"): "member",
        ("S03", "数学组"): "member", ("S03", "高一数学"): "lead", ("S03", "高一年级"): "member",
    }  # fmt: skip
    groups = {g.name: g for g in Group.objects.filter(org=cast.school)}
    assert groups["高一语文"].kind == "prep" and groups["高一语文"].parent == groups["语文组"]
    assert groups["高一数学"].parent == groups["数学组"]
    assert groups["高一年级"].kind == "grade" and groups["数学组"].kind == "subject"
    # the existing 语文组 was reused, not duplicated
    assert groups["语文组"] == cast.group


def test_reimport_is_idempotent(cast):
    run(cast.school, ROWS, create_groups=True)
    before = snapshot()
    report = run(cast.school, ROWS, create_groups=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert [r.action for r in report.rows] == ["unchanged"] * 3
    assert snapshot() == before


def test_reimport_updates_only_what_changed(cast):
    run(cast.school, ROWS, create_groups=True)
    changed = [list(r) for r in ROWS]
    changed[1][8] = "13911112222"
    changed[1][12] = "新教师"
    report = run(cast.school, changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert report.rows[1].changes == ["手机号：13900000002 → 13911112222", "添加标签“新教师”"]
    lin = Person.objects.get(staff_no="S02")
    assert lin.phone == "13911112222" and [t.name for t in lin.tags.all()] == ["新教师"]
    assert Person.objects.filter(org=cast.school).count() == 3 + 3


def test_empty_cells_leave_stored_values(cast):
    run(cast.school, ROWS, create_groups=True)
    report = run(cast.school, [["S02", "林二"]], header=["工号", "姓名"])
    assert (report.updated, report.unchanged) == (0, 1)
    assert Person.objects.get(staff_no="S02").phone == "13900000002"


def test_identity_by_name_and_birth_date_without_staff_no(cast):
    header = ["姓名", "出生日期", "手机号"]
    run(cast.school, [["周四", "1985-01-01", "1"], ["周四", "1986-02-02", "2"]], header=header)
    report = run(cast.school, [["周四", "1986-02-02", "3"]], header=header)
    assert (report.created, report.updated) == (0, 1)
    assert sorted(Person.objects.filter(name="周四").values_list("phone", flat=True)) == ["1", "3"]
    # a 工号 given later is added to the same person
    report = run(cast.school, [["T77", "周四", "1985-01-01"]], header=["工号", *header[:2]])
    assert (report.created, report.updated) == (0, 1)
    assert Person.objects.get(name="周四", birth_date=date(1985, 1, 1)).staff_no == "T77"


def test_identity_by_staff_no_allows_renaming(cast):
    run(cast.school, ROWS, create_groups=True)
    report = run(cast.school, [["S03", "黄叁"]], header=["工号", "姓名"])
    assert (report.created, report.updated) == (0, 1)
    assert report.rows[0].changes == ["姓名：黄三 → 黄叁"]


def test_identity_is_per_org(cast):
    PersonFactory(org=cast.other_school, staff_no="S01", name="别校的人")
    report = run(cast.school, ROWS[:1], create_groups=True)
    assert report.created == 1
    assert Person.objects.get(org=cast.other_school, staff_no="S01").name == "别校的人"


def test_ambiguous_name_without_staff_no_or_birth_is_an_error(cast):
    PersonFactory(org=cast.school, name="同名", staff_no="X1")
    PersonFactory(org=cast.school, name="同名", staff_no="X2")
    report = run(cast.school, [["同名", "1"]], header=["姓名", "手机号"])
    assert [e.as_dict() for e in report.errors] == [
        {"row": 3, "column": "姓名", "message": "单位中有2位“同名”，请填写工号或出生日期以区分"}
    ]


def test_two_rows_for_the_same_person(cast):
    PersonFactory(org=cast.school, name="吴五", staff_no="", birth_date=date(1980, 1, 1))
    rows = [["W5", "吴五", "1980-01-01"], ["", "吴五", "1980-01-01"]]
    report = run(cast.school, rows, header=["工号", "姓名", "出生日期"])
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (4, "姓名", "与第3行是同一人（吴五）")
    ]


def test_roles_follow_the_position_but_hand_set_roles_stay(cast):
    run(cast.school, ROWS, create_groups=True)
    demoted = [list(ROWS[0])]
    demoted[0][7] = "教师"
    report = run(cast.school, demoted)
    assert report.rows[0].changes == ["职务：语文教研组长 → 教师", "语文组：组长 → 成员"]
    chen = Membership.objects.get(person__staff_no="S01", group=cast.group)
    assert chen.role == "member"
    # 王组长 leads 语文组 by hand (职务 empty): importing him leaves that role alone
    wang = Person.objects.get(name="王组长")
    report = run(cast.school, [[wang.staff_no, "王组长", "", "语文组"]],
                 header=["工号", "姓名", "职务", "教研组"])  # fmt: skip
    assert report.unchanged == 1
    assert Membership.objects.get(person=wang, group=cast.group).role == "lead"
    # deputy through 职务
    run(cast.school, [["S02", "林二", "教研组副组长"]], header=["工号", "姓名", "职务"])
    assert Membership.objects.get(person__staff_no="S02", group=cast.group).role == "member"
    run(cast.school, [["S02", "林二", "教研组副组长", "语文组"]],
        header=["工号", "姓名", "职务", "教研组"])  # fmt: skip
    assert Membership.objects.get(person__staff_no="S02", group=cast.group).role == "deputy"


def test_other_memberships_are_kept(cast):
    math = GroupFactory(org=cast.school, name="数学组")
    research = GroupFactory(org=cast.school, name="课题一组", kind=Group.Kind.RESEARCH)
    person = PersonFactory(org=cast.school, staff_no="S02", name="林二")
    MembershipFactory(person=person, group=math)
    MembershipFactory(person=person, group=research)
    run(cast.school, ROWS[1:2], create_groups=True)
    assert sorted(person.memberships.values_list("group__name", flat=True)) == [
        "数学组", "语文组", "课题一组", "高一年级", "高一语文"
    ]  # fmt: skip
    assert cast.group.memberships.count() == 4  # the three of the cast, and 林二


def test_unknown_group_without_create_groups(cast):
    before = snapshot()
    report = run(cast.school, ROWS)
    messages = {(e.row, e.column, e.message) for e in report.errors}
    assert (
        3,
        "备课组",
        "备课组“高一语文”不存在",
    ) in messages
    assert (
        5,
        "所在教研组",
        "教研组“数学组”不存在",
    ) in messages
    assert (report.written, snapshot()) == (False, before)


def test_group_of_another_kind_is_an_error(cast):
    report = run(cast.school, [["林二", "语文组"]], header=["姓名", "备课组"])
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "备课组", "“语文组”是教研组，不是备课组")
    ]


def test_one_bad_row_among_good_ones_writes_nothing(cast):
    before = snapshot()
    rows = [list(r) for r in ROWS]
    rows[2][3] = "2019-02-30"
    report = run(cast.school, rows, create_groups=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (5, "出生年月", "日期不存在：2019-02-30")
    ]
    assert (report.written, snapshot()) == (False, before)


def test_dry_run_counts_but_writes_nothing(cast):
    before = snapshot()
    report = run(cast.school, ROWS, create_groups=True, dry_run=True)
    assert (report.created, report.errors, report.written) == (3, [], False)
    assert [n for n, _ in report.new_groups] == ["高一语文", "高一年级", "数学组", "高一数学"]
    assert snapshot() == before


def test_gbk_csv(cast):
    report = run(cast.school, ROWS, name="名册.csv", encoding="gbk", create_groups=True)
    assert (report.created, report.errors) == (3, [])
    assert Person.objects.get(staff_no="S01").name == "陈一"


def test_history_records_the_importing_user(cast):
    run(cast.school, ROWS[:1], create_groups=True, user=cast.office)
    record = Person.history.filter(staff_no="S01").latest("history_date")
    assert record.history_user == cast.office
    assert record.history_change_reason == "名册导入 r.xlsx"
    assert Membership.history.filter(history_user=cast.office).count() == 3


# --- export ----------------------------------------------------------------------------------


def test_export_round_trip(cast, tmp_path):
    run(cast.school, ROWS, create_groups=True)
    Person.objects.filter(staff_no="S02").update(active=False)
    data = export_roster(org=cast.school)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value.startswith("示范中学教师名册")
    assert [c.value for c in sheet[2]][:4] == ["工号", "姓名", "性别", "出生日期"]
    assert sheet.max_row == 2 + 6  # the cast's three teachers and the three imported
    before = snapshot()
    report = import_roster(org=cast.school, filename="x.xlsx", data=data, today=TODAY)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 6, [])
    assert snapshot() == before


def test_export_command_and_reimport_through_the_command(cast, tmp_path, capsys):
    run(cast.school, ROWS, create_groups=True)
    target = tmp_path / "out.xlsx"
    call_command("export-roster", "--org", "demo", "-o", str(target))
    assert "已导出 6 人" in capsys.readouterr().out
    call_command("import-roster", str(target), "--org", "demo", "--format", "json")
    assert json.loads(capsys.readouterr().out) == {
        "created": 0, "updated": 0, "unchanged": 6, "errors": []
    }  # fmt: skip


# --- the command -----------------------------------------------------------------------------


def keshi(*args) -> int:
    """Run ``keshi ARGS`` as the console would, through Django's command loader (which must
    find the hyphenated module), and return the exit status. Not run_from_argv: that closes
    the test database connection."""
    command = ManagementUtility(["keshi", *args]).fetch_command(args[0])
    parser = command.create_parser("keshi", args[0])
    options = vars(parser.parse_args(args[1:]))
    try:
        command.execute(*options.pop("args", ()), **options)
    except CommandError as error:
        return error.returncode
    return 0


def test_command_json_on_errors_exits_1_and_writes_nothing(cast, tmp_path, capsys):
    rows = [list(r) for r in ROWS]
    rows[0][1] = ""
    rows[2][4] = "2030-09-01"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, *rows], title="名册"))
    before = snapshot()
    status = keshi("import-roster", str(path), "--org", "demo", "--format", "json")
    out = capsys.readouterr().out
    assert status == 1
    assert json.loads(out) == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "errors": [
            {"row": 3, "column": "姓名", "message": "缺少姓名"},
            {"row": 3, "column": "备课组", "message": "备课组“高一语文”不存在"},
            {"row": 3, "column": "年级组", "message": "年级组“高一年级”不存在"},
            {"row": 4, "column": "备课组", "message": "备课组“高一语文”不存在"},
            {"row": 4, "column": "年级组", "message": "年级组“高一年级”不存在"},
            {"row": 5, "column": "参加工作时间", "message": "日期晚于今天：2030-09-01"},
            {"row": 5, "column": "所在教研组", "message": "教研组“数学组”不存在"},
            {"row": 5, "column": "备课组", "message": "备课组“高一数学”不存在"},
            {"row": 5, "column": "年级组", "message": "年级组“高一年级”不存在"},
        ],
    }  # fmt: skip
    assert list(json.loads(out)) == ["created", "updated", "unchanged", "errors"]
    assert snapshot() == before


def test_command_dry_run_then_real_run(cast, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([HEADER, *ROWS], encoding="gbk"))
    args = ("import-roster", str(path), "--org", "demo", "--create-groups")
    assert keshi(*args, "--dry-run") == 0
    assert "新增 3 人，更新 0 人，不变 0 人（试运行，未写入）" in capsys.readouterr().out
    assert not Person.objects.filter(staff_no="S01").exists()
    assert keshi(*args) == 0
    assert "新增 3 人，更新 0 人，不变 0 人" in capsys.readouterr().out
    assert keshi(*args, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 3


def test_command_text_errors_name_row_and_column(cast, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([["姓名", "出生日期"], ["张三", "2019-02-30"]]))
    assert keshi("import-roster", str(path), "--org", "demo") == 1
    err = capsys.readouterr().err
    assert "第2行［出生日期］：日期不存在：2019-02-30" in err


def test_command_unknown_org_and_missing_file(cast, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import-roster", str(tmp_path / "x.csv"), "--org", "nope", "--format", "json")
    assert json.loads(capsys.readouterr().out)["errors"] == [
        {"row": None, "column": "--org", "message": "单位代码“nope”不存在"}
    ]
    assert keshi("import-roster", str(tmp_path / "missing.csv"), "--org", "demo") == 1
    assert "无法读取文件" in capsys.readouterr().err


def test_rows_with_errors_are_marked_and_not_counted(cast):
    rows = [list(r) for r in ROWS]
    rows[1][1] = ""
    report = run(cast.school, rows, create_groups=True)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert [(r.row, r.action) for r in report.rows] == [
        (3, "created"), (4, "error"), (5, "created")
    ]  # fmt: skip
    assert report.rows[1].changes == ["姓名：缺少姓名"]
    assert report.rows[0].changes == [
        "标签：市级骨干教师、学科带头人", "加入语文组（组长）", "加入高一语文（成员）",
        "加入高一年级（成员）",
    ]  # fmt: skip
    assert report.as_json()["created"] == 0  # nothing was written


def test_position_role_goes_to_the_first_of_several_groups(cast):
    GroupFactory(org=cast.school, name="数学组")
    run(cast.school, [["甲", "教研组长", "数学组、语文组"]], header=["姓名", "职务", "教研组"])
    roles = dict(Membership.objects.filter(person__name="甲").values_list("group__name", "role"))
    assert roles == {"数学组": "lead", "语文组": "member"}
    data = export_roster(org=cast.school)
    report = import_roster(org=cast.school, filename="x.xlsx", data=data, today=TODAY)
    assert (report.created, report.updated, report.errors) == (0, 0, [])


def test_command_suggests_create_groups(cast, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([["姓名", "备课组"], ["张三", "高一语文"]]))
    assert keshi("import-roster", str(path), "--org", "demo") == 1
    err = capsys.readouterr().err
    assert "第2行［备课组］：备课组“高一语文”不存在" in err
    assert "提示：加上 --create-groups 可自动新建名册中不存在的组" in err
