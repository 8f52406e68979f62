"""The project timeline in a real browser: the leader submits, the office reviews."""

from datetime import date

import pytest

from keshi.research.tests.helpers import advance, project
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_project_timeline(transactional_db, cast, live_server, browser_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = project(cast, due_date=date(2020, 1, 1), category="学科教学", funding=3000)
    advance(p, cast.office)
    advance(p, cast.office)
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(browser_page, live_server.url, "teacher", "pass-keshi-123")
    browser_page.goto(f"{live_server.url}/research/{p.pk}/submit/")
    pdf = tmp_path / "开题报告.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    browser_page.set_input_files("input[name=doc0]", str(pdf))
    browser_page.click("form[novalidate] button[type=submit]")
    browser_page.wait_for_load_state("networkidle")
    timeline = browser_page.inner_text("#timeline")
    assert "开题报告.pdf" in timeline and "通过" in timeline
    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "office", "pass-keshi-123")
    browser_page.goto(f"{live_server.url}/research/{p.pk}/review/")
    browser_page.check("input[name=decision][value=passed]")
    browser_page.fill("textarea[name=comment]", "开题论证充分，同意开题")
    browser_page.click("form[novalidate] button[type=submit]")
    browser_page.wait_for_load_state("networkidle")
    body = browser_page.inner_text("body")
    assert "同意开题" in body and "中期检查" in body
    screenshot(browser_page, "research-timeline")
    browser_page.goto(f"{live_server.url}/research/")
    screenshot(browser_page, "research-list")
    browser_page.context.clear_cookies()
    login(browser_page, live_server.url, "district", "pass-keshi-123")
    browser_page.goto(f"{live_server.url}/research/district/")
    assert "示范中学" in browser_page.inner_text("#district-table")
    screenshot(browser_page, "research-district")
    assert errors == []
