"""Word documents that look like what a Chinese school prints.

Conventions (GB/T 9704 habits as schools use them for plans and summaries): A4, margins
3.7/3.5/2.8/2.6 cm; title 黑体 小二 centred; level-1 headings 黑体 三号 ("一、…"), level-2 楷体
四号 bold ("（一）…"); body 仿宋 小四, first line indented two characters, 1.5 line spacing;
tables 宋体 五号 with borders and a repeated header row; the footer holds "第 X 页".

Chinese fonts must be set on ``w:rFonts/@w:eastAsia``: Word otherwise shows CJK text in the
theme font. Built-in heading styles are kept (for Word's navigation pane) but their theme fonts
and colour are removed.

Every text a builder method receives is passed through :func:`writable` first: stored names and
titles may hold control characters that lxml refuses (``keshi.documents.text``), and a CR LF
from a browser's textarea would otherwise become two line breaks.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from keshi.documents.text import strip_control_chars

# 字号 → points
SIZES = {
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
    "小五": 9.0,
}
LATIN = "Times New Roman"
SONG, FANGSONG, HEI, KAI = "宋体", "仿宋", "黑体", "楷体"
TABLE_TEXT = "表格文字"
BLACK = RGBColor(0, 0, 0)
CN_NUMERALS = "一二三四五六七八九十"


def writable(text: str) -> str:
    """``text`` as a run can hold it: no control characters, line breaks as ``\n``."""
    return strip_control_chars(text.replace("\r\n", "\n").replace("\r", "\n"))


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (headings rarely go past 九十九)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CN_NUMERALS[tens - 1] + "十"
    return head + (CN_NUMERALS[ones - 1] if ones else "")


def set_fonts(element, east_asia: str, latin: str = LATIN) -> None:
    """Set the fonts of a run or style ``rPr`` parent, dropping theme fonts that override them."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _style(doc: Document, name: str, *, font: str, size: str, bold: bool = False):
    style = doc.styles[name]
    style.font.size = Pt(SIZES[size])
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = BLACK
    set_fonts(style.element, font)
    return style


def _first_line_indent_chars(paragraph_format, chars: int, size_pt: float) -> None:
    """两字符首行缩进: Word reads ``firstLineChars``; the point value serves other readers."""
    paragraph_format.first_line_indent = Pt(size_pt * chars)
    ind = paragraph_format._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


class DocBuilder:
    """A document with the house styles, built top to bottom.

    ``words`` says the document's own text in the words of the org it is for (a hospital's
    年度 and 科室: ``keshi.org.glossary.Glossary.text``): titles, headings, paragraphs, table
    headers and captions. Text a user typed (``paragraphs()``, ``typed=True``) and table bodies
    are written as they are."""

    def __init__(
        self, *, landscape: bool = False, words: Callable[[str], str] | None = None
    ) -> None:
        self.doc: Document = new_document()
        self._words = words or (lambda text: text)
        self._page(landscape)
        self._styles()
        self._footer()

    # -- setup --------------------------------------------------------------------------------

    def _page(self, landscape: bool) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        section.footer_distance = Cm(2.0)

    def _styles(self) -> None:
        doc = self.doc
        normal = _style(doc, "Normal", font=FANGSONG, size="小四")
        normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(0)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)
        title = _style(doc, "Title", font=HEI, size="小二")
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(18)
        title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _remove_title_border(title)
        table_text = doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = normal
        _style(doc, TABLE_TEXT, font=SONG, size="五号")
        table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        table_text.paragraph_format.first_line_indent = Pt(0)
        table_text.paragraph_format.space_before = Pt(2)
        table_text.paragraph_format.space_after = Pt(2)
        h1 = _style(doc, "Heading 1", font=HEI, size="三号")
        h2 = _style(doc, "Heading 2", font=KAI, size="四号", bold=True)
        for h in (h1, h2):
            h.paragraph_format.space_before = Pt(12)
            h.paragraph_format.space_after = Pt(6)
            h.paragraph_format.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
            h.paragraph_format.keep_with_next = True

    def _footer(self) -> None:
        paragraph = self.doc.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Pt(0)
        for part in ("第 ", None, " 页"):
            if part is None:
                _page_field(paragraph)
            else:
                run = paragraph.add_run(part)
                run.font.size = Pt(SIZES["小五"])
                set_fonts(run._element, SONG)

    # -- content ------------------------------------------------------------------------------

    def title(self, text: str, subtitle: str = "") -> Paragraph:
        paragraph = self.doc.add_paragraph(writable(self._words(text)), style="Title")
        if subtitle:
            sub = self.doc.add_paragraph()
            sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
            sub.paragraph_format.space_after = Pt(12)
            run = sub.add_run(writable(self._words(subtitle)))
            run.font.size = Pt(SIZES["小四"])
            set_fonts(run._element, KAI)
        return paragraph

    def heading(self, text: str, level: int = 1, *, typed: bool = False) -> Paragraph:
        text = text if typed else self._words(text)
        return self.doc.add_paragraph(writable(text), style=f"Heading {level}")

    def paragraph(
        self,
        text: str = "",
        *,
        indent: bool = True,
        bold: bool = False,
        align: str = "",
        typed: bool = False,
    ) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        if text:
            run = paragraph.add_run(writable(text if typed else self._words(text)))
            run.bold = bold or None
        if indent:
            _first_line_indent_chars(paragraph.paragraph_format, 2, SIZES["小四"])
        if align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    @staticmethod
    def subheadings(text: str) -> int:
        return sum(1 for line in text.splitlines() if _is_subheading(line.strip()))

    def paragraphs(self, text: str) -> list[Paragraph]:
        """One paragraph per non-empty line; "（一）…" lines become level-2 headings."""
        out = []
        for line in text.splitlines():
            line = writable(line).strip()
            if not line:
                continue
            if _is_subheading(line):
                out.append(self.heading(line, 2, typed=True))
            else:
                out.append(self.paragraph(line, typed=True))
        return out

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[str]],
        *,
        widths_cm: Sequence[float] | None = None,
        merge_first_column: bool = False,
        center_columns: Iterable[int] = (),
    ) -> Table:
        """A bordered table, header row bold and repeated on every page. With
        ``merge_first_column`` equal consecutive first cells merge vertically (月份 in 行事历)."""
        rows = [list(r) for r in rows]
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        centred = set(center_columns)
        _repeat_header(table.rows[0])
        # Cells straight from the XML rows: table.cell() walks the whole grid on every call.
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        style = self.doc.styles[TABLE_TEXT].style_id
        for i, text in enumerate(header):
            _cell_text(grid[0][i], self._words(text), style, bold=True, center=True)
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row):
                _cell_text(grid[r][c], str(text), style, center=c in centred)
        if widths_cm:
            # Word reads the cell widths, LibreOffice the grid: set both, and fix the layout.
            table.autofit = False
            for column, width in zip(table.columns, widths_cm, strict=False):
                column.width = Cm(width)
            for cells in grid:
                for cell, width in zip(cells, widths_cm, strict=False):
                    cell.width = Cm(width)
        if merge_first_column and rows:
            _merge_runs(table, [r[0] for r in rows])
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)
        return table

    def picture(self, png: bytes, *, width_cm: float = 14.5, caption: str = "") -> None:
        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if caption:
            p = self.paragraph(caption, indent=False, align="center")
            for run in p.runs:
                run.font.size = Pt(SIZES["五号"])
                set_fonts(run._element, SONG)

    def page_break(self) -> None:
        self.doc.add_page_break()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _is_subheading(line: str) -> bool:
    return (
        len(line) <= 40
        and line.startswith(("（", "("))
        and len(line) > 2
        and line[1] in CN_NUMERALS
        and ("）" in line[:5] or ")" in line[:5])
    )


def _remove_title_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field: Word and LibreOffice fill in the number."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        run.font.size = Pt(SIZES["小五"])
        set_fonts(run._element, SONG)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text
    end = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._element.append(char)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _cell_text(cell, text: str, style_id: str, *, bold: bool = False, center: bool = False) -> None:
    for i, line in enumerate(writable(str(text)).split("\n")):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph._p.style = style_id  # by id: assigning a style object looks up the default
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        if bold:
            run.bold = True
            set_fonts(run._element, HEI)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _merge_runs(table: Table, keys: list[str]) -> None:
    """Merge vertically each run of equal first-column keys (rows offset by the header)."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1:
                top, bottom = table.cell(start + 1, 0), table.cell(i, 0)
                kept = len(top.paragraphs)  # the top cell's lines; the rest repeat them
                merged = top.merge(bottom)
                for extra in merged.paragraphs[kept:]:
                    extra._element.getparent().remove(extra._element)
            start = i
