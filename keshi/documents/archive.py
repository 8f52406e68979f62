"""What an uploaded or imported Office file may make the server unpack. Pure: no Django.

.docx, .xlsx and .pptx files are zip archives that python-docx and openpyxl unpack in full, so
a small upload can hold a "compressed bomb": a 168 KB .docx with 59 MB of XML, a 290 KB .xlsx
with two million rows. :func:`check_archive` reads only the zip's directory and refuses an
archive whose members would inflate past :class:`UploadLimits` before any parser touches it;
every upload (``keshi.records.uploads.check_upload``) and every reader of stored or imported
files (the spreadsheet imports through ``keshi.org.roster.read_cells``, the plan import, the
judges' blind copies, the originality text extraction) calls it first. See docs/security.md.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024
RATIO_GRACE_BYTES = MB  # smaller members (and archives) may compress as well as they like


class UploadRejected(ValueError):
    """The message is Chinese and meant for the user."""


@dataclass(frozen=True)
class UploadLimits:
    """How much an uploaded or imported file may make the server unpack and read.

    The defaults are those of keshi.settings (docs/security.md); :meth:`from_settings` reads the
    configured ones, so this module stays free of Django."""

    uncompressed_bytes: int = 20 * MB  # all members of an archive together, unpacked
    ratio: int = 100  # unpacked : packed, per member and for the whole archive
    members: int = 5000  # files inside one archive
    rows: int = 10_000  # rows read from one import (all its sheets; a plan's paragraphs)
    columns: int = 100  # columns of one row of an import
    word_blocks: int = 100_000  # paragraphs and runs of a Word document walked in Python

    @classmethod
    def from_settings(cls, settings: Any) -> UploadLimits:
        """The limits configured in ``settings`` (Django's, or anything with these names)."""
        names = {
            "uncompressed_bytes": "KESHI_MAX_UNCOMPRESSED_BYTES",
            "ratio": "KESHI_MAX_COMPRESSION_RATIO",
            "members": "KESHI_MAX_ARCHIVE_MEMBERS",
            "rows": "KESHI_IMPORT_MAX_ROWS",
            "columns": "KESHI_IMPORT_MAX_COLUMNS",
            "word_blocks": "KESHI_MAX_WORD_BLOCKS",
        }
        default = cls()
        return cls(**{k: getattr(settings, v, getattr(default, k)) for k, v in names.items()})


DEFAULT_LIMITS = UploadLimits()


def check_archive(name: str, data: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """:class:`UploadRejected` when the zip archive ``data`` would unpack to more than the
    limits allow. Reads the central directory only (sizes as declared there: Python's zipfile,
    which python-docx and openpyxl use, never returns more than a member declares); data that
    is not a zip archive passes, for the caller's own type check to judge."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(members) > limits.members:
        raise UploadRejected(
            f"“{name}”包含的文件过多（{len(members)} 个，上限 {limits.members} 个），"
            "可能是恶意构造的压缩包，不能接收"
        )
    total = sum(m.file_size for m in members)
    if total > limits.uncompressed_bytes:
        raise UploadRejected(
            f"“{name}”解压后过大（{megabytes(total)}），"
            f"解压后的内容不能超过 {megabytes(limits.uncompressed_bytes)}"
        )
    if sum(m.compress_size for m in members) > len(data):
        raise UploadRejected(f"“{name}”已损坏（压缩包目录与内容不符）")
    for member in members:
        if member.file_size > RATIO_GRACE_BYTES:
            _check_ratio(name, member.filename, member.file_size, member.compress_size, limits)
    if total > RATIO_GRACE_BYTES:
        _check_ratio(name, "", total, len(data), limits)


def _check_ratio(name: str, member: str, size: int, packed: int, limits: UploadLimits) -> None:
    ratio = size / max(packed, 1)
    if ratio > limits.ratio:
        where = f"中的“{member}”" if member else ""
        raise UploadRejected(
            f"“{name}”{where}压缩比过高（{ratio:.0f}:1，上限 {limits.ratio}:1，"
            f"解压后 {megabytes(size)}），疑似“压缩炸弹”，不能接收"
        )


def check_word_blocks(name: str, document: Any, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """A python-docx ``document``'s paragraphs and runs in all its XML parts (body, headers,
    footers, notes), counted by lxml in C, against ``limits.word_blocks``: within the archive
    limits a document can still hold hundreds of thousands of tiny paragraphs, each costing
    the Python that walks them."""
    count = 0
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None:
            # Two counts: libxml2 merges the node sets of a union quadratically.
            count += int(element.xpath("count(.//w:p)")) + int(element.xpath("count(.//w:r)"))
    if count > limits.word_blocks:
        raise UploadRejected(
            f"“{name}”的段落过多（段落与文字块共 {count} 个，上限 {limits.word_blocks} 个），"
            "无法处理"
        )


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
