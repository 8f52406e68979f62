"""The demo school (60 teachers, 11 requirements, records through the term): both documents from
the console commands, timed, printed to test-artifacts/ — and the download pages in a browser."""

import io
import time
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from docx import Document

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term
from keshi.org.models import Org, Person
from keshi.plans.models import CalendarItem, Duty, Plan, PlanSection
from keshi.plans.summary import ConsoleUser, save_summary_words
from keshi.rules.models import Requirement
from keshi.tests.browser import login, screenshot

SECTIONS = [
    (
        "guiding",
        "指导思想",
        "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务。"
        "以课堂教学改革为核心，以校本研修为抓手，以课题研究为引领，促进教师专业发展，提高教育教学质量。",
    ),
    (
        "goals",
        "工作目标",
        "1．完善听课评课、教学反思、读书学习等教科研常规制度，做到有布置、有检查、有反馈。\n"
        "2．青年教师一年入门、三年合格、五年成为骨干。\n"
        "3．区级以上课题立项一项，结题一项；教师论文获奖或发表二十篇以上。",
    ),
    (
        "measures",
        "主要工作与具体措施",
        "（一）抓实教学常规\n每月检查一次教师听课记录和教学反思，检查结果在教师会上通报。\n"
        "（二）深化校本研修\n各教研组每周开展一次教研活动，做到定时间、定地点、定主题、定中心发言人。\n"
        "（三）实施青蓝工程\n师徒结对，徒弟每周听师傅的课，师傅每两周听徒弟的课并指导。",
    ),
    ("duties", "工作分工", ""),
    ("calendar", "活动安排（行事历）", ""),
]
CALENDAR = [
    (9, None, "制定教科室工作计划，各教研组制定教研计划"),
    (9, None, "新教师岗前培训，师徒结对签约仪式"),
    (9, 3, "青年教师汇报课（第一轮）"),
    (10, None, "教学反思评比；读书笔记检查"),
    (10, 8, "期中教学常规检查"),
    (11, None, "青年教师优质课评比"),
    (11, 12, "区级课题中期检查"),
    (12, None, "教师论文撰写与评选"),
    (12, 17, "读书交流会"),
    (1, None, "期末教学常规检查；教科研工作总结"),
]


def demo_plan(org: Org, term: Term) -> Plan:
    plan = Plan.objects.create(
        org=org, title=f"{org.name}{term}教科室工作计划", term=term, status="published"
    )
    for i, (kind, title, body) in enumerate(SECTIONS):
        PlanSection.objects.create(plan=plan, kind=kind, title=title, body=body, position=i)
    people = list(Person.objects.filter(org=org, active=True).order_by("pk")[:6])
    for i, p in enumerate(people[:4]):
        Duty.objects.create(plan=plan, person=p, responsibility=f"负责第{i + 1}项工作", position=i)
    statuses = ["done", "done", "done", "done", "postponed", "done", "cancelled", "planned"]
    for i, (month, week, title) in enumerate(CALENDAR):
        status = statuses[i] if i < len(statuses) else "planned"
        reason = {"postponed": "与区统考冲突", "cancelled": "专家时间调整"}.get(status, "")
        item = CalendarItem.objects.create(
            plan=plan, title=title, month=month, week=week, status=status, reason=reason
        )
        item.owners.set(people[i % 3 : i % 3 + 2])
    Requirement.objects.filter(org=org).update(plan=plan)
    return plan


@pytest.mark.slow
def test_demo_documents_build_in_seconds(demo_school, tmp_path, capsys):
    from keshi.plans.tests.test_word import _pages, _print

    term = current_term(demo_school)
    plan = demo_plan(demo_school, term)
    save_summary_words(
        plan=plan,
        user=ConsoleUser(),
        achievements="（一）常规管理扎实有效\n听课评课、教学反思制度全面落实。",
        problems="部分教师反思内容空泛。",
        next_term="加强过程督查，完善考核细则。",
    )
    at = min(date.today(), term.end - timedelta(days=1))
    out = tmp_path / "summary.docx"
    started = time.perf_counter()
    call_command("summary-docx", org="demo", at=at.isoformat(), output=str(out))
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nsummary-docx for the demo school: {seconds:.2f}s")
    assert seconds < 10
    doc = Document(io.BytesIO(out.read_bytes()))
    assert doc.paragraphs[0].text.endswith("工作总结（草稿）")
    assert len(doc.inline_shapes) == 2
    # Every rule of the demo school is in force; those owed by people get a table each.
    requirement_tables = [t for t in doc.tables if t.rows[0].cells[1].text == "考核人数"]
    people_rules = Requirement.objects.filter(org=demo_school).exclude(owner="group")
    assert len(requirement_tables) == people_rules.count() == 11
    headers = {t.rows[0].cells[0].text for t in doc.tables}
    assert {"检查", "抽签", "评比", "课题"} <= headers  # the demo's term of work, from the data
    texts = [p.text for p in doc.paragraphs]
    assert not any("暂无" in t or "由教科室填写" in t for t in texts)
    assert any(t.endswith("、考试与质量分析") for t in texts)  # the demo's 七年级期中考试
    plan_out = tmp_path / "plan.docx"
    call_command("plan-docx", plan.pk, output=str(plan_out))
    pdf = _print(out.read_bytes(), "demo-summary-docx", tmp_path)
    assert _pages(pdf) <= 15  # 14, and the 考试与质量分析 section's table and lines
    _print(plan_out.read_bytes(), "demo-plan-docx", tmp_path)


@pytest.mark.browser
def test_documents_pages_in_browser(demo_school, live_server, browser_page):
    plan = demo_plan(demo_school, current_term(demo_school))
    draft = Plan.objects.create(org=demo_school, title="教研组草稿计划", term=plan.term)
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    for username in ("office", "leader", "teacher", "district"):
        browser_page.context.clear_cookies()
        login(browser_page, live_server.url, username, "demo1234")
        browser_page.goto(f"{live_server.url}/plans/documents/")
        body = browser_page.inner_text("body")
        screenshot(browser_page, f"documents-index-{username}")
        assert plan.title in body
        assert (draft.title in body) == (username != "teacher")
        summary_links = browser_page.locator(f"a[href='/plans/documents/{plan.pk}/summary/']")
        assert summary_links.count() == (0 if username == "teacher" else 1)
        with browser_page.expect_download() as download:
            browser_page.click(f"a[href='/plans/documents/{plan.pk}/plan.docx']")
        assert download.value.suggested_filename == f"{plan.title}.docx"
    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "office", "demo1234")
    browser_page.goto(f"{live_server.url}/plans/documents/{plan.pk}/summary/")
    browser_page.fill("textarea[name=achievements]", "听课评课制度全面落实。")
    browser_page.click("#summary-words button[type=submit]")
    browser_page.wait_for_load_state("networkidle")
    assert "已保存" in browser_page.inner_text("body")
    screenshot(browser_page, "documents-summary-office")
    with browser_page.expect_download(timeout=60_000) as download:
        browser_page.click("#summary-download button[type=submit]")
    assert download.value.suggested_filename.endswith("工作总结（草稿）.docx")
    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "leader", "demo1234")
    browser_page.goto(f"{live_server.url}/plans/documents/{plan.pk}/summary/")
    assert "听课评课制度全面落实。" in browser_page.inner_text("body")
    screenshot(browser_page, "documents-summary-leader")
    assert errors == []
