"""Text out of uploaded files: .txt (UTF-8, GB18030) and .docx (python-docx)."""

from __future__ import annotations

import io

TEXT_SUFFIXES = (".txt", ".docx")


def is_text_file(name: str) -> bool:
    return name.lower().endswith(TEXT_SUFFIXES)


def extract_text(name: str, data: bytes) -> str:
    """The text of a .txt or .docx file; ValueError for anything else or a broken file."""
    lower = name.lower()
    if lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ValueError("文本文件编码无法识别（请用 UTF-8 或 GBK）")
    if lower.endswith(".docx"):
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises several kinds for a broken file
            raise ValueError(f"无法读取 Word 文件：{exc}") from None
        paragraphs = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                paragraphs.append(" ".join(cell.text for cell in row.cells))
        return "\n".join(paragraphs)
    raise ValueError("只支持 .txt 和 .docx 文件")
