"""A judge scores an entry blind in a real browser on the demo school."""

import pytest
from django.contrib.auth import get_user_model

from keshi.checks.models import Rubric
from keshi.contests import services
from keshi.contests.models import Assignment, Contest
from keshi.contests.tests.factories import docx_by
from keshi.org.models import Person
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_judge_scores_blind(demo_school, live_server, browser_page):
    users = get_user_model().objects
    office = users.get(username="office")
    author = Person.objects.get(user__username="teacher")
    judge = Person.objects.get(user__username="lead")
    rubric = Rubric.objects.create(
        org=demo_school, name="论文评分表", purpose=Rubric.Purpose.APPRAISAL,
        criteria=[{"key": "c1", "name": "选题与观点", "max": "60"},
                  {"key": "c2", "name": "结构与表达", "max": "40"}],
    )  # fmt: skip
    contest = services.create_contest(
        org=demo_school,
        by=office,
        title="2026 年教学论文评比",
        kind=Contest.Kind.PAPER,
        rubric=rubric,
    )
    entry = services.submit_entry(
        contest=contest,
        person=author,
        title="浅谈作文教学",
        upload_name="论文.docx",
        data=docx_by(author.name),
    )
    services.advance(contest=contest, by=office)
    services.auto_assign(contest=contest, judges=[judge], per_entry=1, by=office)
    services.advance(contest=contest, by=office)

    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "lead", "demo1234")
    page.goto(f"{live_server.url}/contests/")
    assert "1 件作品待评审" in page.inner_text("#judging-alert")
    page.click("#contests-table >> text=2026 年教学论文评比")
    page.click("#judge-link")
    page.wait_for_load_state("networkidle")
    assert entry.code in page.inner_text("#judge-table")
    page.click("#judge-table .score-link")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert author.name not in body and "浅谈作文教学" not in body
    page.fill("input[name=c1]", "52")
    page.fill("input[name=c2]", "35")
    page.fill("#comment", "观点明确，例子充分")
    screenshot(page, "contests-judge-scoring")
    page.click("#save-scores")
    page.wait_for_load_state("networkidle")
    assert "87" in page.inner_text("#judge-table")
    screenshot(page, "contests-judge-list")
    assert Assignment.objects.get(entry=entry).total == 87
    # the office sees who wrote it, and previews the ranking
    page.context.clear_cookies()
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/contests/{contest.pk}/")
    assert author.name in page.inner_text("#entries-table")
    screenshot(page, "contests-office-detail")
    page.goto(f"{live_server.url}/contests/{contest.pk}/ranking/")
    assert "87.00" in page.inner_text("#ranking-table")
    screenshot(page, "contests-ranking-preview")
    page.goto(f"{live_server.url}/contests/{contest.pk}/")
    page.click("#advance")
    page.wait_for_load_state("networkidle")
    assert "公示" in page.inner_text(".alert-success")
    # the author sees the notice and their own place
    page.context.clear_cookies()
    login(page, live_server.url, "teacher", "demo1234")
    page.goto(f"{live_server.url}/contests/{contest.pk}/")
    assert "第1名 一等奖" in page.inner_text("#own-entries")
    screenshot(page, "contests-author-detail")
    page.click("#ranking-link")
    page.wait_for_load_state("networkidle")
    assert author.name in page.inner_text("#ranking-table")
    screenshot(page, "contests-notice")
    assert errors == []


@pytest.mark.browser
def test_subject_contest_round_in_browser(demo_school, live_server, browser_page):
    """学科竞赛: the office opens 预赛, enters scores, closes it; the detail page lists rounds."""
    users = get_user_model().objects
    office = users.get(username="office")
    rubric = Rubric.objects.filter(org__isnull=True).first()
    contest = services.create_contest(
        org=demo_school,
        by=office,
        title="初中数学学科竞赛",
        kind=Contest.Kind.SUBJECT,
        rubric=rubric,
    )
    people = list(Person.objects.filter(org=demo_school, active=True).order_by("pk")[:4])
    for p in people:
        services.submit_entry(contest=contest, person=p, title="初中数学")
    services.advance(contest=contest, by=office)
    services.advance(contest=contest, by=office)

    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "office", "demo1234")
    page.goto(f"{live_server.url}/contests/{contest.pk}/")
    page.click("#new-round")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=advance_top]", "2")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    for i, value in enumerate(["92", "85", "85", ""]):
        page.locator("#round-table input").nth(i).fill(value)
    page.click("#save-round")
    page.wait_for_load_state("networkidle")
    page.once("dialog", lambda d: d.accept())
    page.click("#close-round")
    page.wait_for_load_state("networkidle")
    table = page.inner_text("#round-table")
    assert table.count("晋级") >= 3  # header + the 1st and the two tied 2nd
    screenshot(page, "contests-subject-round")
    page.goto(f"{live_server.url}/contests/{contest.pk}/")
    assert "预赛" in page.inner_text("#rounds")
    screenshot(page, "contests-subject-detail")
    assert errors == []
