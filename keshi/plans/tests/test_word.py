"""The plan and the summary as .docx: headings, tables and numbers read back with python-docx,
then printed through LibreOffice (page 1 of each saved to test-artifacts/ to look at)."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from keshi.documents.docx import chinese_ordinal
from keshi.plans.summary import gather, save_summary_words
from keshi.plans.tests.test_summary import FINAL, MIDTERM, school_term  # noqa: F401
from keshi.plans.word import SUMMARY_SECTIONS, plan_docx, summary_docx

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_plan_docx(cast, school_term):  # noqa: F811
    doc = _open(plan_docx(school_term.plan))
    title = doc.paragraphs[0]
    assert title.text == "示范中学2026—2027学年第一学期教科室工作计划"
    assert title.style.name == "Title"
    assert title.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert _headings(doc, 1) == [
        "一、指导思想",
        "二、工作目标",
        "三、主要工作与具体措施",
        "四、工作分工",
        "五、活动安排（行事历）",
    ]
    assert _headings(doc, 2) == [
        "（一）加强教学常规管理",
        "（二）推进校本研修",
        "（三）主要量化要求",
    ]
    texts = [p.text for p in doc.paragraphs]
    assert "1．每学期听课不少于2节。" in texts
    assert "2．每月教学反思不少于1篇。" in texts
    assert not any("不属于本计划" in t for t in texts)
    body = next(p for p in doc.paragraphs if p.text == "以立德树人为根本任务。")
    assert body.paragraph_format.first_line_indent is not None
    duties, calendar = doc.tables
    assert _rows(duties) == [
        ["姓名", "职责"],
        ["王组长", "全面负责语文组教研工作"],
        ["周校长", "分管教科研工作"],
    ]
    rows = _rows(calendar)
    assert rows[0] == ["月份", "周次", "工作内容", "负责人"]
    assert [r[2] for r in rows[1:]] == [
        "制定教研组工作计划",
        "期中教学质量检测",
        "青年教师汇报课",
        "读书交流会",
        "期末工作总结",
    ]
    assert rows[1] == ["9月", "—", "制定教研组工作计划", "王组长"]
    assert rows[3][:2] == ["11月", "第12周"] and rows[5][:2] == ["1月", "第20周"]
    footer = doc.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("第 ") and "PAGE" in footer._p.xml


def test_plan_docx_leaves_out_summary_words(cast, school_term):  # noqa: F811
    save_summary_words(plan=school_term.plan, user=cast.office, achievements="不该出现在计划里")
    doc = _open(plan_docx(school_term.plan))
    assert not any("不该出现" in p.text or "工作总结" in p.text for p in doc.paragraphs)


def test_summary_docx_final(cast, school_term):  # noqa: F811
    save_summary_words(
        plan=school_term.plan,
        user=cast.office,
        achievements="听课评课制度全面落实。\n青年教师进步明显。",
        problems="部分教师反思流于形式。",
        next_term="加强过程督查。",
    )
    s = gather(cast.office, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    doc = _open(summary_docx(s))
    assert doc.paragraphs[0].text == "示范中学2026—2027学年第一学期教科室工作总结"
    # A school has no department indicators, and this term had no exam: those sections are
    # left out and the rest renumbered.
    titles = [t for t, _ in SUMMARY_SECTIONS if t not in ("科室指标", "考试与质量分析")]
    ordinals = [chinese_ordinal(n) for n in range(1, len(titles) + 1)]
    assert _headings(doc, 1) == [f"{n}、{t}" for n, t in zip(ordinals, titles, strict=True)]
    # The org's rule outside the plan is in force too, marked as such.
    assert _headings(doc, 2) == ["（一）听课", "（二）教学反思", "（三）不属于本计划（计划外）"]
    texts = [p.text for p in doc.paragraphs]
    overview = texts[texts.index("一、基本情况") + 1]
    assert "5名教职工" in overview and "共登记各类业务记录21条" in overview
    assert "已完成2项，取消1项，延期1项，逾期未完成1项" in overview
    assert "3项量化要求累计考核14人次，已完成5人次，未完成9人次，总体完成率35.7%" in overview
    assert "听课评课制度全面落实。" in texts and "青年教师进步明显。" in texts
    assert "部分教师反思流于形式。" in texts and "加强过程督查。" in texts
    assert "未完成人员（2人）：李老师、陈老师。" in texts
    assert "未完成人员（2人）：刘老师（缺5个月）、李老师（缺2个月）。另有1人按规定免考核。" in texts
    for section, empty in (
        ("七、教研活动", "本学期未开展（或未结束签到的）教研活动。"),
        ("八、培训学时", "本学期没有登记培训学时。"),
        ("九、检查与抽查", "本学期未开展检查或抽签。"),
        ("十、获奖情况", "本学期没有公布结果的评比获奖。"),
        ("十一、课题研究进展", "本学期没有在研课题。"),
    ):
        assert texts[texts.index(section) + 1] == empty
    assert "本学期执行量化要求3项：工作计划所列2项，另有本单位启用的1项（标“计划外”）。" in texts
    calendar, observe, reflect, _blog, kinds = doc.tables
    status = {r[2]: r[4] for r in _rows(calendar)[1:]}
    assert status["青年教师汇报课"] == "逾期未完成"
    assert status["期中教学质量检测"] == "延期：与区统考冲突，顺延一周"
    assert _rows(observe) == [
        ["教研组", "考核人数", "已完成", "进行中", "未完成", "完成率"],
        ["数学组", "2", "1", "0", "1", "50%"],
        ["语文组", "3", "2", "0", "1", "66.7%"],
        ["合计", "5", "3", "0", "2", "60%"],
    ]
    assert _rows(reflect)[-1] == ["合计", "4", "2", "0", "2", "50%"]
    assert _rows(kinds)[1:] == [
        ["听课/听评课", "8", "4", "8节"],
        ["教学反思/随笔", "13", "3", "13篇"],
        ["合计", "21", "—", "—"],
    ]
    assert len(doc.inline_shapes) == 2  # the bar chart and the trend line


def test_summary_docx_draft(cast, school_term):  # noqa: F811
    s = gather(
        cast.office, org=cast.school, term=school_term.term, at=MIDTERM, plan=school_term.plan
    )
    doc = _open(summary_docx(s))
    assert doc.paragraphs[0].text.endswith("工作总结（草稿）")
    assert doc.paragraphs[1].text == "（数据截至2026年11月10日）"
    texts = [p.text for p in doc.paragraphs]
    assert any("学期尚未结束，本总结为草稿" in t for t in texts)
    # Without the office's words the three sections are written from the data.
    assert _after(texts, "二、主要成绩") == [
        "本学期没有获奖、课题进展、教研活动或培训的记录可以汇总。"
    ]
    assert _after(texts, "十二、存在问题") == [
        "1．“教学反思”完成率50%，2人未完成（刘老师（缺2个月）、李老师（缺1个月））。"
    ]
    assert _after(texts, "十三、下学期打算")[:2] == [
        "1．重点督促落实教学反思，按月通报完成情况。",
        "2．延期的工作顺延安排：期中教学质量检测。",
    ]
    assert not any("由教科室填写" in t for t in texts)


HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _after(texts: list[str], heading: str) -> list[str]:
    """The paragraphs of one numbered section."""
    rest = texts[texts.index(heading) + 1 :]
    end = next((i for i, t in enumerate(rest) if HEADING.match(t)), len(rest))
    return [t for t in rest[:end] if t]


# ---- printed --------------------------------------------------------------------------------


def _print(data: bytes, name: str, tmp_path: Path) -> Path:
    """.docx → PDF (LibreOffice) → page PNGs in test-artifacts/; returns the PDF."""
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdftoppm"):
        pytest.skip("LibreOffice (soffice) or poppler-utils (pdftoppm) is not installed")
    source = tmp_path / f"{name}.docx"
    source.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / f"{name}.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdf), str(ARTIFACTS / name)],
        check=True,
        timeout=120,
    )
    return pdf


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def _text(pdf: Path) -> str:
    """The PDF's text without spaces (pdftotext spaces CJK and digits apart unevenly)."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


def test_plan_prints(cast, school_term, tmp_path):  # noqa: F811
    pdf = _print(plan_docx(school_term.plan), "plan-docx", tmp_path)
    text = _text(pdf)
    assert "教科室工作计划" in text and "第1页" in text
    assert "期中教学质量检测" in text
    assert _pages(pdf) <= 3


def test_summary_prints(cast, school_term, tmp_path):  # noqa: F811
    save_summary_words(plan=school_term.plan, user=cast.office, achievements="成绩显著。")
    s = gather(cast.office, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    pdf = _print(summary_docx(s), "summary-docx", tmp_path)
    text = _text(pdf)
    assert "工作总结" in text and "第1页" in text and "成绩显著" in text
    assert _pages(pdf) <= 6


def test_commands(cast, school_term, tmp_path):  # noqa: F811
    from django.core.management import CommandError, call_command

    plan_out, summary_out = tmp_path / "p.docx", tmp_path / "s.docx"
    call_command("plan-docx", school_term.plan.pk, output=str(plan_out))
    assert _open(plan_out.read_bytes()).paragraphs[0].text == school_term.plan.title
    out = io.StringIO()
    call_command("summary-docx", org="demo", at="2027-01-22", output=str(summary_out), stdout=out)
    assert "已生成工作总结：" in out.getvalue() and "用时" in out.getvalue()
    doc = _open(summary_out.read_bytes())
    assert doc.paragraphs[0].text == "示范中学2026—2027学年第一学期教科室工作总结"
    with pytest.raises(CommandError, match="无权查看"):
        call_command("summary-docx", org="demo", output=str(summary_out), as_user="outsider")
    with pytest.raises(CommandError, match="格式不对"):
        call_command("summary-docx", org="demo", at="2027-02-30", output=str(summary_out))
    with pytest.raises(CommandError, match="不存在"):
        call_command("plan-docx", school_term.plan.pk, output=str(plan_out), as_user="nobody")
    with pytest.raises(CommandError, match="无权查看"):
        call_command("plan-docx", school_term.plan.pk, output=str(plan_out), as_user="outsider")
