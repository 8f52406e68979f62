"""Section builders of the 工作总结 for the term's work beyond the plan's rules: 教研活动, 培训学时,
检查与抽查, 获奖情况, 课题研究进展, 考试与质量分析 (data from keshi.plans.summary_groupwork /
summary_work, and keshi.exams.selectors.term_exams).

Each takes the builder and the gathered Summary, writes its section and returns True; a section
with nothing to show says what happened ("本学期未开展…") rather than printing a placeholder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from keshi.documents.docx import DocBuilder, chinese_ordinal
from keshi.exams.reports import num, pct

if TYPE_CHECKING:
    from keshi.plans.summary import Summary


def _day(d) -> str:
    return f"{d.month}月{d.day}日"


def _pct(value: float | None) -> str:
    return f"{value:g}%" if value is not None else "—"


def _hours(value) -> str:
    return f"{value.normalize():f}" if value is not None else "—"


def group_work(doc: DocBuilder, s: Summary) -> bool:
    gw = s.group_work
    if not gw.lines:
        doc.paragraph("本学期未开展（或未结束签到的）教研活动。")
        return True
    doc.paragraph(
        f"本学期{len(gw.lines)}个组共开展教研活动{gw.sessions}次，"
        f"应到{sum(x.expected for x in gw.lines)}人次，实到{sum(x.attended for x in gw.lines)}人次，"
        f"出勤率{_pct(gw.rate)}。"
    )
    doc.table(
        ["组别", "活动次数", "应到人次", "实到人次", "出勤率", "缺勤较多"],
        [(x.group, x.sessions, x.expected, x.attended, _pct(x.rate), x.most_absent or "无")
         for x in gw.lines],
        widths_cm=[2.6, 2.0, 2.0, 2.0, 1.8, 5.2],
        center_columns=(1, 2, 3, 4),
    )  # fmt: skip
    if gw.topics:
        topics = "；".join(f"{g}{_day(d)}“{t}”" for g, d, t in gw.topics[:12])
        doc.paragraph(f"主要活动主题：{topics}。")
    return True


def training(doc: DocBuilder, s: Summary) -> bool:
    t = s.training
    if not t.lines:
        doc.paragraph("本学期没有登记培训学时。")
        return True
    doc.paragraph(
        f"本学期教师参加培训{t.records}人次（{t.people}人），累计{_hours(t.hours)}学时，"
        "含校本研修发放的学时和教师登记的外出培训。"
    )
    doc.table(
        ["教研组", "参训人数", "校本研修学时", "其他培训学时", "学时合计", "人均学时"],
        [(x.group, f"{x.people}/{x.members}" if x.members else x.people, _hours(x.school_hours),
          _hours(x.other_hours), _hours(x.hours), _hours(x.per_member)) for x in t.lines],
        widths_cm=[2.6, 2.0, 3.0, 3.0, 2.4, 2.4],
        center_columns=(1, 2, 3, 4, 5),
    )  # fmt: skip
    return True


def checks(doc: DocBuilder, s: Summary) -> bool:
    c = s.checks
    if not c:
        doc.paragraph("本学期未开展检查或抽签。")
        return True
    done = sum(i.status == "已完成" for i in c.inspections)
    text = f"本学期共开展检查{len(c.inspections)}次（已完成{done}次）"
    if c.draws:
        text += f"，公开抽签{len(c.draws)}次"
    if c.rectifications:
        text += f"；提出整改要求{c.rectifications}条，已整改{c.rectified}条" + (
            f"，逾期未整改{c.overdue}条" if c.overdue else ""
        )
    doc.paragraph(text + "。")
    if c.inspections:
        doc.table(
            ["检查", "类型", "时间", "状态", "评分对象", "平均得分率", "等级分布"],
            [(i.title, i.kind, i.when, i.status, i.scored or "—",
              f"{i.average:.1f}%" if i.average is not None else "—", i.levels or "—")
             for i in c.inspections],
            center_columns=(2, 3, 4, 5),
        )  # fmt: skip
    if c.findings:
        doc.paragraph("检查发现的主要问题与意见：", bold=True)
        for n, (title, text) in enumerate(c.findings, start=1):
            doc.paragraph(f"{n}．{text}（{title}）。")
    if c.fixes:
        doc.table(
            ["整改要求", "检查", "责任人", "期限", "整改情况"],
            [(x.text, x.inspection, x.responsible, _day(x.due), x.state) for x in c.fixes],
            widths_cm=[4.6, 3.2, 2.0, 1.8, 4.8],
            center_columns=(2, 3),
        )
    if c.draws:
        doc.table(
            ["抽签", "日期", "抽取数", "抽中"],
            [(d.title, f"{d.day.year}年{_day(d.day)}", d.k, d.drawn) for d in c.draws],
            widths_cm=[4.6, 3.4, 1.8, 6.6],
            center_columns=(1, 2),
        )
    return True


def awards(doc: DocBuilder, s: Summary) -> bool:
    lines = s.awards.lines
    if not lines:
        doc.paragraph("本学期没有公布结果的评比获奖。")
        return True
    counts = "，".join(f"{level}{award}{n}项" for level, award, n in s.awards.by_level())
    doc.paragraph(f"本学期共获奖{len(lines)}项：{counts}。")
    doc.table(
        ["评比", "级别", "获奖人（组）", "作品", "奖项"],
        [(x.contest, x.level, x.winner, x.title, x.award) for x in lines],
        widths_cm=[4.0, 1.6, 3.0, 5.4, 2.2],
        center_columns=(1, 4),
    )
    return True


def research(doc: DocBuilder, s: Summary) -> bool:
    projects = s.research.projects
    if not projects:
        doc.paragraph("本学期没有在研课题。")
        return True
    by_status = "，".join(f"{status}{n}项" for status, n in s.research.by_status())
    moved = sum(p.this_term != "—" for p in projects)
    doc.paragraph(
        f"在研及本学期结题课题{len(projects)}项（{by_status}），本学期有进展的{moved}项。"
    )
    doc.table(
        ["课题", "级别", "主持人", "当前阶段", "本学期进展"],
        [(p.title, p.level, p.leader, p.status, p.this_term) for p in projects],
        widths_cm=[5.0, 1.6, 2.0, 2.0, 5.6],
        center_columns=(1, 2, 3),
    )
    return True


def _meeting_text(held) -> str:
    s, roll = held.session, held.roll
    when = _day(s.date)
    if not s.is_closed:
        return f"{s.topic}定于{when}召开（签到未结束），应到{roll.expected}人"
    text = f"{s.topic}于{when}召开，应到{roll.expected}人，实到{len(roll.present)}人"
    if roll.absent:
        text += f"（未到：{'、'.join(p.name for p in roll.absent)}）"
    return text


def exams(doc: DocBuilder, s: Summary) -> bool:
    """The term's exams (schools only): the analysis' grade line per subject, the 试卷分析 owed
    and in, and the 质量分析会. Left out when the term had no exam."""
    if not s.exams:
        return False
    names = "、".join(x.exam.name for x in s.exams)
    doc.paragraph(f"本学期共组织考试{len(s.exams)}次：{names}。")
    for n, x in enumerate(s.exams, start=1):
        e = x.exam
        doc.heading(f"（{chinese_ordinal(n)}）{e.name}", 2)
        days = _day(e.start_date) + (f"—{_day(e.end_date)}" if e.end_date != e.start_date else "")
        subjects = "、".join(x.subject_names)
        grade = e.grade if e.grade.endswith("年级") else f"{e.grade}年级"  # 七年级, 初一年级
        if not x.subjects:
            doc.paragraph(f"{grade}，{days}，考试科目{subjects}；成绩尚未导入。")
            continue
        doc.paragraph(f"{grade}，{days}，考试科目{subjects}，参考学生{x.students}人。")
        doc.table(
            ["学科", "满分", "参考人数", "年级平均分", "及格率", "优秀率"],
            [(f.subject, num(f.full_mark, 0), f.sat, num(f.mean), pct(f.pass_rate),
              pct(f.excellent_rate)) for f in x.subjects],
            widths_cm=[2.6, 1.8, 2.2, 2.6, 2.2, 2.2],
            center_columns=(1, 2, 3, 4, 5),
        )  # fmt: skip
        owed = f"试卷分析应交{x.analyses_owed}份，已交{x.analyses_done}份"
        if x.missing_analyses:
            owed += f"（未交：{'、'.join(x.missing_analyses)}）"
        held = "；".join(_meeting_text(m) for m in x.meetings) or "未召开质量分析会"
        doc.paragraph(f"{owed}。{held}。")
    return True
