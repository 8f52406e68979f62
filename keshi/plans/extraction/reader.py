"""Reading a plan file (.txt in UTF-8 or GBK, .docx) into one structure: lines in document order.

A .docx gives its paragraphs *and* its tables in the order they appear; a table row becomes a line
whose cells are joined with "；" (so each cell is a clause) and keeps its cells for the 行事历 and
分工 readers. Text copied from a web page or a PDF is often broken mid-sentence; such lines are
joined again (a long line that does not end in punctuation, followed by one that does not start a
list item or heading).

A file holds at most ``limits.rows`` lines, and a .docx is checked for compressed bombs before
python-docx opens it and walks its paragraphs (``keshi.documents.archive``); over a limit, the
reader stops with :class:`UnreadableFile` naming it.
"""

import io
import re
from dataclasses import dataclass
from pathlib import Path

from keshi.documents.archive import (
    DEFAULT_LIMITS,
    UploadLimits,
    UploadRejected,
    check_archive,
    check_word_blocks,
)
from keshi.documents.text import strip_control_chars

from .clauses import LIST_NUMBER

ENDINGS = '。！？!?；;：:”"）)】』…'
HEADING_START = re.compile(
    r"^\s*(?:[-•·●○◆□■*]\s*)?(?:第?[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|[①-⑩])"
)


@dataclass(frozen=True)
class Line:
    text: str
    table: int | None = None  # index of the table the row belongs to
    cells: tuple[str, ...] = ()


@dataclass
class Document:
    lines: list[Line]

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]


class UnreadableFile(ValueError):
    pass


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("文件既不是 UTF-8 也不是 GBK 编码的文本。")


BULLET = re.compile(r"[-•·●○◆□■▪➢*]\s*[\u4e00-\u9fa5]")


def join_wrapped(raw: list[str], *, min_length: int = 24) -> list[str]:
    lines: list[str] = []
    for text in (line.strip() for line in raw):
        if not text:
            continue
        previous = lines[-1] if lines else ""
        if (
            len(previous) >= min_length
            and previous[-1] not in ENDINGS
            and not HEADING_START.match(text)
            and not LIST_NUMBER.match(text)
            and not BULLET.match(text)  # "-开展同课异构活动": a bulleted item of its own
        ):
            lines[-1] = previous + text
        else:
            lines.append(text)
    return lines


def read_text(text: str) -> Document:
    # Split first: a form feed or vertical tab ends a line, and is then dropped with the other
    # control characters no saved section may hold (keshi.documents.text).
    lines = [strip_control_chars(line) for line in text.splitlines()]
    return Document([Line(text) for text in join_wrapped(lines)])


def _too_long(limits: UploadLimits) -> UnreadableFile:
    return UnreadableFile(
        f"计划超过 {limits.rows} 段的上限（段落与表格行合计）；"
        "请删去与计划无关的内容，或分成几份导入。"
    )


def read_docx(data: bytes, *, limits: UploadLimits = DEFAULT_LIMITS) -> Document:
    from docx import Document as open_docx
    from docx.table import Table

    try:
        check_archive("该 Word 文件", data, limits)
    except UploadRejected as error:
        raise UnreadableFile(str(error)) from None
    try:
        document = open_docx(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken package
        raise UnreadableFile("无法读取该 Word 文件（只支持 .docx）。") from error
    try:
        check_word_blocks("该 Word 文件", document, limits)
    except UploadRejected as error:
        raise UnreadableFile(str(error)) from None
    lines: list[Line] = []

    def add(line: Line) -> None:
        if len(lines) >= limits.rows:
            raise _too_long(limits)
        lines.append(line)

    table_no = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or text != cells[-1]:  # merged cells repeat their text
                        cells.append(text)
                if any(cells):
                    add(Line("；".join(c for c in cells if c), table_no, tuple(cells)))
            table_no += 1
        else:
            text = block.text.strip()
            if text:
                add(Line(text))
    return Document(lines)


def read_bytes(data: bytes, name: str, *, limits: UploadLimits = DEFAULT_LIMITS) -> Document:
    if name.lower().endswith(".docx") or data[:2] == b"PK":
        return read_docx(data, limits=limits)
    if name.lower().endswith(".doc"):
        raise UnreadableFile("旧版 .doc 文件请先另存为 .docx。")
    document = read_text(decode(data))
    if len(document.lines) > limits.rows:
        raise _too_long(limits)
    return document


def read_path(path: str | Path) -> Document:
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)
