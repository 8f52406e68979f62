"""Issue #19 item 1: compressed bombs are refused by their zip directory, before any parser
unpacks them, for every upload that goes through check_upload (record attachments, research
stage documents, groupwork files, dispatch obligations, contest entries)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.dispatch.forms import UploadForm
from keshi.records.forms import MultipleFileField
from keshi.records.models import Activity, Attachment
from keshi.records.tests import bombs
from keshi.records.uploads import UploadRejected, check_upload

LIMIT = 10 * bombs.MB


def test_docx_that_inflates_past_the_total_limit_is_refused():
    bomb = bombs.docx(padding=25 * bombs.MB)  # 60 KB on the wire
    assert len(bomb) < 100_000
    with pytest.raises(UploadRejected, match=r"解压后.*不能超过 20 MB"):
        check_upload("论文.docx", bomb, max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("name", "bomb"),
    [
        ("论文.docx", bombs.docx(padding=3 * bombs.MB)),
        ("论文.docx", bombs.docx(paragraphs=400_000)),
        ("签到.xlsx", bombs.xlsx([["姓名"], ["张老师"]], padding=3 * bombs.MB)),
    ],
)
def test_highly_compressed_member_is_refused(name, bomb):
    with pytest.raises(UploadRejected, match=r"压缩比.*上限 100:1"):
        check_upload(name, bomb, max_bytes=LIMIT)


def test_too_many_members_are_refused():
    with pytest.raises(UploadRejected, match=r"文件过多.*上限 5000 个"):
        check_upload("论文.docx", bombs.many_members(5001), max_bytes=LIMIT)


def test_ordinary_office_files_pass():
    assert check_upload("论文.docx", bombs.docx("正文" * 2000), max_bytes=LIMIT).endswith(
        "wordprocessingml.document"
    )
    assert check_upload("表.xlsx", bombs.xlsx([["姓名"]] * 500), max_bytes=LIMIT).endswith(
        "spreadsheetml.sheet"
    )


def test_limits_come_from_settings(settings):
    """An operator lowers the limits by environment; every upload form follows."""
    settings.KESHI_MAX_UNCOMPRESSED_BYTES = bombs.MB
    settings.KESHI_MAX_COMPRESSION_RATIO = 10_000
    bomb = bombs.docx(padding=2 * bombs.MB)
    field = MultipleFileField()
    with pytest.raises(ValidationError, match="不能超过 1 MB"):
        field.clean([SimpleUploadedFile("反思.docx", bomb)])
    form = UploadForm(files={"file": SimpleUploadedFile("材料.docx", bomb)})
    assert not form.is_valid() and "不能超过 1 MB" in str(form.errors)
    settings.KESHI_MAX_UNCOMPRESSED_BYTES = 20 * bombs.MB
    assert UploadForm(files={"file": SimpleUploadedFile("材料.docx", bomb)}).is_valid()


def test_record_attachment_bomb_is_refused_on_the_page(client, cast):
    client.force_login(cast.teacher)
    response = client.post(
        reverse("records:create"),
        {
            "kind": "reflection",
            "date": "2026-03-02",
            "quantity": "1",
            "title": "t",
            "text": "正文",
            "files": SimpleUploadedFile("反思.docx", bombs.docx(padding=3 * bombs.MB)),
        },
    )
    assert response.status_code == 200 and "压缩比" in response.content.decode()
    assert not Activity.objects.exists() and not Attachment.objects.exists()
