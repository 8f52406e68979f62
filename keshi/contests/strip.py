"""Blind copies of entry documents for judges. Pure: python-docx only, no Django.

A .docx loses the core properties that name people (author, last modified by, comments, title,
subject, keywords, category) and every occurrence of the authors' names in the body, tables,
headers and footers becomes “（作者）”. A name split over several runs (Word does that after
edits) is replaced by collapsing the paragraph's text into its first run — the formatting of
that one paragraph is lost, the anonymity is not.

Entries stored before uploads were checked may be compressed bombs: the archive is checked
again, and the paragraphs counted, before python-docx is walked (``keshi.documents.archive``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence

from docx import Document

from keshi.documents.archive import DEFAULT_LIMITS, UploadLimits, check_archive, check_word_blocks

PLACEHOLDER = "（作者）"
_PROPERTIES = ("author", "last_modified_by", "comments", "title", "subject", "keywords", "category")


def _paragraphs(container) -> Iterator:
    yield from container.paragraphs
    for table in container.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)


def _all_paragraphs(document) -> Iterator:
    yield from _paragraphs(document)
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            if not part.is_linked_to_previous:
                yield from _paragraphs(part)


def _replace(paragraph, names: Sequence[str]) -> None:
    if not any(n in paragraph.text for n in names):
        return
    for run in paragraph.runs:
        for name in names:
            if name in run.text:
                run.text = run.text.replace(name, PLACEHOLDER)
    text = paragraph.text
    if any(n in text for n in names):  # split over runs
        for name in names:
            text = text.replace(name, PLACEHOLDER)
        runs = paragraph.runs
        runs[0].text = text
        for run in runs[1:]:
            run.text = ""


def strip_docx(
    data: bytes, names: Iterable[str], *, limits: UploadLimits = DEFAULT_LIMITS
) -> bytes:
    """The blind copy; :class:`~keshi.documents.archive.UploadRejected` for a file over
    ``limits``."""
    names = sorted({n for n in names if n}, key=len, reverse=True)
    check_archive("作品文件", data, limits)
    document = Document(io.BytesIO(data))
    check_word_blocks("作品文件", document, limits)
    properties = document.core_properties
    for attribute in _PROPERTIES:
        setattr(properties, attribute, "")
    for paragraph in _all_paragraphs(document):
        _replace(paragraph, names)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
