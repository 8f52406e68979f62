"""The weekly schedule in a real browser: the office reads the draft, writes a note for Monday,
publishes; a teacher then reads it and walks to the next week; the print view renders."""

import pytest

from keshi.tests.browser import login, screenshot
from keshi.weekly.tests.conftest import MON, WEEK

PASSWORD = "pass-keshi-123"


@pytest.mark.browser
def test_office_publishes_and_teacher_reads(transactional_db, cast, term, trip, live_server,
                                            browser_page):  # fmt: skip
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", PASSWORD)
    page.goto(f"{live_server.url}/weekly/?term={term.pk}&week={WEEK}")
    assert "第10周工作安排" in page.inner_text("h1")
    assert "草稿" in page.inner_text("h1")
    sheet = page.inner_text("#weekly-sheet")
    assert "外出：张老师（外出培训·全天）" in sheet and "第2节 初一(3)班语文：王组长代课" in sheet
    assert "未安排" in page.inner_text(f"#day-{MON.replace(day=5).isoformat()}")
    page.get_by_role("link", name="编辑每日备注").click()
    page.get_by_label("11月3日 星期一").fill("上午第一节后升旗仪式（操场）")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "上午第一节后升旗仪式" in page.inner_text(f"#day-{MON.isoformat()}")
    page.get_by_role("button", name="发布给全体教职工").click()
    page.wait_for_load_state("networkidle")
    assert "已发布" in page.inner_text("h1")
    screenshot(page, "weekly-office")

    with page.expect_popup() as popup:
        page.get_by_role("link", name="打印/截图版").click()
    printable = popup.value
    printable.wait_for_load_state("networkidle")
    assert "示范中学第10周工作安排" in printable.inner_text("h1")
    assert "王组长代课" in printable.inner_text("#weekly-print")
    screenshot(printable, "weekly-print")
    printable.close()

    page.context.clear_cookies()
    login(page, live_server.url, "other_teacher", PASSWORD)
    page.goto(f"{live_server.url}/weekly/?term={term.pk}&week={WEEK}")
    body = page.inner_text("body")
    assert "外出：李老师（外出培训·全天）" in body and "升旗仪式" in body
    assert "发布给全体教职工" not in body and "编辑每日备注" not in body
    page.get_by_role("link", name="第11周 ›").click()
    page.wait_for_load_state("networkidle")
    assert "本周工作安排尚未发布" in page.inner_text("body")
    screenshot(page, "weekly-teacher-unpublished")
    assert errors == []
