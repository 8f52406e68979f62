from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from keshi.appraisal.models import PointEntry, Source
from keshi.org.models import Person
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_archive_page_in_browser(demo_school, live_server, browser_page):
    person = Person.objects.get(user__username="teacher")
    PointEntry.objects.create(
        org=person.org,
        person=person,
        date=date.today(),
        points=Decimal("0.5"),
        reason="区级优质课二等奖",
        source=Source.AWARD,
    )
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "teacher", "demo1234")
    browser_page.goto(live_server.url + reverse("appraisal:my_archive"))
    body = browser_page.inner_text("body")
    screenshot(browser_page, "appraisal-archive")
    assert "个人档案" in body and "区级优质课二等奖" in body and "下载 Word" in body
    assert "业务记录汇总" in body
    assert errors == []


@pytest.mark.browser
def test_point_rules_page_in_browser(demo_school, live_server, browser_page):
    from keshi.appraisal.models import PointRule

    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    before = PointRule.objects.filter(org=demo_school).count()  # the demo's own rules
    login(page, live_server.url, "office", "demo1234")
    page.goto(live_server.url + reverse("appraisal:rules"))
    page.click("#new-rule")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=name]", "反思评为优秀")
    page.select_option("select[name=trigger]", "record_approved")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "请选择记录类型。" in page.inner_text("main")
    screenshot(page, "appraisal-rule-form-errors")
    page.select_option("select[name=kind]", label="教学反思/随笔")
    page.fill("input[name=keyword]", "优秀")
    page.fill("input[name=points]", "0.1")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    for level, label, points in (("first", "一等奖", "1"), ("merit", "优秀奖", "0.1")):
        page.goto(live_server.url + reverse("appraisal:rule_new"))
        page.fill("input[name=name]", f"评比{label}")
        page.select_option("select[name=trigger]", "contest_award")
        page.select_option("select[name=award_level]", level)
        page.fill("input[name=points]", points)
        if level == "first":
            page.check("input[name=reimbursable]")
            page.fill("input[name=reimbursement_note]", "参赛费凭发票报销")
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
    table = page.inner_text("#rules-table")
    assert "反思评为优秀" in table and "评比一等奖" in table and "参赛费凭发票报销" in table
    screenshot(page, "appraisal-point-rules")
    assert PointRule.objects.filter(org=demo_school).count() == before + 3
    assert errors == []
