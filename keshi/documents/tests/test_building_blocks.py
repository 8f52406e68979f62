"""The shared Word and chart building blocks, without the database."""

import io
import logging
from datetime import date

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from keshi.documents import charts
from keshi.documents.docx import DocBuilder, chinese_ordinal


def _png_ok(data: bytes) -> tuple[int, int]:
    assert data.startswith(charts.PNG_MAGIC)
    image = Image.open(io.BytesIO(data))
    image.verify()
    return image.size


def test_chinese_ordinals():
    assert [chinese_ordinal(n) for n in (1, 9, 10, 11, 20, 21, 35)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "三十五",
    ]


def test_styles_fonts_table_and_picture():
    doc = DocBuilder()
    doc.title("标题")
    doc.heading("一、指导思想")
    doc.paragraphs("（一）小标题\n正文一段。\n\n正文二段。")
    doc.table(
        ["月份", "内容"], [["9月", "甲"], ["9月", "乙"], ["10月", "丙"]], merge_first_column=True
    )
    doc.picture(charts.bar_chart(["听课", "反思"], [3, 5]))
    out = Document(io.BytesIO(doc.to_bytes()))
    styles = out.styles
    assert styles["Normal"].font.size == Pt(12)  # 小四
    assert styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert styles["Title"].font.size == Pt(18)  # 小二
    assert styles["Heading 1"].font.size == Pt(16)  # 三号
    assert styles["Heading 1"].element.rPr.rFonts.get(qn("w:asciiTheme")) is None
    section = out.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert [p.style.name for p in out.paragraphs[:5]] == [
        "Title",
        "Heading 1",
        "Heading 2",
        "Normal",
        "Normal",
    ]
    body = out.paragraphs[3]
    assert body.paragraph_format.element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    table = out.tables[0]
    assert table.style.name == "Table Grid"
    assert "w:tblHeader" in table.rows[0]._tr.xml
    assert [c.text for c in table.columns[0].cells] == ["月份", "9月", "9月", "10月"]
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc  # merged
    assert len(out.inline_shapes) == 1
    assert "PAGE" in out.sections[0].footer.paragraphs[0]._p.xml


def test_charts_are_valid_png():
    width, height = _png_ok(charts.bar_chart(["甲", "乙", "丙"], [1, 2.5, 0], title="条数"))
    assert width > 600 and height > 300
    series = [("听课", [10, None, 30]), ("平均", [20, 25, 30])]
    _png_ok(charts.line_chart(["第1周", "第2周", "第3周"], series, highlight="平均"))
    weekly = [(date(2026, 9, 6), 80.0), (date(2026, 9, 13), 90.0), (date(2026, 9, 20), 85.0)]
    monthly = [(date(2026, 9, 30), 70.0), (date(2026, 10, 31), 95.0)]
    _png_ok(charts.period_chart([("每周听课（每周）", weekly), ("反思（每月）", monthly)]))


def test_missing_cjk_font_still_draws(monkeypatch, caplog):
    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font",))
    charts.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="keshi.documents.charts"):
            assert charts.cjk_font() is None
            _png_ok(charts.bar_chart(["听课"], [1]))
        assert "No CJK font" in caplog.text
    finally:
        charts.cjk_font.cache_clear()
