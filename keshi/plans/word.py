"""The plan and the term-end 工作总结 as Word documents (see keshi.documents.docx for the styles).

The summary is a list of section builders, :data:`SUMMARY_SECTIONS`: each takes the builder and
the gathered :class:`~keshi.plans.summary.Summary` and writes one numbered section (or returns
False to be skipped). Every section is written from the data: the term's work beyond the rules
(教研活动, 培训学时, 检查与抽查, 获奖情况, 课题研究进展) in ``keshi.plans.word_work``; 主要成绩,
存在问题 and 下学期打算 are the office's own words when it wrote them, else sentences from the
data (``keshi.plans.summary_text``). No section prints a placeholder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from keshi.documents import charts
from keshi.documents.docx import DocBuilder, chinese_ordinal
from keshi.indicators.summary import indicator_chart_png, indicator_summary
from keshi.org.glossary import glossary_for
from keshi.plans import summary_text as text
from keshi.plans import word_work as work
from keshi.plans.models import Plan, PlanSection
from keshi.plans.summary import CalendarRow, Summary, calendar_rows, plan_sections
from keshi.rules.describe import describe, number, rule_of

K = PlanSection.Kind
HEADING_PREFIXES = tuple(f"{chinese_ordinal(n)}、" for n in range(1, 30))


def _heading_text(n: int, title: str) -> str:
    title = title.strip()
    if title.startswith(HEADING_PREFIXES):
        title = title.split("、", 1)[1]
    return f"{chinese_ordinal(n)}、{title}"


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _calendar_table(doc: DocBuilder, rows: list[CalendarRow], *, at: date | None = None) -> None:
    header = ["月份", "周次", "工作内容", "负责人"]
    widths = [1.6, 2.0, 8.6, 3.4]
    if at is not None:
        header.append("完成情况")
        widths = [1.4, 1.8, 5.4, 3.4, 3.6]
    body = []
    for r in rows:
        line = [r.month, r.week or "—", r.item.title, r.owners or "—"]
        if at is not None:
            line.append(r.status_text(at))
        body.append(line)
    doc.table(header, body, widths_cm=widths, merge_first_column=True, center_columns=(0, 1))


# ---- the plan ---------------------------------------------------------------------------------


def plan_docx(plan: Plan) -> bytes:
    doc = DocBuilder()
    doc.title(plan.title)
    sections = plan_sections(plan)
    duties = list(plan.duties.select_related("person"))
    rows = calendar_rows(plan)
    requirements = list(
        plan.requirements.filter(active=True).prefetch_related("kinds", "groups", "tags")
    )
    kinds = {s.kind for s in sections}
    n = 0

    def heading(title: str) -> None:
        nonlocal n
        n += 1
        doc.heading(_heading_text(n, title))

    placed = not requirements
    for section in sections:
        own_part = PlanSection.Kind.MEASURES not in kinds
        if not placed and own_part and section.kind in (K.DUTIES, K.CALENDAR):
            heading("主要量化要求")
            _requirement_list(doc, requirements)
            placed = True
        heading(section.title)
        doc.paragraphs(section.body)
        if section.kind == K.MEASURES and not placed:
            subheadings = doc.subheadings(section.body)
            if subheadings:
                doc.heading(f"（{chinese_ordinal(subheadings + 1)}）主要量化要求", 2)
            else:
                doc.paragraph("本学期主要量化要求如下：")
            _requirement_list(doc, requirements)
            placed = True
        if section.kind == K.DUTIES and duties:
            _duties_table(doc, duties)
        if section.kind == K.CALENDAR and rows:
            _calendar_table(doc, rows)
    if not placed:
        heading("主要量化要求")
        _requirement_list(doc, requirements)
    if duties and PlanSection.Kind.DUTIES not in kinds:
        heading(PlanSection.Kind.DUTIES.label)
        _duties_table(doc, duties)
    if rows and PlanSection.Kind.CALENDAR not in kinds:
        heading(PlanSection.Kind.CALENDAR.label)
        _calendar_table(doc, rows)
    owner = plan.group.name if plan.group_id else ""
    doc.paragraph()
    doc.paragraph(f"{plan.org.name}{owner}", indent=False, align="right")
    doc.paragraph(_cn_date(plan.created_at.date()), indent=False, align="right")
    return doc.to_bytes()


def _requirement_list(doc: DocBuilder, requirements) -> None:
    for i, r in enumerate(requirements, start=1):
        doc.paragraph(f"{i}．{describe(rule_of(r))}。")


def _duties_table(doc: DocBuilder, duties) -> None:
    rows = [(d.person.name if d.person_id else d.person_name, d.responsibility) for d in duties]
    doc.table(["姓名", "职责"], rows, widths_cm=[3.2, 12.4], center_columns=(0,))


# ---- the summary ------------------------------------------------------------------------------

Builder = Callable[[DocBuilder, Summary], bool]


def _overview(doc: DocBuilder, s: Summary) -> bool:
    counts = s.calendar_counts
    overall = s.overall
    parts = [
        f"本学期（{_cn_date(s.term.start)}至{_cn_date(s.term.end)}），全校{s.people}名教职工"
        f"参与计划执行，共登记各类业务记录{sum(k.records for k in s.kinds)}条。"
    ]
    if s.calendar:
        parts.append(
            f"行事历共安排{len(s.calendar)}项工作，已完成{counts['done']}项，"
            f"取消{counts['cancelled']}项，延期{counts['postponed']}项"
            + (f"，逾期未完成{counts['overdue']}项" if counts["overdue"] else "")
            + "。"
        )
    if s.requirements:
        rate = f"{overall.percent:g}%" if overall.percent is not None else "—"
        parts.append(
            f"{len(s.requirements)}项量化要求累计考核{overall.assessed}人次，"
            f"已完成{overall.met}人次，未完成{overall.missed}人次，总体完成率{rate}。"
        )
    if not s.final:
        parts.append(f"以上数据截至{_cn_date(s.at)}，学期尚未结束，本总结为草稿。")
    doc.paragraph("".join(parts))
    return True


def _words(key: str, from_data: Callable[[Summary], list[str]]) -> Builder:
    """The office's own words when it wrote them, else sentences from the data."""

    def build(doc: DocBuilder, s: Summary) -> bool:
        text = s.words.get(key, "").strip()
        if text:
            doc.paragraphs(text)
        else:
            for line in from_data(s):
                doc.paragraph(line)
        return True

    return build


def _calendar(doc: DocBuilder, s: Summary) -> bool:
    if not s.calendar:
        doc.paragraph("本学期计划未安排行事历。" if s.plan else "本学期未关联工作计划。")
        return True
    _calendar_table(doc, s.calendar, at=s.at)
    return True


def _requirements(doc: DocBuilder, s: Summary) -> bool:
    if not s.requirements:
        doc.paragraph("本学期未设量化要求。")
        return True
    extra = sum(not r.from_plan for r in s.requirements)
    if s.org_requirements:
        lead = "计划未关联量化要求" if s.plan else "本学期未关联工作计划"
        doc.paragraph(f"{lead}，以下为本学期执行的本单位量化要求{extra}项。")
    elif extra:
        doc.paragraph(
            f"本学期执行量化要求{len(s.requirements)}项：工作计划所列{len(s.requirements) - extra}"
            f"项，另有本单位启用的{extra}项（标“计划外”）。"
        )
    for i, r in enumerate(s.requirements, start=1):
        mark = "" if r.from_plan or s.org_requirements else "（计划外）"
        doc.heading(f"（{chinese_ordinal(i)}）{r.requirement.name}{mark}", 2)
        doc.paragraph(f"要求：{r.sentence}。").paragraph_format.keep_with_next = True
        if r.by_groups:
            _group_rule(doc, r)
        else:
            _person_rule(doc, r)
    return True


def _person_rule(doc: DocBuilder, r) -> None:
    body = [
        (g.name, g.assessed, g.met, g.running, g.missed, _percent(g.percent))
        for g in [*r.groups, r.total]
    ]
    doc.table(
        ["教研组", "考核人数", "已完成", "进行中", "未完成", "完成率"],
        body,
        widths_cm=[3.6, 2.4, 2.4, 2.4, 2.4, 2.4],
        center_columns=(1, 2, 3, 4, 5),
    )
    missed = "、".join(r.missed) if r.missed else "无"
    extra = f"另有{r.exempt}人按规定免考核。" if r.exempt else ""
    doc.paragraph(f"未完成人员（{len(r.missed)}人）：{missed}。{extra}")


def _group_rule(doc: DocBuilder, r) -> None:
    t = r.total
    if not t.assessed:
        doc.paragraph("本学期没有需要考核的组。")
        return
    missed = "、".join(r.missed) if r.missed else "无"
    doc.paragraph(
        f"按组考核{t.assessed}个组：已完成{t.met}个，进行中{t.running}个，未完成{t.missed}个，"
        f"完成率{_percent(t.percent)}。未完成的组：{missed}。"
    )


def _percent(value: float | None) -> str:
    return f"{value:g}%" if value is not None else "—"


def _records(doc: DocBuilder, s: Summary) -> bool:
    if not s.kinds:
        doc.paragraph("本学期未登记业务记录。")
        return True
    rows = [(k.label, k.records, k.people, f"{number(k.quantity)}{k.unit}") for k in s.kinds]
    rows.append(("合计", sum(k.records for k in s.kinds), "—", "—"))
    doc.table(
        ["记录类型", "记录条数", "参与人数", "数量合计"],
        rows,
        widths_cm=[5.0, 3.4, 3.4, 3.8],
        center_columns=(1, 2, 3),
    )
    png = charts.bar_chart(
        [k.label for k in s.kinds], [k.records for k in s.kinds], title="各类记录条数", ylabel="条"
    )
    doc.picture(png, caption="图1 本学期各类业务记录条数")
    return True


def _trend(doc: DocBuilder, s: Summary) -> bool:
    if not s.trend:
        doc.paragraph("本学期按人考核的量化要求还没有已结束的考核周期，未统计各期达标率。")
        return True
    doc.paragraph(
        "下图每条线为一项量化要求，每个点为它的一个已结束的考核周期（每周、每两周、每月……）"
        "中完成要求的人数占考核人数的比例；进行中的周期不计。"
        + (f"图中为前{len(s.trend)}项要求，全部要求见上表。" if len(s.trend) > 1 else "")
    )
    png = charts.period_chart(
        [(line.name, [(p.end, p.share) for p in line.points]) for line in s.trend],
        title="量化要求各期达标率",
        ylabel="达标比例（%）",
    )
    doc.picture(png, caption="图2 各项量化要求各期达标比例")
    return True


def _indicators(doc: DocBuilder, s: Summary) -> bool:
    """Department indicators (hospital departments and the like); skipped when there are none."""
    data = indicator_summary(s.org, s.at.year, at=s.at)
    if not data.lines:
        return False
    doc.paragraph(data.headline)
    doc.table(
        ["科室", "指标", "目标", "年累计", "状态", "达标月数", "未达标月数"],
        [
            (x.department, x.name, x.target, x.year_value, x.year_status, x.met, x.missed)
            for x in data.lines
        ],
        center_columns=(3, 4, 5, 6),
    )
    for n, line in enumerate(data.lines, start=1):
        doc.picture(
            indicator_chart_png(line, data.year),
            caption=f"指标图{n} {line.department}·{line.name}（{data.year}年）",
        )
    return True


# (title, builder).
SUMMARY_SECTIONS: list[tuple[str, Builder]] = [
    ("基本情况", _overview),
    ("主要成绩", _words("achievements", text.achievements)),
    ("行事历落实情况", _calendar),
    ("量化要求完成情况", _requirements),
    ("业务记录统计", _records),
    ("达标趋势", _trend),
    ("教研活动", work.group_work),
    ("培训学时", work.training),
    ("科室指标", _indicators),
    ("检查与抽查", work.checks),
    ("考试与质量分析", work.exams),
    ("获奖情况", work.awards),
    ("课题研究进展", work.research),
    ("存在问题", _words("problems", text.problems)),
    ("下学期打算", _words("next_term", text.next_term)),
]


def summary_docx(s: Summary) -> bytes:
    doc = DocBuilder(words=glossary_for(s.org.kind).text)  # a hospital's summary in its words
    title = s.title if s.final else f"{s.title}（草稿）"
    doc.title(title, subtitle=f"（数据截至{_cn_date(s.at)}）")
    n = 0
    for heading, build in SUMMARY_SECTIONS:
        h = doc.heading(_heading_text(n + 1, heading))
        if build(doc, s):
            n += 1
        else:
            h._element.getparent().remove(h._element)
    owner = s.plan.group.name if s.plan and s.plan.group_id else "教科室"
    # The signature block stays on one page.
    doc.paragraph().paragraph_format.keep_with_next = True
    doc.paragraph(
        f"{s.org.name}{owner}", indent=False, align="right"
    ).paragraph_format.keep_with_next = True
    doc.paragraph(_cn_date(s.at), indent=False, align="right")
    return doc.to_bytes()
