"""整改 and 检查结果 points in a real browser on the demo school: the teacher closes an overdue
整改 with an evidence file from 我的整改; the office sees it with the evidence on the inspection
page and in the 整改台账; a 检查结果 rule gives points on completion, shown in the ledger."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from keshi.appraisal.models import PointEntry, PointRule, Source
from keshi.checks import services
from keshi.checks.models import Inspection
from keshi.org.models import Person
from keshi.records.tests.factories import PDF
from keshi.tests.browser import login, screenshot


@pytest.mark.browser
def test_rectification_with_evidence_and_inspection_points(
    demo_school, live_server, browser_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    teacher = Person.objects.get(user__username="teacher")
    inspection = Inspection.objects.filter(org=demo_school, status="completed").first()
    today = timezone.localdate()
    late = services.add_rectification(
        inspection=inspection,
        text="补齐第5至第8周教案",
        responsible=teacher,
        due=today - timedelta(days=2),
    )
    services.add_rectification(
        inspection=inspection, text="教学反思写具体", responsible=teacher, due=today + timedelta(7)
    )
    login(page, live_server.url, "teacher", "demo1234")
    page.click("nav >> text=教研与检查")
    page.click("nav >> text=我的整改")
    page.wait_for_load_state("networkidle")
    row = f"#rectification-{late.pk}"
    assert "逾期" in page.inner_text(row)
    screenshot(page, "checks-my-rectifications")
    page.fill(f"{row} input[name=closure_note]", "已补齐 4 周教案，组长复查")
    page.set_input_files(
        f"{row} input[name=evidence]",
        files=[{"name": "补齐的教案.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click(f"{row} button")
    page.wait_for_load_state("networkidle")
    assert "整改事项已销号" in page.inner_text("main")
    assert "补齐的教案.pdf" in page.inner_text(row)
    screenshot(page, "checks-my-rectifications-closed")
    late.refresh_from_db()
    assert late.closed_on and late.evidence_name == "补齐的教案.pdf"

    page.context.clear_cookies()
    login(page, live_server.url, "office", "demo1234")
    page.goto(live_server.url + reverse("checks:inspection", args=[inspection.pk]))
    assert "佐证材料：补齐的教案.pdf" in page.inner_text("#rectifications-table")
    screenshot(page, "checks-inspection-rectifications")
    page.goto(live_server.url + reverse("checks:rectifications"))
    page.click("#rectification-filter >> text=已销号")
    page.wait_for_load_state("networkidle")
    assert "补齐第5至第8周教案" in page.inner_text("#rectifications-table")
    screenshot(page, "checks-rectification-ledger")

    # a 检查结果 rule through the form, then reopen and complete the inspection
    page.goto(live_server.url + reverse("appraisal:rule_new"))
    page.fill("input[name=name]", "期中检查优秀")
    page.select_option("select[name=trigger]", "inspection_result")
    page.fill("input[name=points]", "0.5")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "请填写检查等级，或填写得分率区间。" in page.inner_text("main")
    screenshot(page, "appraisal-inspection-rule-error")
    page.fill("input[name=inspection_level]", "优")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert PointRule.objects.filter(name="期中检查优秀", inspection_level="优").exists()
    page.goto(live_server.url + reverse("checks:inspection", args=[inspection.pk]))
    page.click("text=重新打开")
    page.wait_for_load_state("networkidle")
    page.click("text=完成检查")
    page.wait_for_load_state("networkidle")
    excellent = inspection.results.filter(level="优").count()
    entries = PointEntry.objects.filter(source=Source.INSPECTION, source_id=inspection.pk)
    assert excellent and entries.count() == excellent
    assert set(entries.values_list("points", flat=True)) == {Decimal("0.5")}
    page.goto(live_server.url + reverse("appraisal:index") + "?source=inspection&year=all")
    assert "期中检查优秀" in page.inner_text("main")
    screenshot(page, "appraisal-ledger-inspection")
    assert errors == []
