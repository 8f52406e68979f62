"""The 医务科 in a real browser on the demo hospital (#24 items 1 and 5): the 工作日历 is the
calendar year (2026年度, dated weeks, no 第N周), and the indicators page hands out the monthly
质量与安全 report of a department as a .docx."""

from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document

from keshi.demo.tests.test_hospital_words import school_words
from keshi.tests.browser import ARTIFACTS, login, screenshot


@pytest.mark.browser
def test_office_calendar_year_and_month_report(demo_school, live_server, browser_page):
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    today = timezone.localdate()
    login(browser_page, live_server.url, "hospital_office", "demo1234")

    browser_page.goto(f"{live_server.url}/calendar/")
    screenshot(browser_page, "hospital-calendar-year")
    body = browser_page.inner_text("body")
    assert f"{today.year}年度" in body and "全年工作日" in body and "工作日历" in body
    assert "第1周" not in body and "周次" not in body and not school_words(body)

    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    browser_page.goto(f"{live_server.url}/indicators/?year={year}")
    form = browser_page.locator("form[aria-label='质量与安全月报']").first
    form.locator("select[name=month]").select_option(str(month))
    screenshot(browser_page, "hospital-month-report-link")
    with browser_page.expect_download() as info:
        form.locator("button[type=submit]").click()
    download = info.value
    assert download.suggested_filename.endswith("质量与安全报告.docx")
    download.save_as(ARTIFACTS / "hospital-month-report.docx")  # for a reader to open
    doc = Document(BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == f"神经内科{year}年{month}月质量与安全报告"
    assert "本月未达标指标" in text
    assert len(doc.inline_shapes) >= 5 and not school_words(text)
    assert errors == []
