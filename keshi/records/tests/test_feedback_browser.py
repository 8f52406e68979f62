"""The demo teacher's 我收到的听课反馈 in a real browser: one answered, one new, then 已阅."""

import pytest

from keshi.records.models import Feedback
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_demo_teacher_reads_and_acknowledges_feedback(demo_school, live_server, browser_page):
    received = Feedback.objects.filter(activity__observed__user__username="teacher")
    assert received.count() == 2
    answered = received.get(reply__gt="")
    assert answered.acknowledged_at is not None and answered.percent is not None
    new = received.get(acknowledged_at__isnull=True)
    assert new.reply == "" and new.percent is not None

    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "teacher", "demo1234")
    assert "条新的听课反馈" in page.inner_text("#home-feedback-new")
    page.click("#home-feedback-new a")
    page.goto(f"{live_server.url}/records/feedback/")
    screenshot(page, "records-feedback-received")
    listing = page.inner_text("#feedback-list")
    assert "已回复" in listing and "新" in listing and "课堂观察量表" in listing
    assert new.activity.person.name in listing

    page.goto(f"{live_server.url}/records/feedback/{new.activity_id}/")
    page.click("#acknowledge")
    page.wait_for_load_state("networkidle")
    assert "已标记为已阅" in page.inner_text("body")
    page.fill("#id_reply", "收到，谢谢！")
    page.click("#feedback-response button:has-text('发送回复')")
    page.wait_for_load_state("networkidle")
    screenshot(page, "records-feedback-detail")
    assert "收到，谢谢！" in page.inner_text("#feedback-response")
    new.refresh_from_db()
    assert new.acknowledged_at is not None and new.reply == "收到，谢谢！"

    # The group lead observes a lesson and scores it with the instrument on the form.
    page.context.clear_cookies()
    login(page, live_server.url, "lead", "demo1234")
    page.goto(f"{live_server.url}/records/new/?kind=observation")
    page.fill("#observed-search", "李晓琳")
    page.wait_for_function(
        """() => { const items = [...document.querySelectorAll('#directory-results [data-pick-person]')];
                   return items.length > 0 && items.every(i => i.dataset.label.includes('李晓琳')); }"""
    )
    page.locator("#directory-results [data-pick-person]").first.click()
    page.fill("#id_f_topic", "秋天的怀念")
    page.fill("#id_f_comments", "朗读指导细致。")
    page.select_option("#id_rubric", label="课堂观察量表（提问层次）")
    page.wait_for_selector("#id_score_c7")
    for item in page.locator("#instrument-table input[type=number]").all():
        item.fill(item.get_attribute("max"))
    page.fill("#id_private_notes", "下次带徒弟一起来听。")
    screenshot(page, "records-form-observation-instrument")
    page.click("#record-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已保存" in page.inner_text("body")
    assert "100 / 100" in page.inner_text("#observation-feedback")
    assert "下次带徒弟一起来听。" in page.inner_text("#private-notes")
    scored = Feedback.objects.get(activity__data__topic="秋天的怀念")
    assert scored.percent == 100 and scored.level == "优"
    assert scored.activity.observed.name == "李晓琳"

    # The office's coverage: per teacher and per group.
    page.context.clear_cookies()
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/records/feedback/coverage/?q=李晓琳")
    screenshot(page, "records-feedback-coverage")
    row = page.inner_text("#coverage-table tbody tr")
    assert "李晓琳" in row and "90.7%" in row  # 92, 80, 100: the demo's two, the lead's
    assert "语文" in page.inner_text("#coverage-groups")
    assert errors == []
