"""The 工作总结's 检查与抽查, 获奖情况 and 课题研究进展 come from the term's inspections, draws, awards
and 课题 (keshi.plans.summary_work), read back from the .docx."""

import io
from datetime import date

import pytest
from docx import Document

from keshi.checks import services as checks
from keshi.checks.tests.factories import full_marks, inspection
from keshi.contests import services as contests
from keshi.contests.models import Assignment, Contest
from keshi.contests.tests.factories import contest, enter
from keshi.org.models import Person
from keshi.plans.summary import gather
from keshi.plans.tests.test_summary import FINAL, school_term  # noqa: F401
from keshi.plans.word import summary_docx
from keshi.research.tests.helpers import advance, project

pytestmark = pytest.mark.django_db


def _doc(user, cast, school_term):  # noqa: F811
    s = gather(user, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    return Document(io.BytesIO(summary_docx(s)))


def _after(doc, heading: str) -> str:
    texts = [p.text for p in doc.paragraphs]
    return texts[texts.index(heading) + 1]


def _table_with(doc, header: str) -> list[list[str]]:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == header)
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_terms_work_fills_its_three_sections(cast, school_term):  # noqa: F811
    teacher = Person.objects.get(user=cast.teacher)
    held = inspection(cast, start=date(2026, 11, 2), end=date(2026, 11, 6))
    checks.record_scores(
        inspection=held, by=cast.office,
        rows={teacher.pk: {"scores": full_marks(held, 0.9), "findings": "教案详实"}},
    )  # fmt: skip
    checks.add_rectification(
        inspection=held, text="补写二次备课", responsible=teacher, due=date(2026, 11, 20)
    )
    checks.complete_inspection(inspection=held)
    draw = checks.commit_draw(
        org=cast.school, title="推门听课抽签", population=["语文", "数学", "英语"], k=2,
        by=cast.office,
    )  # fmt: skip
    checks.reveal_draw(draw=draw, by=cast.office)

    paper = contest(cast, title="校教学论文评比", quota_first=1, result_date=date(2026, 12, 1))
    entry = enter(paper, cast.teacher, title="整本书阅读的三个抓手")
    Assignment.objects.create(entry=entry, judge=Person.objects.create(org=cast.school, name="评委"),
                              total=90)  # fmt: skip
    while paper.phase != Contest.Phase.RESULT:
        contests.advance(contest=paper, by=cast.office)

    reading = project(cast, title="整本书阅读教学研究")
    advance(reading, cast.office)  # 申报 passed → 立项

    doc = _doc(cast.office, cast, school_term)
    checks_text = _after(doc, "七、检查与抽查")
    assert checks_text == (
        "本学期共开展检查1次（已完成1次），公开抽签1次；提出整改要求1条，已整改0条，逾期未整改1条。"
    )
    rows = _table_with(doc, "检查")
    assert rows[1][:5] == ["期中教案检查", "全面检查（期中）", "11月2日—11月6日", "已完成", "1"]
    assert rows[1][5] == "90.0%"
    draws = _table_with(doc, "抽签")
    assert draws[1][0] == "推门听课抽签" and len(draws[1][3].split("、")) == 2
    assert _after(doc, "八、获奖情况") == "本学期共获奖1项：校级一等奖1项。"
    assert _table_with(doc, "评比")[1] == [
        "校教学论文评比", "校级", "张老师", "整本书阅读的三个抓手", "一等奖",
    ]  # fmt: skip
    assert _after(doc, "九、课题研究进展") == (
        "在研及本学期结题课题1项（立项1项），本学期有进展的1项。"
    )
    research = _table_with(doc, "课题")
    assert research[1][:4] == ["整本书阅读教学研究", "校级", "张老师", "立项"]
    assert research[1][4].startswith("申报通过（")
    assert not any("暂无记录" in p.text for p in doc.paragraphs)


def test_other_schools_work_stays_out(cast, school_term):  # noqa: F811
    """The outsider school's inspections, draws and contests never reach this summary."""
    from keshi.checks.models import Inspection
    from keshi.checks.tests.factories import builtin

    checks.save_inspection(
        org=cast.other_school, by=None, title="别校检查",
        kind=Inspection.Kind.SPOT, target=Inspection.Target.PEOPLE, rubric=builtin(),
        start=date(2026, 11, 2), people=[Person.objects.get(user=cast.outsider)],
    )  # fmt: skip
    doc = _doc(cast.office, cast, school_term)
    assert _after(doc, "七、检查与抽查") == "本学期未开展检查或抽签。"
    assert _after(doc, "八、获奖情况") == "本学期没有公布结果的评比获奖。"
    assert _after(doc, "九、课题研究进展") == "本学期没有在研课题。"
