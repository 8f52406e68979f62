"""Issue #19 item 1 for the plan import: a compressed bomb is refused before python-docx opens
it, a plan is capped at the import row limit (paragraphs and table rows), and the preview is
paginated (requirements) and capped (the other lists)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.plans.imports import ImportRejected, read_plan
from keshi.plans.models import Plan
from keshi.plans.tests.test_import_views import PLAN, docx
from keshi.records.tests import bombs


def upload(client, cast, name: str, data: bytes):
    client.force_login(cast.office)
    url = reverse("plans:import") + f"?org={cast.school.pk}"
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def plan_text(requirements: int = 0, calendar: int = 0) -> str:
    lines = ["一、工作目标", *(f"教师每学期听课不少于{i}节。" for i in range(1, requirements + 1))]
    lines += ["二、行事历", "9月份：", *(f"{i}、活动{i}。" for i in range(1, calendar + 1))]
    return "\n".join(lines)


def test_bomb_upload_is_refused_before_parsing(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = upload(client, cast, "计划.docx", bombs.docx(PLAN, padding=3 * bombs.MB))
    assert response.status_code == 200
    assert "压缩比" in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_lines_over_the_row_limit_are_refused(settings, kind):
    settings.KESHI_IMPORT_MAX_ROWS = 20

    def data(text: str) -> bytes:
        return text.encode() if kind == "txt" else docx(text)

    with pytest.raises(ImportRejected, match="超过 20 段"):
        read_plan(f"计划.{kind}", data(plan_text(requirements=30)))
    assert read_plan(f"计划.{kind}", data(plan_text(requirements=10))).extraction.requirements


def test_preview_is_paginated_and_capped(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = upload(client, cast, "计划.txt", plan_text(requirements=60, calendar=230).encode())
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    requirements = html.split('id="preview-requirements"')[1].split("</section>")[0]
    assert requirements.count('<tr class="requirement') == 50
    assert "第 1–50 条，共 60 条" in requirements
    calendar = html.split('id="preview-calendar"')[1].split("</section>")[0]
    assert calendar.count('<tr class="calendar-item') == 200
    assert "仅显示前 200 条，共 230 条" in calendar
    second = client.get(response["Location"] + "?page=2").content.decode()
    assert second.split('id="preview-requirements"')[1].count('<tr class="requirement') == 10
