"""A school's first day in keshi, in a real browser, from an empty database and without /admin/:
``keshi setup`` creates the office admin; the admin imports the roster with logins and prints the
credentials, writes the 徒弟听师傅 rule, pairs a 师傅 with a new teacher, grants a 教研组长 and rolls
the rules over into the next term; the new teacher logs in with the printed password, changes it
and finds the 徒弟听师傅 task on 我的任务."""

import io

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from keshi.accounts.models import RoleGrant
from keshi.org.models import Membership, Mentorship, Person
from keshi.rules.models import Requirement
from keshi.tests.browser import login, screenshot

ADMIN_PASSWORD = "Qs-first-day-2026"
ROSTER = [
    ("姓名", "工号", "性别", "任教学科", "教研组", "任教起始"),
    ("张明远", "Q001", "男", "物理", "理化生教研组", "2008-09-01"),
    ("李新苗", "Q002", "女", "物理", "理化生教研组", "2026-09-01"),
    ("王芳", "Q003", "女", "数学", "数学教研组", "2015-09-01"),
]
OUTSIDE_ADMIN = "/admin/"


def _roster(path) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["青山中学2026学年教师名册"])
    for row in ROSTER:
        sheet.append(row)
    book.save(path)
    return str(path)


def _submit(page, label: str) -> str:
    page.click(f"button:has-text('{label}')")
    page.wait_for_load_state("networkidle")
    return page.inner_text("body")


def _download(page, link: str) -> bytes:
    with page.expect_download() as info:
        page.click(f"a:has-text('{link}')")
    return open(info.value.path(), "rb").read()


@pytest.mark.browser
@pytest.mark.slow
def test_a_school_runs_its_first_day_without_admin(
    transactional_db, live_server, browser_page, monkeypatch, tmp_path
):
    monkeypatch.setenv("KESHI_SETUP_PASSWORD", ADMIN_PASSWORD)
    call_command(
        "setup", "--type", "school", "--name", "青山中学", "--code", "qszx", "--admin", "zhuren",
        "--admin-name", "周主任", stdout=io.StringIO(),
    )  # fmt: skip
    page = browser_page
    visited: list[str] = []
    page.on("request", lambda r: visited.append(r.url))
    login(page, live_server.url, "zhuren", ADMIN_PASSWORD)

    # 名册 with logins, then the credentials: 账号表 (Excel) and 账号条 (Word).
    page.goto(f"{live_server.url}/roster/import/")
    page.set_input_files("input[name=file]", _roster(tmp_path / "名册.xlsx"))
    page.check("input[name=create_groups]")
    page.check("input[name=create_logins]")
    _submit(page, "上传")
    screenshot(page, "first-day-roster-preview")
    body = _submit(page, "确认导入并开通登录")
    assert page.url.endswith("/logins/credentials/"), body
    screenshot(page, "first-day-credentials")
    sheet = openpyxl.load_workbook(io.BytesIO(_download(page, "下载账号表"))).active
    rows = {r[1]: r for r in sheet.iter_rows(values_only=True) if r and r[1]}
    slips = docx.Document(io.BytesIO(_download(page, "下载账号条")))
    assert "李新苗" in "\n".join(p.text for p in slips.paragraphs) + "".join(
        c.text for t in slips.tables for row in t.rows for c in row.cells
    )
    mentee_password = next(str(r[3]) for r in rows.values() if "李新苗" in r)
    mentor, mentee = Person.objects.get(staff_no="Q001"), Person.objects.get(staff_no="Q002")
    assert mentee.user.username == "Q002"

    # The 徒弟听师傅 rule, on the requirements page.
    page.goto(f"{live_server.url}/requirements/new/")
    page.fill("input[name=name]", "徒弟听师傅的课")
    page.get_by_label("听课/听评课（节）").check()
    page.fill("input[name=threshold]", "2")
    page.select_option("select[name=period]", "week")
    page.select_option("select[name=mentorship]", "mentee_observes_mentor")
    screenshot(page, "first-day-rule")
    body = _submit(page, "保存")
    rule = Requirement.objects.get(name="徒弟听师傅的课")
    assert rule.mentorship == "mentee_observes_mentor", body

    # 师徒结对.
    page.goto(f"{live_server.url}/org/mentorships/")
    page.click("a.btn:has-text('添加结对')")
    page.select_option("select[name=mentor]", str(mentor.pk))
    page.select_option("select[name=mentee]", str(mentee.pk))
    page.fill("input[name=subject]", "物理")
    assert "已添加师徒结对" in _submit(page, "保存")
    assert Mentorship.objects.filter(mentor=mentor, mentee=mentee).exists()

    # 教研组长 of 理化生教研组.
    page.goto(f"{live_server.url}/roles/")
    group = mentor.memberships.get().group
    page.select_option("select[name=l-group]", str(group.pk))
    page.select_option("select[name=l-person]", str(mentor.pk))
    page.select_option("select[name=l-role]", "lead")
    assert "组长" in _submit(page, "保存")
    screenshot(page, "first-day-roles")
    assert Membership.objects.current().filter(person=mentor, group=group, role="lead").exists()
    assert not RoleGrant.objects.filter(user=mentee.user).exists()

    # Into the next term: the pair and the rule carry over after review.
    page.goto(f"{live_server.url}/calendar/")
    page.get_by_role("link", name="开始下一学期 / 学年").click()
    page.get_by_role("button", name="下一步：核对沿用内容").click()
    review = page.inner_text("body")
    assert "张明远 → 李新苗" in review and "徒弟听师傅的课" in review
    screenshot(page, "first-day-rollover")
    page.get_by_role("button", name="确认更替").click()
    assert "2026—2027学年第二学期" in page.inner_text("h1")
    rule.refresh_from_db()
    assert rule.active and Mentorship.objects.get(mentee=mentee).end is None

    # The new teacher: printed password, forced change, the task.
    page.context.clear_cookies()
    login(page, live_server.url, "Q002", mentee_password)
    assert page.url.endswith("/accounts/password/")
    page.fill("input[name=old_password]", mentee_password)
    page.fill("input[name=new_password1]", "Green-shoots-2026")
    page.fill("input[name=new_password2]", "Green-shoots-2026")
    _submit(page, "保存新密码")
    page.goto(live_server.url + reverse("rules:my_tasks"))
    screenshot(page, "first-day-mentee-tasks")
    tasks = page.inner_text("main")
    assert "徒弟听师傅的课" in tasks and "0/2 节" in tasks
    assert "未达标" not in tasks  # the rule starts today: no week before it is held against her

    assert not [u for u in visited if OUTSIDE_ADMIN in u]
