"""The teacher's journey on the demo school: log in, read 我的任务, record an observation of
the mentor (picked by search) and a reflection (字数 counted as it is typed), see 我的任务 move,
find both in the own records list."""

import re
from datetime import date

import pytest

from keshi.org.models import Mentorship
from keshi.records.models import Activity
from keshi.records.services import count_chars
from keshi.tests.e2e.journey import Journey

MENTOR_RULE = "徒弟听师傅的课"
REFLECTION_RULE = "教学反思"
REFLECTION = (
    "这节课我尝试让学生先读后议，再带着问题回到文本。" * 36
    + "下次要把小组讨论的时间留足，让每个学生都有机会说出自己的理解。"
)


def _progress(page, rule: str) -> tuple[int, str]:
    """The value done and the gap text of one requirement on 我的任务."""
    row = page.locator(".task").filter(has=page.locator("strong", has_text=rule)).first
    text = row.locator(".col-md-3 .small").inner_text()
    done = int(re.match(r"\s*(\d+)", text).group(1))
    return done, text


@pytest.mark.browser
def test_teacher_journey(demo_school, live_server, browser_page):
    j = Journey(browser_page, live_server.url, "teacher")
    page = j.page
    j.log_in("teacher")
    j.shot("home")

    j.nav("我的任务")
    assert page.locator("h1").inner_text() == "我的任务"
    before, before_text = _progress(page, MENTOR_RULE)
    reflections_before, _ = _progress(page, REFLECTION_RULE)
    j.shot("my-tasks-before")

    mentor = Mentorship.objects.get(mentee__user__username="teacher").mentor
    row = page.locator(".task").filter(has=page.locator("strong", has_text=MENTOR_RULE)).first
    row.get_by_role("link", name="去登记").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("被听课教师").fill(mentor.name)
    pick = page.locator("#directory-results [data-pick-person]").filter(has_text=mentor.name)
    pick.first.wait_for()
    j.shot("observation-search")
    pick.first.click()
    page.get_by_label("班级").fill("七年级（2）班")
    page.get_by_label("课题", exact=True).fill("《春》第二课时")
    page.get_by_label("评课意见").fill("朗读指导到位，板书清楚。")
    j.shot("observation-filled")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "已保存" in j.body()
    j.shot("observation-saved")
    saved = Activity.objects.get(person__user__username="teacher", title="《春》第二课时")
    assert saved.observed == mentor and saved.date == date.today()

    page.goto(f"{live_server.url}/records/new/")
    page.locator("#kind-tiles").get_by_role("link", name="教学反思/随笔").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("标题").fill("《春》朗读教学反思")
    page.get_by_label("正文").fill(REFLECTION)
    counted = page.locator('[data-chars-for="id_text"]').inner_text()
    assert counted == str(count_chars(REFLECTION)) and int(counted) >= 800
    j.shot("reflection-typed")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert "已保存" in j.body()
    reflection = Activity.objects.get(title="《春》朗读教学反思")
    assert reflection.chars == int(counted) and reflection.kind.code == "reflection"

    j.nav("我的任务")
    after, after_text = _progress(page, MENTOR_RULE)
    j.shot("my-tasks-after")
    assert after == before + 1, (before_text, after_text)
    assert after_text != before_text
    assert _progress(page, REFLECTION_RULE)[0] == reflections_before + 1

    j.nav("工作记录")
    table = page.locator("#records-table").inner_text()
    assert "《春》第二课时" in table and "《春》朗读教学反思" in table
    j.shot("own-records")
    j.assert_clean()
