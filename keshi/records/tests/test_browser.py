"""The record form, the list and the review queue in a real browser on the demo school."""

import pytest

from keshi.records.models import Activity
from keshi.records.services import count_chars
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_teacher_records_an_observation(demo_school, live_server, browser_page):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "teacher", "demo1234")
    before = Activity.objects.count()
    page.goto(f"{live_server.url}/records/new/")
    page.click("#kind-tiles >> text=听课/听评课")
    page.wait_for_selector("#observed-search")
    page.fill("#observed-search", "数学")
    page.wait_for_function(
        """() => { const items = [...document.querySelectorAll('#directory-results [data-pick-person]')];
                   return items.length > 0 && items.every(i => i.dataset.label.includes('数学')); }"""
    )
    screenshot(page, "records-form-observation-search")
    first = page.locator("#directory-results [data-pick-person]").first
    label = first.get_attribute("data-label")
    first.click()
    assert page.inner_text("#observed-chosen [data-chosen-label]") == label
    page.fill("#id_f_class_name", "初二(1)班")
    page.fill("#id_f_topic", "一次函数")
    page.fill("#id_f_comments", "情境导入自然，练习层次分明。")
    page.click("#record-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    screenshot(page, "records-detail-saved")
    assert "已保存" in body and "再记一条" in body and "一次函数" in body
    assert Activity.objects.count() == before + 1
    saved = Activity.objects.order_by("-pk").first()
    assert saved.kind.code == "observation" and saved.observed.name in label
    assert saved.data["subject"] == "数学"  # filled in from the picked teacher
    assert saved.person.user.username == "teacher"

    page.goto(f"{live_server.url}/records/new/?kind=reflection")
    text = "今天 的课\u3000很好。\n𠮷\u00a0!"
    page.fill("#id_text", text)
    assert page.inner_text('[data-chars-for="id_text"]') == str(count_chars(text)) == "9"
    page.goto(f"{live_server.url}/records/")
    screenshot(page, "records-list-teacher")
    assert "一次函数" in page.inner_text("#records-table")
    assert errors == []


@pytest.mark.browser
def test_office_review_queue(demo_school, live_server, browser_page):
    from keshi.org.models import Person
    from keshi.records.services import record_activity
    from keshi.records.tests.factories import kind

    people = list(Person.objects.filter(org__code="demo", user__isnull=True)[:3])
    for i, person in enumerate(people):
        record_activity(
            person=person, kind=kind("paper"), by=None, title=f"论文{i}", text="研究正文" * 50
        )
    page = browser_page
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/records/review/")
    screenshot(page, "records-review-queue")
    assert "论文0" in page.inner_text("#review-table")
    row = page.locator("#review-table tr", has_text="论文0")
    row.locator("button[value=return]").click()
    page.wait_for_load_state("networkidle")
    assert "退回时请填写原因" in page.inner_text("body")
    row = page.locator("#review-table tr", has_text="论文0")
    row.locator("input[name=comment]").fill("请补充参考文献")
    row.locator("button[value=return]").click()
    page.wait_for_load_state("networkidle")
    assert "已退回" in page.inner_text("body")
    page.goto(f"{live_server.url}/records/")
    screenshot(page, "records-list-office")
