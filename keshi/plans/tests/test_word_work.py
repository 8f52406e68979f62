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


def _after(doc, heading: str, n: int = 1) -> str | list[str]:
    """The first paragraph (or first ``n``) after the numbered heading "…、{heading}"."""
    texts = [p.text for p in doc.paragraphs]
    at = next(i for i, t in enumerate(texts) if t.split("、", 1)[-1] == heading and "、" in t)
    found = [t for t in texts[at + 1 :] if t][:n]
    return found[0] if n == 1 else found


def _table_with(doc, header: str) -> list[list[str]]:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == header)
    return [[c.text for c in row.cells] for row in table.rows]


def _terms_work(cast) -> None:
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


def test_the_terms_work_fills_its_three_sections(cast, school_term):  # noqa: F811
    _terms_work(cast)
    doc = _doc(cast.office, cast, school_term)
    checks_text = _after(doc, "检查与抽查")
    assert checks_text == (
        "本学期共开展检查1次（已完成1次），公开抽签1次；提出整改要求1条，已整改0条，逾期未整改1条。"
    )
    rows = _table_with(doc, "检查")
    assert rows[1][:5] == ["期中教案检查", "全面检查（期中）", "11月2日—11月6日", "已完成", "1"]
    assert rows[1][5] == "90.0%"
    assert "检查发现的主要问题与意见：" in [p.text for p in doc.paragraphs]
    assert "1．教案详实（期中教案检查）。" in [p.text for p in doc.paragraphs]
    assert _table_with(doc, "整改要求")[1] == [
        "补写二次备课", "期中教案检查", "张老师", "11月20日", "逾期未整改",
    ]  # fmt: skip
    draws = _table_with(doc, "抽签")
    assert draws[1][0] == "推门听课抽签" and len(draws[1][3].split("、")) == 2
    assert _after(doc, "获奖情况") == "本学期共获奖1项：校级一等奖1项。"
    assert _table_with(doc, "评比")[1] == [
        "校教学论文评比", "校级", "张老师", "整本书阅读的三个抓手", "一等奖",
    ]  # fmt: skip
    assert _after(doc, "课题研究进展") == (
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
    assert _after(doc, "检查与抽查") == "本学期未开展检查或抽签。"
    assert _after(doc, "获奖情况") == "本学期没有公布结果的评比获奖。"
    assert _after(doc, "课题研究进展") == "本学期没有在研课题。"


def _group_work(cast, school_term):  # noqa: F811
    from datetime import time

    from keshi.groupwork import services as groupwork
    from keshi.groupwork import services_training as training
    from keshi.records.tests.factories import ActivityFactory, kind

    p = school_term.people
    maths = p["陈"].memberships.get().group
    for group, day, topic, present in (
        (cast.group, date(2026, 10, 15), "整本书阅读研讨", [p["张"], p["王"]]),
        (cast.group, date(2026, 11, 12), "作文讲评课例", [p["张"], p["王"], p["李"]]),
        (maths, date(2026, 10, 20), "单元作业设计", [p["陈"], p["刘"]]),
    ):
        session = groupwork.save_session(
            group=group, by=cast.office, date=day, start_time=time(15, 30),
            end_time=time(17, 0), place="会议室", topic=topic,
        )  # fmt: skip
        groupwork.set_session_attendance(session=session, people=present, by=cast.office)
        groupwork.close_session(session=session, by=cast.office)
    project = training.save_project(
        org=cast.school, by=cast.office, title="新课标解读", start=date(2026, 10, 9),
        end=date(2026, 10, 9), hours=3, credits=0, organiser="教科室",
    )  # fmt: skip
    training.set_training_attendance(project=project, people=[p["张"], p["陈"]], by=cast.office)
    training.grant_training(project=project, by=cast.office, override_reason="材料后补")
    ActivityFactory(person=p["李"], kind=kind("training"), date=date(2026, 11, 3), quantity=6,
                    data={"organiser": "区进修学校"})  # fmt: skip


def test_group_activities_and_training_hours(cast, school_term):  # noqa: F811
    """教研活动 per group with attendance, and 培训学时 per 教研组 (校本研修 and 外出培训)."""
    _group_work(cast, school_term)
    doc = _doc(cast.office, cast, school_term)
    assert _after(doc, "教研活动") == (
        "本学期2个组共开展教研活动3次，应到8人次，实到7人次，出勤率87.5%。"
    )
    rows = _table_with(doc, "组别")
    assert rows[1:] == [
        ["数学组", "1", "2", "2", "100%", "无"],
        ["语文组", "2", "6", "5", "83.3%", "李老师（缺1次）"],
    ]
    assert "主要活动主题：语文组10月15日“整本书阅读研讨”" in _after(doc, "教研活动", 2)[1]
    assert _after(doc, "培训学时") == (
        "本学期教师参加培训3人次（3人），累计12学时，含校本研修发放的学时和教师登记的外出培训。"
    )
    hours = next(t for t in doc.tables if t.rows[0].cells[2].text == "校本研修学时")
    assert [[c.text for c in r.cells] for r in hours.rows] == [
        ["教研组", "参训人数", "校本研修学时", "其他培训学时", "学时合计", "人均学时"],
        ["数学组", "1/2", "3", "0", "3", "1.5"],
        ["语文组", "2/3", "3", "6", "9", "3"],
        ["合计", "3/5", "6", "6", "12", "2.4"],
    ]
    achievements = _after(doc, "主要成绩", 2)
    assert achievements == [
        "1．2个组开展教研活动3次，出勤率87.5%。",
        "2．教师参加培训3人次，累计12学时。",
    ]


def test_every_rule_in_force_not_only_the_plans(cast, school_term):  # noqa: F811
    """A rule of the org outside the plan is reported; one from another term's plan or a draft
    plan, or taking effect after the term, is not."""
    from keshi.org.models import Group
    from keshi.plans.models import Plan
    from keshi.records.tests.factories import kind
    from keshi.rules.models import Requirement
    from keshi.rules.tests.factories import RequirementFactory

    other = Plan.objects.create(
        org=cast.school, title="草稿计划", term=school_term.term, status=Plan.Status.DRAFT
    )
    RequirementFactory(org=cast.school, plan=other, name="草稿里的要求", kinds=[kind("paper")])
    RequirementFactory(org=cast.school, name="下学期才生效", kinds=[kind("paper")],
                       effective_from=date(2027, 3, 1))  # fmt: skip
    RequirementFactory(org=cast.school, name="停用的要求", kinds=[kind("paper")], active=False)
    RequirementFactory(org=cast.school, name="每组每月一次活动", kinds=[kind("group_activity")],
                       owner=Requirement.Owner.GROUP, owner_group_kind=Group.Kind.SUBJECT,
                       period=Requirement.Period.MONTH, threshold=1)  # fmt: skip
    s = gather(cast.office, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    names = [(r.requirement.name, r.from_plan, r.by_groups) for r in s.requirements]
    assert names == [
        ("听课", True, False),
        ("教学反思", True, False),
        ("不属于本计划", False, False),
        ("每组每月一次活动", False, True),
    ]
    group_rule = s.requirements[-1]
    assert group_rule.total.assessed >= 2 and group_rule.total.met == 0
    assert "语文组（缺5个月）" in group_rule.missed
    doc = Document(io.BytesIO(summary_docx(s)))
    texts = [p.text for p in doc.paragraphs]
    assert "（四）每组每月一次活动（计划外）" in texts
    assert any(t.startswith("按组考核") and "未完成的组：" in t for t in texts)


def test_a_full_term_prints_with_every_section_filled(cast, school_term, tmp_path):  # noqa: F811
    """The 工作总结 of a term with inspections, draws, awards, 课题, group activities and training,
    converted to PDF (pages in test-artifacts/summary-full-*.png): no placeholder anywhere."""
    from keshi.plans.tests.test_word import _pages, _print, _text

    _terms_work(cast)
    _group_work(cast, school_term)
    s = gather(cast.office, org=cast.school, term=school_term.term, at=FINAL, plan=school_term.plan)
    data = summary_docx(s)
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    for heading in ("教研活动", "培训学时", "检查与抽查", "获奖情况", "课题研究进展"):
        first = _after(doc, heading)
        assert not first.startswith(("本学期未", "本学期没有")), (heading, first)
    assert _after(doc, "主要成绩", 3)[0].startswith("1．评比获奖1项（校级一等奖1项）")
    assert not any("暂无" in t or "由教科室填写" in t for t in texts)
    pdf = _print(data, "summary-full", tmp_path)
    text = _text(pdf)
    assert "教研活动" in text and "培训学时" in text and "补写二次备课" in text
    assert _pages(pdf) <= 8
