"""Checks in a real browser on the demo school: a verifiable draw end to end, the scoring grid,
a bulletin, and the teacher's own results."""

from datetime import date

import pytest

from keshi.checks import services
from keshi.checks.models import Bulletin, Draw, Inspection, Rubric
from keshi.org.models import Group, Person
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_office_draws_and_anyone_verifies(demo_school, live_server, browser_page):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/checks/draws/pair/")
    assert "语文" in page.input_value("#id_subjects")  # preset from the teachers' subjects
    page.fill("#id_grade", "初一")
    page.fill("#id_classes", "\n".join(f"初一({i})班" for i in range(1, 9)))
    page.click("main form[novalidate] button[type=submit]")
    page.wait_for_load_state("networkidle")
    screenshot(page, "checks-draws-list")
    page.click("#draws-table >> text=初一作业抽查（抽班级）")
    page.wait_for_load_state("networkidle")
    commitment = page.text_content("#commitment")  # folded in 技术细节 (<details>)
    assert len(commitment) == 64
    assert "抽签后公开" in page.inner_text("#draw-facts")
    screenshot(page, "checks-draw-before-reveal")
    page.click("#do-draw")
    page.wait_for_load_state("networkidle")
    assert page.text_content("#commitment") == commitment
    page.click("#verify")
    page.wait_for_load_state("networkidle")
    screenshot(page, "checks-draw-after-reveal-verified")
    assert "验证通过" in page.inner_text("#verification")
    draw = Draw.objects.get(title="初一作业抽查（抽班级）")
    assert draw.revealed and len(draw.result) == 3
    assert all(r in page.inner_text("#result") for r in draw.result)
    # a teacher of the school verifies the same draw
    page.context.clear_cookies()
    login(page, live_server.url, "teacher", "demo1234")
    page.goto(f"{live_server.url}/checks/draws/{draw.pk}/")
    page.click("#verify")
    page.wait_for_load_state("networkidle")
    assert "验证通过" in page.inner_text("#verification")
    assert draw.seed in page.text_content("#seed")
    assert errors == []


@pytest.mark.browser
def test_scoring_grid_bulletin_and_my_results(demo_school, live_server, browser_page):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    org = demo_school
    group = Group.objects.filter(org=org, memberships__person__user__username="teacher").first()
    from django.contrib.auth import get_user_model

    office = get_user_model().objects.get(username="office")
    inspection = services.save_inspection(
        org=org,
        by=office,
        title="期中教案检查",
        kind=Inspection.Kind.MIDTERM,
        target="people",
        rubric=Rubric.objects.get(org=None, code="lesson-plan"),
        groups=[group],
        start=date(2025, 4, 21),
        end=date(2025, 4, 25),
    )
    draw = services.commit_draw(
        org=org, title="推门听课", population=["语文", "数学", "英语"], k=1, by=office
    )
    draw = services.reveal_draw(draw=draw, by=office)
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/checks/inspections/{inspection.pk}/score/")
    rows = page.locator("#score-grid [data-row]")
    count = rows.count()
    for i in range(count):
        inputs = rows.nth(i).locator("[data-score]")
        for j, value in enumerate(["9", "13", "8", "22", "9", "8", "12", "5"]):
            inputs.nth(j).fill(str(int(value) - (i + j) % 3))
    rows.nth(0).locator("textarea").fill("教学目标具体，反思有深度")
    assert rows.nth(0).locator("[data-total]").inner_text() == "79"
    screenshot(page, "checks-inspection-scoring-grid")
    page.click("#score-grid button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert f"已保存 {count} 条评分" in page.inner_text("body")
    screenshot(page, "checks-inspection-detail")
    page.click("text=完成检查")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/checks/bulletins/new/")
    page.check(f"input[name=inspections][value='{inspection.pk}']")
    page.check(f"input[name=draws][value='{draw.pk}']")
    page.fill(
        "#id_news", "语文组开展“同课异构”教研活动\n4月18日，语文组在录播教室开展同课异构活动。"
    )
    page.click("main form[novalidate] button[type=submit]")
    page.wait_for_load_state("networkidle")
    screenshot(page, "checks-bulletin-draft")
    page.click("#publish")
    page.wait_for_load_state("networkidle")
    screenshot(page, "checks-bulletin")
    assert "期中教案检查情况通报" in page.inner_text("#bulletin")
    # 红头 and the appendix: the draw's hashes only after the pieces.
    assert page.inner_text("#masthead h1") == f"{org.name}教科研信息"
    latest = Bulletin.objects.filter(org=org).order_by("-number").first()
    assert f"第{latest.number}期" in page.inner_text("#masthead")
    body = page.inner_text("#bulletin")
    assert "抽签过程可验证，见附录" in body and body.count(draw.commitment) == 1
    assert draw.commitment in page.inner_text("#appendix")
    page.locator("#appendix").scroll_into_view_if_needed()
    screenshot(page, "checks-bulletin-appendix")
    teacher = Person.objects.get(user__username="teacher")
    page.context.clear_cookies()
    login(page, live_server.url, "teacher", "demo1234")
    page.goto(f"{live_server.url}/checks/")
    screenshot(page, "checks-my-results-teacher")
    assert teacher.name in page.inner_text("#my-results")
    page.goto(f"{live_server.url}/checks/bulletins/")
    assert "教科研信息" in page.inner_text("#bulletins-list")
    assert errors == []
