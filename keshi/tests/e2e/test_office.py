"""The 教科室's journey on the demo school: import a roster (.xlsx built here: upload → preview →
confirm), import a Word plan (.docx built here from a real plan's text) and confirm its
requirements, run a lottery draw (commitment published, then the draw and its seed revealed)."""

from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from keshi.checks.models import Draw
from keshi.org.models import Person
from keshi.plans.models import Plan
from keshi.rules.models import Requirement
from keshi.tests.e2e.journey import Journey

SAMPLE = Path("/work/shared/samples/plans/plan-a.txt")
SHORT_PLAN = """示范区实验中学2026学年第一学期教科室工作计划
一、指导思想
以课堂教学研究为中心，提高教师专业水平。
二、主要工作
1. 听课：普通教师每学期听课不得少于8次，教龄不足三年者每学期听课次数不得少于15次。
2. 每月写一篇教学反思，不得少于800字，每月最后一周星期五前提交。
3. 全体教师每学期写一篇教学论文。
"""
ROSTER = [
    ["工号", "姓名", "性别", "出生年月", "参加工作时间", "任教学科", "职称", "所在教研组"],
    ["E2E01", "周新芽", "女", "1999-03-08", "2024-08-20", "语文", "二级教师", "语文教研组"],
    ["E2E02", "吴启航", "男", "1996-11-21", "2019-08-25", "数学", "一级教师", "数学教研组"],
]


def _roster(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["示范区实验中学新进教师名册"])
    for row in ROSTER:
        sheet.append(row)
    path = folder / "新进教师名册.xlsx"
    book.save(path)
    return path


def _plan(folder: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8") if SAMPLE.exists() else SHORT_PLAN
    document = Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    path = folder / "教科室工作计划.docx"
    document.save(path)
    return path


@pytest.mark.browser
def test_office_journey(demo_school, live_server, browser_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    j = Journey(browser_page, live_server.url, "office")
    page = j.page
    j.log_in("office")
    j.shot("home")

    # -- roster: upload → preview → confirm -------------------------------------------------
    j.nav("名册导入")
    page.get_by_label("名册文件").set_input_files(str(_roster(tmp_path)))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state("networkidle")
    body = j.body()
    assert "周新芽" in body and "吴启航" in body
    assert not Person.objects.filter(staff_no__startswith="E2E").exists()  # preview writes nothing
    j.shot("roster-preview")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("networkidle")
    assert "名册已导入：新增 2 人" in j.body()
    j.shot("roster-imported")
    assert set(
        Person.objects.filter(org=demo_school, staff_no__startswith="E2E").values_list(
            "name", flat=True
        )
    ) == {"周新芽", "吴启航"}

    # -- plan: Word upload → preview → confirm → suggestions → requirements -----------------
    j.nav("工作计划")
    page.get_by_role("link", name="导入计划").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("input[type=file]").set_input_files(str(_plan(tmp_path)))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state("networkidle")
    assert "教龄不足三年者每学期听课次数不得少于15次" in j.body()
    j.shot("plan-preview")
    page.locator("input[name=title]").fill("教科室工作计划（Word 导入）")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("networkidle")
    assert "确认识别出的要求" in j.body()
    j.shot("plan-suggestions")
    plan = Plan.objects.get(title="教科室工作计划（Word 导入）")
    page.get_by_role("link", name="采纳", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    j.shot("plan-suggestion-accept-form")
    page.get_by_role("button", name="保存为量化要求").click()
    page.wait_for_load_state("networkidle")
    assert plan.requirements.count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="全部采纳可识别项").click()
    page.wait_for_load_state("networkidle")
    j.shot("plan-suggestions-accepted")
    assert plan.requirements.count() >= 3
    assert Requirement.objects.filter(plan=plan, org=demo_school).count() >= 3

    # -- a lottery draw: commitment first, then the draw reveals names and seed -------------
    names = list(
        Person.objects.filter(org=demo_school, subject="数学")
        .order_by("name")[:8]
        .values_list("name", flat=True)
    )
    page.goto(f"{live_server.url}/checks/draws/new/")
    page.get_by_label("名称").fill("数学组备课抽查（抽教师）")
    page.get_by_label("抽签对象").select_option(label="教师")
    page.get_by_label("抽签范围").fill("\n".join(names))
    page.get_by_label("抽取数量").fill("3")
    j.shot("draw-form")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    heading = page.locator("main h2").first.inner_text()  # the draw's own page
    assert "数学组备课抽查（抽教师）" in heading and "结果已封存，待抽签" in heading
    commitment = page.locator("#commitment").text_content()
    assert commitment.strip()
    j.shot("draw-committed")
    page.locator("#do-draw").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#commitment").text_content() == commitment
    assert "已抽签，结果已公开" in page.locator("main h2").first.inner_text()
    draw = Draw.objects.get(title="数学组备课抽查（抽教师）")
    assert draw.revealed and len(draw.result) == 3 and set(draw.result) <= set(names)
    shown = page.locator("#result").inner_text()
    assert all(name in shown for name in draw.result)
    j.shot("draw-revealed")
    j.assert_clean()
