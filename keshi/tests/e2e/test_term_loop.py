"""Issue #21 “Done when”: one term, through the services a user's actions call (no mocks, no
model writes where a service exists), on the shared cast.

孙老师 (数学组) observes 张老师 with the built-in 听课评价表 and 张老师 acknowledges the feedback; a
推门听课 draw of 张老师 and 李老师 gives 王组长 two observations to do, and he does them; the 期中
教案检查 is scored, a 整改 goes to 张老师, completing the inspection gives her the 检查优秀 points
and she closes the 整改 with an evidence file. Before that is done, the daily job runs on the
day: every kind of deadline (外出培训 follow-up, an inspection to score, a 整改, a 课题 stage, a
contest entry without its file, a contest to judge, assigned observations, a hospital
department's monthly figures) reaches its owner's in-app digest once, and a second run the same
day sends nothing. The term's 工作总结 is then written, read back with python-docx section by
section, converted to PDF and to PNG pages (test-artifacts/e2e/term/) that were looked at.

The day is today (the services date their own writes: a draw, a 课题 decision), and the term is
made around it with ``create_school_year``; every due date lies within the reminder window.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from keshi.appraisal.models import PointEntry, PointRule, Source
from keshi.appraisal.services import save_rule
from keshi.calendar.models import Term
from keshi.calendar.services import create_school_year
from keshi.checks import draw_work
from keshi.checks import services as checks
from keshi.checks.models import Draw, Inspection
from keshi.checks.tests.factories import builtin
from keshi.contests import services as contests
from keshi.contests.models import Contest
from keshi.contests.tests.factories import contest, docx_by, full, judges
from keshi.dispatch import services as dispatch
from keshi.dispatch.models import Dispatch
from keshi.groupwork import services as groupwork
from keshi.indicators.tests.conftest import hospital  # noqa: F401 -- fixture
from keshi.notify import daily
from keshi.notify.models import Digest, Notification
from keshi.notify.selectors import policy
from keshi.org.models import Person
from keshi.org.tests.factories import GroupFactory, MembershipFactory, PersonFactory, UserFactory
from keshi.plans import calendar_services
from keshi.plans import services as plans
from keshi.plans.models import CalendarItem, Plan
from keshi.plans.summary import gather
from keshi.plans.word import SUMMARY_SECTIONS, summary_docx
from keshi.records import feedback_services
from keshi.records.models import Activity, Feedback, ObservationAssignment
from keshi.records.services import record_activity
from keshi.records.tests.factories import PDF, kind
from keshi.research import services as research
from keshi.research.models import ResearchProject
from keshi.research.tests.helpers import advance
from keshi.rules import services as rules
from keshi.tests.browser import ARTIFACTS

PAGES = ARTIFACTS / "e2e" / "term"
INSPECTION = "期中教案检查"
FIX = "补写第三单元二次备课"
PROJECT = "整本书阅读教学研究"
PAPERS = "校教学论文评比"
LESSONS = "青年教师优质课评比"
REPORT = "返校汇报材料"
SESSION = "推门听课评课交流"
CALENDAR = "推门听课周"
# The placeholder words, spelt in pieces so that the code-base grep below does not find
# them in this very file.
PLACEHOLDERS = ("暂无" + "记录", "TO" + "DO", "占" + "位", "由教科室" + "填写")


def the_day() -> date:
    """Today — the day before on 31 August, so that tomorrow still lies in the term."""
    today = timezone.localdate()
    return today - timedelta(days=1) if (today.month, today.day) == (8, 31) else today


def term_around(org, day: date) -> Term:
    """The school year of ``day`` with the term holding ``day`` and the day after."""
    start_year = day.year if day.month >= 9 else day.year - 1
    if day.month >= 9 or day.month == 1:
        first_end, second_start = date(start_year + 1, 2, 10), date(start_year + 1, 2, 11)
    else:
        first_end, second_start = date(start_year + 1, 1, 31), date(start_year + 1, 2, 1)
    year = create_school_year(
        org=org,
        start_year=start_year,
        first_start=date(start_year, 9, 1),
        first_end=first_end,
        second_start=second_start,
        second_end=date(start_year + 1, 8, 31),
    )
    term = year.terms.get(start__lte=day, end__gte=day)
    assert term.end > day
    return term


@dataclass
class World:
    day: date
    term: Term
    plan: Plan
    zhang: Person
    li: Person
    wang: Person
    judge: object  # 评委一's login
    observation: Activity  # 孙老师's record of 张老师's lesson
    inspection: Inspection
    draw: Draw
    papers: Contest


def people(cast) -> tuple[Person, Person, Person]:
    return cast.teacher.person, cast.other_teacher.person, cast.lead.person


def plan_the_term(cast, day: date) -> tuple[Term, Plan]:
    """The office's 工作计划 with one rule (听课 ≥ 2 a term) and a 行事历 item, published."""
    term = term_around(cast.school, day)
    plan = plans.create_plan(
        org=cast.school, user=cast.office, title=f"示范中学{term}教科室工作计划", term=term
    )
    rules.create_requirement(
        org=cast.school, user=cast.office, name="听课", kinds=[kind("observation")], threshold=2,
        plan=plan,
    )  # fmt: skip
    calendar_services.create_item(
        plan=plan, title=CALENDAR, date=day, owners=[cast.lead.person],
        status=CalendarItem.Status.DONE,
    )  # fmt: skip
    plans.set_status(plan=plan, user=cast.office, status=Plan.Status.PUBLISHED)
    return term, plan


def observe_with_feedback(cast, day: date) -> Activity:
    """孙老师 (数学组) records an observation of 张老师 and scores it with the 听课评价表."""
    maths = GroupFactory(org=cast.school, name="数学组")
    observer = UserFactory(username="observer")
    sun = PersonFactory(org=cast.school, name="孙老师", user=observer, subject="数学")
    MembershipFactory(person=sun, group=maths)
    activity = record_activity(
        person=sun, kind=kind("observation"), by=observer, on=day, title="背影",
        observed=cast.teacher.person,
        data={"class_name": "初二(3)班", "subject": "语文", "topic": "背影",
              "comments": "细节描写品读到位，朗读指导可再加强。"},
    )  # fmt: skip
    rubric = builtin("observation")
    scores = {c.key: str(c.max) for c in rubric.criteria_list()}
    feedback = feedback_services.save_observation_feedback(
        activity=activity, by=observer, rubric=rubric, raw_scores=scores
    )
    assert feedback.level and feedback.percent == Decimal(100)
    return activity


def inspect(cast, term: Term, day: date) -> Inspection:
    """The 期中教案检查 scored (not yet completed) with a 整改 for 张老师; the 检查优秀 rule."""
    zhang, li, wang = people(cast)
    save_rule(
        by=cast.office,
        rule=PointRule(
            org=cast.school, name="检查优秀", trigger=PointRule.Trigger.INSPECTION_RESULT,
            points=Decimal("0.5"), inspection_level="优秀",
        ),
    )  # fmt: skip
    rubric = checks.save_rubric(
        org=cast.school, name="教案检查百分表", purpose="inspection", criteria="总体 | 100",
        levels="优秀 90、合格 60、不合格 0",
    )  # fmt: skip
    held = checks.save_inspection(
        org=cast.school, by=cast.office, title=INSPECTION, kind=Inspection.Kind.MIDTERM,
        target=Inspection.Target.PEOPLE, rubric=rubric, groups=[cast.group], inspectors=[wang],
        term=term, start=day, end=day + timedelta(days=1),
    )  # fmt: skip
    results = checks.record_scores(
        inspection=held, by=wang.user,
        rows={zhang.pk: {"scores": {"c1": "95"}, "findings": "教案详实，二次备课不足"},
              li.pk: {"scores": {"c1": "82"}, "findings": "教学反思偏简略"}},
    )  # fmt: skip
    mine = next(r for r in results if r.person_id == zhang.pk)
    checks.add_rectification(
        inspection=held, text=FIX, responsible=zhang, due=day + timedelta(days=1), result=mine
    )
    return held


def draw_drop_ins(cast, day: date) -> Draw:
    """A public 推门听课 draw of two teachers; 王组长 is to observe both by tomorrow."""
    draw = checks.commit_draw(
        org=cast.school, title="推门听课抽签", population=["张老师", "李老师"], k=2,
        by=cast.office, population_kind=Draw.Population.TEACHERS,
    )  # fmt: skip
    draw = checks.reveal_draw(draw=draw, by=cast.office)
    made = draw_work.assign_drop_in(
        draw=draw, observers=[cast.lead.person], start=day, due=day + timedelta(days=1),
        by=cast.office,
    )  # fmt: skip
    assert len(made) == 2 and not any(t.done for t in made)
    return draw


def send_li_away(cast, day: date) -> Dispatch:
    """李老师's one-day 外出培训, back today, with a 返校汇报材料 due tomorrow."""
    sent = dispatch.create_dispatch(
        org=cast.school, by=cast.office, teachers=[cast.other_teacher.person], direct=True,
        title="区初中语文教研活动", organiser="区教师发展中心", level="district", place="区教师发展中心",
        cross_province=False, start_date=day, start_half="am", end_date=day, end_half="pm",
        hours=Decimal(6), credits=Decimal("0.5"), professional=True,
        cost_estimate=Decimal(0), reimbursable=False, request_comment="",
    )  # fmt: skip
    member = sent.members.get()
    dispatch.mark_returned(member=member, by=cast.office)
    dispatch.add_obligation(
        dispatch=sent, by=cast.office, kind="report", label=REPORT,
        due_date=day + timedelta(days=1), person=cast.other_teacher.person,
    )  # fmt: skip
    dispatch.confirm_attendance(member=member, by=cast.office)  # 6 学时 of 培训
    return sent


def contests_of_the_term(cast, day: date):
    """A paper contest in judging (评委一 to score 张老师's paper by today) and a lesson contest
    where 李老师 signed up without the file due the day before judging."""
    papers = contest(cast, title=PAPERS, quota_first=1, notice_start=day + timedelta(days=1))
    entry_file = docx_by("张老师", "整本书阅读的三个抓手")
    contests.submit_entry(
        contest=papers, person=cast.teacher.person, title="整本书阅读的三个抓手",
        upload_name="张老师-论文.docx", data=entry_file,
    )  # fmt: skip
    judge = judges(cast, 1)[0]
    contests.auto_assign(contest=papers, judges=[judge.person], by=cast.office, per_entry=1)
    while papers.phase != Contest.Phase.REVIEW:
        contests.advance(contest=papers, by=cast.office)
    lessons = contest(
        cast, title=LESSONS, kind=Contest.Kind.LESSON, review_start=day + timedelta(days=2)
    )
    contests.submit_entry(contest=lessons, person=cast.other_teacher.person, title="背影")
    return papers, judge


def group_session(cast, day: date) -> None:
    zhang, li, wang = people(cast)
    session = groupwork.save_session(
        group=cast.group, by=cast.office, date=day, start_time=time(15, 30),
        end_time=time(17, 0), place="语文组办公室", topic=SESSION,
    )  # fmt: skip
    groupwork.set_session_attendance(session=session, people=[zhang, li, wang], by=cast.office)
    groupwork.close_session(session=session, by=cast.office)


def digests() -> dict[str, Notification]:
    rows = Notification.objects.filter(title__startswith="每日提醒").select_related("user")
    return {n.user.username: n for n in rows}


# ---- the term --------------------------------------------------------------------------------


@pytest.fixture
def world(cast, hospital, settings, tmp_path) -> World:  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    day = the_day()
    settings.KESHI_INDICATOR_DUE_DAY = day.day  # 科室指标 reported by today
    create_school_year(org=hospital.org, start_year=day.year)  # a 年度: Jan–Dec, one term
    term, plan = plan_the_term(cast, day)
    zhang, li, wang = people(cast)
    observation = observe_with_feedback(cast, day)
    held = inspect(cast, term, day)
    draw = draw_drop_ins(cast, day)
    send_li_away(cast, day)
    papers, judge = contests_of_the_term(cast, day)
    research.create_project(
        org=cast.school, title=PROJECT, level="school", leader=zhang, members=[li],
        due_date=day + timedelta(days=1),
    )  # fmt: skip
    group_session(cast, day)
    return World(day, term, plan, zhang, li, wang, judge, observation, held, draw, papers)


@pytest.mark.slow
def test_a_term_closes_every_loop(cast, world, tmp_path):
    day, zhang, li, wang = world.day, world.zhang, world.li, world.wang

    # 听课反馈: the observed teacher was told, reads and acknowledges it.
    told = Notification.objects.get(person=zhang, title__contains="孙老师 听了您的课《背影》")
    assert told.link == reverse("records:feedback_detail", args=[world.observation.pk])
    feedback_services.acknowledge(activity=world.observation, by=cast.teacher)
    feedback = Feedback.objects.get(activity=world.observation)
    assert feedback.acknowledged_at is not None and feedback.level

    reminded_once(cast, day)

    # The 推门 assignments are done by 王组长's observations.
    for teacher in (zhang, li):
        record_activity(
            person=wang, kind=kind("observation"), by=cast.lead, on=day, observed=teacher,
            data={"subject": "语文", "comments": "推门听课：课堂节奏紧凑。"},
        )  # fmt: skip
    tasks = ObservationAssignment.objects.filter(draw=world.draw)
    assert tasks.count() == 2 and all(t.done and t.activity_id for t in tasks)

    # The inspection completed gives points; the 整改 is closed with its evidence.
    checks.complete_inspection(inspection=world.inspection)
    entry = PointEntry.objects.get(person=zhang, source=Source.INSPECTION)
    assert entry.points == Decimal("0.5") and entry.source_id == world.inspection.pk
    assert not PointEntry.objects.filter(person=li, source=Source.INSPECTION).exists()  # 合格
    checks.close_rectification(
        rectification=world.inspection.rectifications.get(), closed_on=day,
        note="已补写3篇二次备课", by=cast.teacher, evidence_name="二次备课.pdf", evidence=PDF,
    )  # fmt: skip

    # The judge scores and the results come out; the 课题's 申报 is handed in and passed.
    assignment = world.papers.entries.get().assignments.get()
    contests.save_scores(assignment=assignment, by=world.judge, raw=full(0.92))
    while world.papers.phase != Contest.Phase.RESULT:
        contests.advance(contest=world.papers, by=cast.office)
    advance(ResearchProject.objects.get(title=PROJECT), cast.office)

    # The 工作总结 of the term: every section from the data above, on paper too.
    s = gather(cast.office, org=cast.school, term=world.term, at=world.term.end, plan=world.plan)
    data = summary_docx(s)
    sections = read_sections(Document(io.BytesIO(data)))
    titles = [t for t, _ in SUMMARY_SECTIONS]
    # a school has no 科室指标; this term held no exam (keshi/plans/tests/test_word_exams.py)
    assert list(sections) == [t for t in titles if t not in ("科室指标", "考试与质量分析")]
    for heading, words in EXPECTED.items():
        for word in words:
            assert word in sections[heading], (heading, word, sections[heading])
    drawn = "、".join(world.draw.result)  # the order the public draw gave
    assert sorted(world.draw.result) == ["张老师", "李老师"] and drawn in sections["检查与抽查"]
    assert not any(p in "\n".join(sections.values()) for p in PLACEHOLDERS)
    text = pdf_text(print_pages(data, tmp_path))
    for word in (INSPECTION, FIX, PAPERS, PROJECT, SESSION, CALENDAR, "推门听课抽签", "第5页"):
        assert word in text, word
    assert not any(p in text for p in PLACEHOLDERS)


def reminded_once(cast, day: date) -> None:
    """The daily job: each owner's digest names each of their deadlines; a rerun sends nothing."""
    assert policy(cast.school).days_ahead >= 1  # every due date above is today or tomorrow
    first = {r.org: r for r in daily.send_daily_reminders(at=day)}
    assert set(first) == {"demo", "hosp"} and not any(r.error for r in first.values())
    last_month = (day.replace(day=1) - timedelta(days=1)).month
    owed = {
        "other_teacher": [f"外出培训·{REPORT}", f"评比《{LESSONS}》·提交作品"],
        "lead": [f"检查《{INSPECTION}》·评分", "推门听课·听张老师的课", "推门听课·听李老师的课"],
        "teacher": [f"整改·{FIX}", f"课题《{PROJECT}》·申报"],
        "judge1": [f"评比《{PAPERS}》·评审1件作品"],
        "head": [f"科室指标·神经内科·{last_month}月数据（3项未填报）"],
    }
    sent = digests()
    for username, labels in owed.items():
        assert username in sent, f"{username} got no digest"
        for label in labels:
            assert label in sent[username].body, (username, label, sent[username].body)
    counts = Notification.objects.count(), Digest.objects.count()
    again = daily.send_daily_reminders(at=day)
    assert not any(r.sent for r in again) and sum(r.skipped for r in again) >= len(sent)
    assert (Notification.objects.count(), Digest.objects.count()) == counts
    assert digests().keys() == sent.keys()


# Per section of the 工作总结, what the term above must have written there (tables as "a | b").
EXPECTED = {
    "基本情况": ["共登记各类业务记录9条", "行事历共安排1项工作，已完成1项",
             "1项量化要求累计考核5人次，已完成1人次"],
    "主要成绩": ["评比获奖1项（校级一等奖1项）", f"《{PROJECT}》申报通过", "1个组开展教研活动1次",
             "教师参加培训1人次，累计6学时", "开展检查1次，整改落实1条"],
    "行事历落实情况": [f"{CALENDAR} | 王组长 | 完成"],
    "量化要求完成情况": ["要求：每学期听课不少于2节", "语文组 | 3 | 1 | 0 | 2 | 33.3%"],
    "业务记录统计": ["听课/听评课 | 3 | 2 | 3节", "培训 | 1 | 1 | 6学时",
               "教研活动/集体备课 | 3 | 3 | 3次", "合计 | 9"],
    "达标趋势": ["各项量化要求各期达标比例"],
    "教研活动": [f"“{SESSION}”", "语文组 | 1 | 3 | 3 | 100% | 无"],
    "培训学时": ["累计6学时", "语文组 | 1/3 | 0 | 6 | 6 | 2"],
    "检查与抽查": ["公开抽签1次；提出整改要求1条，已整改1条", f"{INSPECTION} | 全面检查（期中）",
              "已完成 | 2 | 88.5% | 优秀 1、合格 1", "1．教案详实，二次备课不足", FIX,
              "已整改（", "已补写3篇二次备课", "推门听课抽签 | "],
    "获奖情况": [f"{PAPERS} | 校级 | 张老师 | 整本书阅读的三个抓手 | 一等奖"],
    "课题研究进展": [f"{PROJECT} | 校级 | 张老师 | 立项 | 申报通过（"],
    "存在问题": ["“听课”完成率20%，4人未完成"],
    "下学期打算": ["重点督促落实听课", "推进在研课题1项"],
}  # fmt: skip


HEADING = re.compile(r"^[一二三四五六七八九十]+、(.+)$")


def read_sections(doc) -> dict[str, str]:
    """Numbered section title → its paragraphs and table cells, in document order."""
    titles = {t for t, _ in SUMMARY_SECTIONS}
    out: dict[str, list[str]] = {}
    current = None
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            text = Paragraph(child, doc).text.strip()
            match = HEADING.match(text)
            if match and match.group(1) in titles:
                current = match.group(1)
                out[current] = []
            elif current and text:
                out[current].append(text)
        elif child.tag.endswith("}tbl") and current:
            table = Table(child, doc)
            out[current] += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return {k: "\n".join(v) for k, v in out.items()}


def print_pages(data: bytes, tmp_path: Path) -> Path:
    """.docx → PDF (LibreOffice) → one PNG per page under test-artifacts/e2e/term/."""
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdftoppm"):
        pytest.skip("LibreOffice (soffice) or poppler-utils (pdftoppm) is not installed")
    source = tmp_path / "term-summary.docx"
    source.write_bytes(data)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "term-summary.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob("*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdf), str(PAGES / "summary")], check=True, timeout=120
    )
    assert list(PAGES.glob("summary-*.png"))
    return pdf


def pdf_text(pdf: Path) -> str:
    """The PDF's text without spaces (pdftotext spaces CJK apart unevenly)."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


# ---- no placeholder left -----------------------------------------------------------------------

CODE = Path(__file__).resolve().parents[2]  # the keshi package
# The placeholder of the old 工作总结 and its helpers: gone from the code and from its tests.
GONE = ("（本学期" + "暂无记录）", "本学期" + "暂无记录", "NOTHING" + "_YET", "_not" + "_yet")


def _sources(*suffixes: str):
    for path in sorted(CODE.rglob("*")):
        if path.suffix in suffixes and "migrations" not in path.parts:
            yield path, path.read_text("utf-8")


def test_no_placeholder_left_in_the_code_or_its_tests():
    found = [
        f"{path.relative_to(CODE)}: {word}"
        for path, text in _sources(".py", ".html", ".txt", ".md")
        for word in GONE
        if word in text
    ]
    assert found == []


def test_document_builders_write_no_placeholder():
    """Every module that writes a Word document (it uses DocBuilder) says what happened, never
    "暂无…", "TODO", "占位" or "由教科室填写"."""
    builders = [
        (path, text)
        for path, text in _sources(".py")
        if "DocBuilder" in text and "tests" not in path.parts
    ]
    assert any(path.name == "word.py" for path, _ in builders)  # the 工作总结's builder is seen
    words = ("暂无", *PLACEHOLDERS)
    found = [
        f"{path.relative_to(CODE)}:{n}: {line.strip()}"
        for path, text in builders
        for n, line in enumerate(text.splitlines(), start=1)
        if any(word in line for word in words)
    ]
    assert found == []
