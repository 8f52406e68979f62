"""The publish page in a real browser on the demo school: a plan whose rules repeat and change
the school's own (新教师听课 15 节, 教学反思 monthly) shows the pairs and the impact by 教研组;
replacing one and confirming publishes the plan."""

import pytest
from django.contrib.auth import get_user_model

from keshi.calendar.selectors import current_term
from keshi.plans import services
from keshi.plans.extraction import extract_text
from keshi.plans.imports import import_plan
from keshi.plans.models import Plan
from keshi.rules.models import Requirement
from keshi.tests.browser import login, screenshot

TEXT = (
    "教科室工作计划\n一、工作目标\n"
    "教龄不足三年者每学期听课不少于15节。\n"
    "每位教师每学期听课不少于20节。\n"
    "每月写一篇教学反思。\n"
    "全体教师每学期写一篇教学论文。\n"
)


@pytest.mark.browser
def test_the_office_reviews_and_publishes(demo_school, live_server, browser_page):
    office = get_user_model().objects.get(username="office")
    plan = import_plan(org=demo_school, user=None, extraction=extract_text(TEXT),
                       title="新学期教科室计划", term=current_term(demo_school))  # fmt: skip
    assert len(services.accept_all(plan=plan, user=office).accepted) == 4
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.click("a.btn:text-is('发布')")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "发布前核对" in body and "每位教师每学期听课不少于20节" in body
    assert page.locator(".badge", has_text="重复").count() == 1  # 教学论文, as the school has it
    assert page.locator(".badge", has_text="重叠").count() >= 3
    assert "数量不同" in body
    duplicate = page.locator("fieldset", has=page.locator(".badge", has_text="重复"))
    assert duplicate.locator("input[value=merge]").is_checked()
    assert "适用对象：现有为" in body and "合计" in body
    screenshot(page, "plans-publish-review")

    page.locator("input[value=replace]").first.check()
    page.click("button:has-text('确认发布')")
    page.wait_for_load_state("networkidle")
    assert "计划已发布" in page.inner_text("body")
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.PUBLISHED
    assert Requirement.objects.filter(org=demo_school, active=False).exclude(plan=plan).count() == 1
    merged = Requirement.objects.get(plan=plan, kinds__code="paper")
    assert merged.active is False  # merged into the school's 教学论文, not published
    assert errors == []
