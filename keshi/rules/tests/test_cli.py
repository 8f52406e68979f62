"""`keshi compliance`: hand-computed JSON, the Excel layout, errors, scoping with --as.

Term 2026-09-01 (Tue) .. 2027-01-22 (144 days); at = 2026-09-16 (Wed of 第3周).
"""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from keshi.calendar.services import create_school_year
from keshi.org.tests.factories import GroupFactory
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.models import Requirement
from keshi.rules.tests.factories import RequirementFactory
from keshi.tests import processes

pytestmark = pytest.mark.django_db
AT = "2026-09-16"


@pytest.fixture
def setup(cast):
    year = create_school_year(
        org=cast.school, start_year=2026, first_start=date(2026, 9, 1), first_end=date(2027, 1, 22)
    )
    term = year.terms.get(number=1)
    observe = RequirementFactory(
        org=cast.school, name="每学期听课", threshold=15, kinds=[kind("observation")]
    )
    blog = RequirementFactory(
        org=cast.school,
        name="每周博客",
        threshold=1,
        period=Requirement.Period.WEEK,
        kinds=[kind("blog")],
    )
    blog.groups.set([cast.group])
    me = cast.teacher.person
    ActivityFactory(person=me, date=date(2026, 9, 7), quantity=2)
    ActivityFactory(person=me, date=date(2026, 9, 14))
    ActivityFactory(person=me, kind=kind("blog"), date=date(2026, 9, 8))
    ActivityFactory(person=me, kind=kind("blog"), date=date(2026, 9, 17))  # after `at`
    return term, observe, blog


def run(*args) -> dict:
    out = StringIO()
    call_command("compliance", "--org", "demo", "--at", AT, *args, stdout=out)
    return json.loads(out.getvalue())


def test_json_is_hand_computed(cast, setup):
    term, observe, blog = setup
    data = run()
    assert data["term"] == "2026—2027学年第一学期" and data["at"] == AT
    assert data["requirements"] == [
        {"id": observe.pk, "name": "每学期听课"},
        {"id": blog.pk, "name": "每周博客"},
    ]
    rows = {row["name"]: row for row in data["rows"]}
    assert set(rows) == {"张老师", "李老师", "王组长"}  # not 赵老师 of the other school
    me = rows["张老师"]
    assert me["person"] == cast.teacher.person.staff_no
    assert me["results"] == [
        # 2 records (count); 16 of 144 days: 15 * 16 / 144 = 1.67 → 1 expected → on track.
        {
            "requirement": observe.pk,
            "period": "2026-09-01..2027-01-22",
            "value": 2,
            "target": 15,
            "status": "on_track",
        },
        # The term's first week is cut to Tue..Sun; no blog in it.
        {
            "requirement": blog.pk,
            "period": "2026-09-01..2026-09-06",
            "value": 0,
            "target": 1,
            "status": "missed",
        },
        {
            "requirement": blog.pk,
            "period": "2026-09-07..2026-09-13",
            "value": 1,
            "target": 1,
            "status": "met",
        },
        # Week 3, day 3 of 7: 1 * 3 / 7 → 0 expected, so 0 is on track; the 09-17 blog is
        # after `at` and does not count yet.
        {
            "requirement": blog.pk,
            "period": "2026-09-14..2026-09-20",
            "value": 0,
            "target": 1,
            "status": "on_track",
        },
    ]
    assert [r["status"] for r in rows["李老师"]["results"]] == [
        "behind",
        "missed",
        "missed",
        "on_track",
    ]


def test_numbers_are_json_numbers_and_decimals_stay_exact(cast, setup):
    term, observe, blog = setup
    observe.measure = Requirement.Measure.QUANTITY
    observe.threshold = "7.5"
    observe.save()
    ActivityFactory(person=cast.teacher.person, date=date(2026, 9, 15), quantity="0.5")
    result = run()["rows"]
    mine = next(r for r in result if r["name"] == "张老师")["results"][0]
    assert mine["value"] == 3.5 and mine["target"] == 7.5
    assert isinstance(run()["rows"][0]["results"][0]["value"], int | float)


def test_group_and_term_options(cast, setup):
    term, observe, blog = setup
    GroupFactory(org=cast.school, name="数学组")
    assert {r["name"] for r in run("--group", "语文组")["rows"]} == {"张老师", "李老师", "王组长"}
    assert run("--group", "数学组")["rows"] == []
    assert run("--group", str(cast.group.pk))["rows"][0]["results"]
    assert run("--term", str(term.pk))["term"] == str(term)
    assert run("--term", "2026-2027学年第一学期")["term"] == str(term)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--org", "nowhere"], "单位代码“nowhere”不存在"),
        (["--org", "demo", "--group", "体育组"], "没有组“体育组”"),
        (["--org", "demo", "--term", "2030学年"], "没有学期“2030学年”"),
        (["--org", "demo", "--at", "2026-13-01"], "格式不对"),
        (["--org", "demo", "--format", "xlsx"], "-o"),
        (["--org", "demo", "--as", "outsider"], "无权查看"),
    ],
)
def test_errors_are_chinese(cast, setup, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("compliance", *args)


def test_no_term_is_explained(cast):
    with pytest.raises(CommandError, match="没有包含"):
        call_command("compliance", "--org", "demo", "--at", AT)


def test_unknown_org_exits_1_without_traceback(cast, tmp_path):
    done = processes.run("compliance", "--org", "nowhere", data_dir=tmp_path, timeout=120)
    assert done.returncode == 1
    assert "单位代码“nowhere”不存在" in done.stderr and "Traceback" not in done.stderr


def test_xlsx_has_the_matrix_and_every_period(cast, setup, tmp_path):
    term, observe, blog = setup
    out = tmp_path / "c.xlsx"
    call_command("compliance", "--org", "demo", "--at", AT, "--format", "xlsx", "-o", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["当前周期", "全部周期"]
    matrix = book["当前周期"]
    assert [c.value for c in matrix[2]] == ["工号", "姓名", "每学期听课", "每周博客"]
    rows = {r[1]: r for r in matrix.iter_rows(min_row=3, values_only=True)}
    assert rows["张老师"][2:] == ("2/15 进度正常", "0/1 进度正常")
    assert rows["李老师"][2:] == ("0/15 进度落后", "0/1 进度正常")
    every = list(book["全部周期"].iter_rows(min_row=2, values_only=True))
    assert len(every) == 3 * 4  # three people, one term period and three weeks each
    week2 = [r for r in every if r[1] == "张老师" and r[2] == "每周博客"][1]
    assert week2[3].date() == date(2026, 9, 7) and week2[6:] == (1, 1, "已完成")


def test_as_user_limits_people_by_scope(cast, setup):
    assert [r["name"] for r in run("--as", "teacher")["rows"]] == ["张老师"]
    assert {r["name"] for r in run("--as", "lead")["rows"]} == {"张老师", "李老师", "王组长"}
    assert len(run("--as", "office")["rows"]) == 3
    assert len(run("--as", "district")["rows"]) == 3
