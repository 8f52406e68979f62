import pytest

from keshi.records.tests.factories import EXE, JPG, PDF, PNG, docx_bytes
from keshi.records.uploads import UploadRejected, check_upload, sniff

LIMIT = 1000


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("教案.pdf", PDF, "application/pdf"),
        ("照片.PNG", PNG, "image/png"),
        ("照片.jpeg", JPG, "image/jpeg"),
        (
            "反思.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "签到.xlsx",
            docx_bytes("xl/"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "课件.pptx",
            docx_bytes("ppt/"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
    ],
)
def test_allowed_types_by_content(name, data, content_type):
    assert check_upload(name, data, max_bytes=LIMIT) == content_type


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("课件.pdf", EXE, "Windows 可执行程序"),
        ("run.sh", b"#!/bin/sh\nrm -rf /", "脚本文件"),
        ("反思.docx", docx_bytes("xl/"), "内容是Excel 表格，扩展名应为 .xlsx"),
        ("照片.png", JPG, "扩展名应为 .jpg"),
        ("文档.pdf", b"just some text", "文件类型不支持"),
        ("坏.docx", b"PK\x03\x04garbage", "文件类型不支持"),
        ("空.pdf", b"", "空文件"),
        ("大.pdf", PDF + b"\0" * LIMIT, "不能超过"),
    ],
)
def test_rejected_with_chinese_reason(name, data, message):
    with pytest.raises(UploadRejected, match=message):
        check_upload(name, data, max_bytes=LIMIT)


def test_plain_zip_is_not_office():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<doc/>")  # no [Content_Types].xml
    assert sniff(buffer.getvalue()[:16], buffer.getvalue()) is None
