"""The judge's journey: a paper contest in its judging phase with blind entries (set up through
the contest services); the judge logs in, finds the scoring page from the menu, sees entry
codes and never the authors' names or titles, scores every entry and submits."""

import pytest
from django.contrib.auth import get_user_model

from keshi.checks.models import Rubric
from keshi.contests import services
from keshi.contests.models import Assignment, Contest
from keshi.contests.tests.factories import docx_by
from keshi.org.models import Person
from keshi.tests.e2e.journey import Journey

PAPERS = {"teacher": "浅谈整本书阅读", "office": "作文批改的三种方式"}
SCORES = [("52", "35"), ("48", "30")]


def _judging_contest(org):
    office = get_user_model().objects.get(username="office")
    rubric = Rubric.objects.create(
        org=org, name="论文评分表（e2e）", purpose=Rubric.Purpose.APPRAISAL,
        criteria=[{"key": "c1", "name": "选题与观点", "max": "60"},
                  {"key": "c2", "name": "结构与表达", "max": "40"}],
    )  # fmt: skip
    contest = services.create_contest(
        org=org, by=office, title="2026 年教学论文评比（e2e）", kind=Contest.Kind.PAPER,
        rubric=rubric,
    )  # fmt: skip
    authors = []
    for username, title in PAPERS.items():
        author = Person.objects.get(user__username=username)
        services.submit_entry(
            contest=contest, person=author, title=title, upload_name="论文.docx",
            data=docx_by(author.name),
        )  # fmt: skip
        authors.append(author)
    judge = Person.objects.get(user__username="lead")
    services.advance(contest=contest, by=office)
    services.auto_assign(contest=contest, judges=[judge], per_entry=1, by=office)
    services.advance(contest=contest, by=office)
    return contest, authors


@pytest.mark.browser
def test_judge_journey(demo_school, live_server, browser_page):
    contest, authors = _judging_contest(demo_school)
    codes = list(contest.entries.values_list("code", flat=True))
    j = Journey(browser_page, live_server.url, "judge")
    page = j.page
    j.log_in("lead")
    j.shot("home")

    j.nav("评比")
    assert "2 件作品待评审" in page.locator("#judging-alert").inner_text()
    j.shot("contests")
    page.locator("#contests-table").get_by_role("link", name=contest.title).click()
    page.wait_for_load_state("networkidle")
    page.locator("#judge-link").click()
    page.wait_for_load_state("networkidle")
    table = page.locator("#judge-table").inner_text()
    assert all(code in table for code in codes)
    j.shot("judge-list")

    for i, (code, (c1, c2)) in enumerate(zip(codes, SCORES, strict=True)):
        page.locator("#judge-table tr", has_text=code).locator(".score-link").click()
        page.wait_for_load_state("networkidle")
        main = page.inner_text("main")
        for author in authors:
            assert author.name not in main and author.staff_no not in main
        assert not any(title in main for title in PAPERS.values())
        page.locator("input[name=c1]").fill(c1)
        page.locator("input[name=c2]").fill(c2)
        page.locator("#comment").fill("观点明确，论证充分。")
        j.shot(f"scoring-{i + 1}")
        page.locator("#save-scores").click()
        page.wait_for_load_state("networkidle")

    table = page.locator("#judge-table").inner_text()
    assert "87" in table and "78" in table
    j.shot("judge-list-scored")
    totals = sorted(
        Assignment.objects.filter(entry__contest=contest).values_list("total", flat=True)
    )
    assert totals == [78, 87]
    body = j.body()
    assert not any(a.name in body for a in authors)
    j.assert_clean()
