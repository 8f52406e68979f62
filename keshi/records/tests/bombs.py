"""Compressed bombs for the tests, built on the spot with zipfile: valid Office files whose main
XML part is padded with megabytes of highly compressible XML (issue #19 item 1).

The padding is whitespace between elements or empty elements, so each file stays a valid
.docx/.xlsx that python-docx and openpyxl would happily parse in full.
"""

from __future__ import annotations

import io
import zipfile

MB = 1024 * 1024


def _repack(data: bytes, member: str, edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                content = edit(content)
            z.writestr(info.filename, content)
    return out.getvalue()


def docx(text: str = "作文教学的三点体会", *, padding: int = 0, paragraphs: int = 0) -> bytes:
    """A .docx with ``text``, then ``padding`` bytes of blanks and ``paragraphs`` empty
    paragraphs in word/document.xml."""
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    if not (padding or paragraphs):
        return buffer.getvalue()
    filler = b" " * padding + b"<w:p/>" * paragraphs
    return _repack(
        buffer.getvalue(),
        "word/document.xml",
        lambda xml: xml.replace(b"<w:body>", b"<w:body>" + filler, 1),
    )


def xlsx(rows: list[list], *, padding: int = 0) -> bytes:
    """An .xlsx with ``rows``, its sheet1.xml padded with ``padding`` bytes of blanks."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not padding:
        return buffer.getvalue()
    return _repack(
        buffer.getvalue(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * padding, 1),
    )


def far_cell_xlsx(rows: list[list], *, row: int = 1_048_576, column: str = "A") -> bytes:
    """An .xlsx with ``rows`` and one more cell far away (row 1048576 by default), under a
    <dimension> that claims the whole sheet: a few KB that make a reader fill a million rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = f'<row r="{row}"><c r="{column}{row}" t="inlineStr"><is><t>x</t></is></c></row>'

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b"</sheetData>", cell.encode() + b"</sheetData>", 1)
        start = xml.index(b"<dimension ref=")
        end = xml.index(b"/>", start) + 2
        return xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + xml[end:]

    return _repack(buffer.getvalue(), "xl/worksheets/sheet1.xml", edit)


def many_members(count: int) -> bytes:
    """A .docx-looking package of ``count`` tiny members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<doc/>")
        for i in range(count):
            z.writestr(f"word/media/{i}.xml", "")
    return out.getvalue()
