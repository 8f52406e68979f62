import io
import zipfile

from docx import Document

from keshi.contests.strip import PLACEHOLDER, strip_docx

NAME = "张老师"


def authored_docx() -> bytes:
    doc = Document()
    props = doc.core_properties
    props.author = NAME
    props.last_modified_by = NAME
    props.comments = f"{NAME}的论文"
    props.title = f"{NAME}：小学作文教学"
    doc.add_paragraph(f"作者：{NAME}  示范中学")
    split = doc.add_paragraph("执笔：张")
    split.add_run("老师")  # the name split over two runs
    table = doc.add_table(rows=1, cols=1)
    table.cell(0, 0).text = f"指导：{NAME}"
    doc.sections[0].header.paragraphs[0].text = f"{NAME} 2026"
    doc.add_paragraph("正文保留：作文教学的三点体会。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())


def test_stripped_docx_has_no_author_in_properties_or_text():
    original = authored_docx()
    assert NAME in all_xml(original)
    stripped = strip_docx(original, [NAME])
    assert NAME not in all_xml(stripped)
    doc = Document(io.BytesIO(stripped))
    props = doc.core_properties
    assert (props.author, props.last_modified_by, props.comments, props.title) == ("", "", "", "")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"作者：{PLACEHOLDER}" in text and f"执笔：{PLACEHOLDER}" in text
    assert "作文教学的三点体会" in text
    assert doc.tables[0].cell(0, 0).text == f"指导：{PLACEHOLDER}"
