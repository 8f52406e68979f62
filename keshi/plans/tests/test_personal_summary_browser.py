"""The teacher downloads their 个人工作总结 from 我的档案 (demo school, headless Chromium)."""

import pytest
from django.urls import reverse
from docx import Document

from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_teacher_downloads_the_draft_from_the_archive(demo_school, live_server, browser_page):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "teacher", "demo1234")
    page.goto(live_server.url + reverse("appraisal:my_archive"))
    button = page.locator("#personal-summary")
    assert button.inner_text() == "本学期个人总结（Word）"
    screenshot(page, "appraisal-archive-personal-summary")
    with page.expect_download() as download:
        button.click()
    name = download.value.suggested_filename
    assert name.endswith(("个人工作总结（草稿）.docx", "个人工作总结.docx"))
    doc = Document(str(download.value.path()))
    texts = [p.text for p in doc.paragraphs]
    assert "二、听课与评课" in texts and "八、反思与打算" in texts
    assert errors == []
