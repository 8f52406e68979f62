"""What an uploaded attachment really is, by its first bytes. Pure: no Django.

The extension is what the teacher's computer claims; the content decides. A file is accepted
only when its content is one of the allowed types *and* its extension belongs to that type, so
``课件.pdf`` that is really a Windows program, or a ``.docx`` that is really a spreadsheet, is
refused with a message saying what it is.

An Office file must also not unpack to more than the limits allow
(:func:`keshi.documents.archive.check_archive`, the compressed-bomb check).
"""

from __future__ import annotations

import io
import zipfile

from keshi.documents.archive import (
    DEFAULT_LIMITS,
    UploadLimits,
    UploadRejected,
    check_archive,
    megabytes,
)

ALLOWED: dict[str, tuple[str, tuple[str, ...]]] = {
    # type → (content type, accepted extensions)
    "pdf": ("application/pdf", ("pdf",)),
    "png": ("image/png", ("png",)),
    "jpg": ("image/jpeg", ("jpg", "jpeg")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
    ),
}
LABELS = {
    "pdf": "PDF",
    "png": "PNG 图片",
    "jpg": "JPEG 图片",
    "docx": "Word 文档",
    "xlsx": "Excel 表格",
    "pptx": "PowerPoint 演示文稿",
}
ACCEPT = ",".join(f".{ext}" for _, exts in ALLOWED.values() for ext in exts)
_EXECUTABLES = (
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "Linux 可执行程序"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xca\xfe\xba\xbe", "可执行程序"),
    (b"#!", "脚本文件"),
)
_OOXML_DIRS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def sniff(head: bytes, data: bytes | None = None) -> str | None:
    """The allowed type of a file from its first bytes (and, for zip, its members)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for kind, prefix in _OOXML_DIRS.items():
            if any(n.startswith(prefix) for n in names):
                return kind
    return None


def check_upload(
    name: str, data: bytes, *, max_bytes: int, limits: UploadLimits = DEFAULT_LIMITS
) -> str:
    """The content type to store, or :class:`UploadRejected` with the reason in Chinese."""
    if len(data) > max_bytes:
        raise UploadRejected(
            f"“{name}”过大（{megabytes(len(data))}），单个附件不能超过 {megabytes(max_bytes)}"
        )
    if not data:
        raise UploadRejected(f"“{name}”是空文件")
    for magic, what in _EXECUTABLES:
        if data.startswith(magic):
            raise UploadRejected(f"“{name}”是{what}，不能作为附件上传")
    check_archive(name, data, limits)
    kind = sniff(data[:16], data)
    if kind is None:
        raise UploadRejected(
            f"“{name}”的文件类型不支持；只能上传 PDF、Word、Excel、PowerPoint、JPG 或 PNG"
        )
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    content_type, extensions = ALLOWED[kind]
    if extension not in extensions:
        raise UploadRejected(
            f"“{name}”的扩展名与内容不符：内容是{LABELS[kind]}，扩展名应为 .{extensions[0]}"
        )
    return content_type
