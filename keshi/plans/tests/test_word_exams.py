"""The 工作总结's 考试与质量分析: per exam of the term, the grade line of the quality analysis per
subject, the 试卷分析 owed and in, and the 质量分析会 held — read back from the .docx."""

import io
from datetime import date

import pytest
from docx import Document

from keshi.cover.tests.factories import make_term
from keshi.exams import services as exams
from keshi.exams.tests.helpers import exam, per_class_sheets, person
from keshi.groupwork import services as groupwork
from keshi.plans.summary import gather
from keshi.plans.word import summary_docx

pytestmark = pytest.mark.django_db
TERM_END = date(2026, 1, 16)  # keshi.cover.tests.factories.make_term(2025)


def _doc(user, cast, term, at=TERM_END) -> Document:
    s = gather(user, org=cast.school, term=term, at=at)
    return Document(io.BytesIO(summary_docx(s)))


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text]


def _section(doc, heading: str) -> list[str]:
    """The paragraphs from the numbered heading "…、{heading}" to the next numbered heading."""
    texts = _texts(doc)
    at = next(i for i, t in enumerate(texts) if "、" in t and t.split("、", 1)[1] == heading)
    rest = texts[at + 1 :]
    end = next((i for i, t in enumerate(rest) if "、" in t[:3] and not t.startswith("（")), None)
    return rest[:end]


def _table_with(doc, header: str) -> list[list[str]]:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == header)
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_terms_exam_with_its_figures_analyses_and_meeting(cast):
    e = exam(cast)
    assert exams.import_scores(
        exam=e, filename="a.xlsx", data=per_class_sheets(), dry_run=False
    ).written
    e.refresh_from_db()
    zhang = person(cast.teacher)
    exams.record_paper_analysis(
        person=zhang, exam=e, subject="语文", sections={"evaluation": "难度适中"}, by=cast.teacher
    )
    held = exams.schedule_quality_meeting(exam=e, day=date(2025, 11, 20), by=cast.office)
    groupwork.sign_in_session(session=held.session, person=zhang)
    groupwork.close_session(session=held.session, by=cast.office)

    doc = _doc(cast.office, cast, e.term)
    section = _section(doc, "考试与质量分析")
    assert section[0] == "本学期共组织考试1次：初一期中考试。"
    assert section[1] == "（一）初一期中考试"
    assert section[2] == "初一年级，11月10日，考试科目语文、数学，参考学生5人。"
    assert section[3] == (
        "试卷分析应交2份，已交1份（未交：李老师（数学））。"
        "《初一期中考试》质量分析会于11月20日召开，应到2人，实到1人（未到：李老师）。"
    )
    # 语文 (150): 120, 90, 缺考, 140, 50 → 4 sat, mean 100, ≥ 90 pass 3, ≥ 127.5 excellent 1;
    # 数学 (100): 90, 59.5, 70, 100, 作弊 → 4 sat, mean 79.875, ≥ 60 pass 3, ≥ 85 excellent 2.
    assert _table_with(doc, "学科") == [
        ["学科", "满分", "参考人数", "年级平均分", "及格率", "优秀率"],
        ["语文", "150", "4", "100.0", "75.0%", "25.0%"],
        ["数学", "100", "4", "79.9", "75.0%", "50.0%"],
    ]


def test_an_exam_without_scores_says_so_and_one_after_the_day_is_left_out(cast):
    e = exam(cast)
    exam(cast, name="初一期末考试", kind="final", start=date(2026, 1, 12), classes=False)
    section = _section(_doc(cast.office, cast, e.term, at=date(2025, 12, 1)), "考试与质量分析")
    assert section == [
        "本学期共组织考试1次：初一期中考试。",
        "（一）初一期中考试",
        "初一年级，11月10日，考试科目语文、数学；成绩尚未导入。",
    ]


def test_no_exam_no_section(cast):
    doc = _doc(cast.office, cast, make_term(cast.school))
    assert not any(t.endswith("、考试与质量分析") for t in _texts(doc))
    assert any(t.endswith("、检查与抽查") for t in _texts(doc))  # the neighbours stay
