"""The import flow in a real browser on the demo school: upload plan-a, preview, confirm,
review the suggestions, accept the clean ones, publish, and read the plan as a teacher."""

from pathlib import Path

import pytest

from keshi.plans.models import Plan
from keshi.tests.browser import login, screenshot

SAMPLE = Path("/work/shared/samples/plans/plan-a.txt")


@pytest.mark.browser
@pytest.mark.skipif(not SAMPLE.exists(), reason="plan-a.txt sample not available")
def test_import_flow(demo_school, live_server, browser_page):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/plans/")
    page.click("text=导入计划")
    page.set_input_files("input[type=file]", str(SAMPLE))
    page.click("button:has-text('上传并预览')")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "导入预览" in body and "教龄不足三年者每学期听课次数不得少于15次" in body
    assert "明庭友" in body and "9月" in body
    screenshot(page, "plans-import-preview")

    page.fill("input[name=title]", "教科室工作计划（导入）")
    page.click("button:has-text('确认导入')")
    page.wait_for_load_state("networkidle")
    assert "确认识别出的要求" in page.inner_text("body")
    screenshot(page, "plans-suggestions")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('全部采纳可识别项')")
    page.wait_for_load_state("networkidle")
    assert "需要人工确认" in page.inner_text("body")

    plan = Plan.objects.get(title="教科室工作计划（导入）")
    assert plan.requirements.count() >= 4  # the org's meetings went to the 行事历 (issue 23)
    assert plan.calendar_items.filter(title__contains="学科主任会议").exists()
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.click("a.btn:text-is('发布')")
    page.wait_for_load_state("networkidle")
    assert "发布前核对" in page.inner_text("body")
    page.click("button:has-text('确认发布')")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert (
        "已发布" in body and "工作分工" in body and "教龄不满3年的教师每学期听课不少于15节" in body
    )
    screenshot(page, "plans-detail-office")

    page.context.clear_cookies()
    login(page, live_server.url, "teacher", "demo1234")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    body = page.inner_text("body")
    assert "教科室工作计划（导入）" in body
    assert page.locator("button:has-text('归档')").count() == 0  # reading, not managing
    assert page.locator("text=修改基本信息").count() == 0
    screenshot(page, "plans-detail-teacher")
    assert errors == []
