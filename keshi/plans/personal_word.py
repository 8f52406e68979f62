"""A teacher's 个人工作总结 draft as Word: first-person paragraphs and tables from their own term
(keshi.plans.personal_summary), ending with 反思与打算 left for them to write in Word."""

from __future__ import annotations

from collections.abc import Callable

from docx.shared import Pt, RGBColor

from keshi.documents.docx import DocBuilder, chinese_ordinal
from keshi.org.glossary import glossary_for
from keshi.plans.personal_summary import Observation, PersonalSummary
from keshi.rules.describe import number

HINT = RGBColor(0x80, 0x80, 0x80)
REFLECTION = [
    (
        "收获与体会",
        "（请在此写本学期教学、教研中的主要收获和体会，可结合上面的听课、课题和获奖。）",
    ),
    ("不足与改进", "（请在此写本学期工作中的不足，以及改进的办法。）"),
    ("下学期打算", "（请在此写下学期的工作目标和具体打算。）"),
]


def _cn(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _basics(doc: DocBuilder, s: PersonalSummary) -> None:
    p, att = s.person, s.attendance
    facts = [f"任教{p.subject}" if p.subject else "", p.title]
    years = p.teaching_years(s.at)
    if years is not None:
        facts.append(f"教龄{years}年")
    if s.groups:
        facts.append(f"所在{'、'.join(s.groups)}")
    text = f"本学期（{_cn(s.term.start)}至{_cn(s.term.end)}），我" + "，".join(
        f for f in facts if f
    )
    text += f"。本学期共登记各类业务记录{sum(k.records for k in s.kinds)}条"
    if att and att.sessions:
        text += f"，参加教研活动{att.session_attended}次（应参加{len(att.sessions)}次）"
    if att and att.training_hours:
        text += f"，获得校本研修{number(att.training_hours)}学时"
    doc.paragraph(text + "。")
    if not s.final:
        doc.paragraph(f"以上数据截至{_cn(s.at)}，学期尚未结束，本总结为草稿。")


def _observations(doc: DocBuilder, s: PersonalSummary) -> None:
    given, received = s.given, s.received
    if not given and not received:
        doc.paragraph("本学期我没有登记听课，也没有同事登记听我的课。")
        return
    commented = sum(bool(o.comments.strip()) for o in given)
    fed = sum(bool(o.comments.strip() or o.score) for o in received)
    read = sum(o.acknowledged for o in received)
    doc.paragraph(
        f"本学期我听课{len(given)}节，其中写有评课意见{commented}节；"
        f"同事听我的课{len(received)}节，给出评课意见或评分{fed}节，我已阅{read}节。"
    )
    if given:
        doc.heading("（一）我听的课", 2)
        _observation_table(doc, given, "授课教师")
    if received:
        doc.heading(f"（{'二' if given else '一'}）听我的课与反馈", 2)
        _observation_table(doc, received, "听课人")


def _observation_table(doc: DocBuilder, rows: list[Observation], who: str) -> None:
    doc.table(
        ["日期", who, "课题", "评课意见", "评分"],
        [(f"{o.day.month}月{o.day.day}日", o.other, o.topic, _short(o.comments) or "—",
          o.score or "—") for o in rows],
        widths_cm=[2.4, 2.2, 3.4, 5.2, 2.4],
        center_columns=(0, 1, 4),
    )  # fmt: skip


def _records(doc: DocBuilder, s: PersonalSummary) -> None:
    if not s.kinds:
        doc.paragraph("本学期我没有登记业务记录。")
        return
    doc.table(
        ["记录类型", "条数", "数量"],
        [(k.label, k.records, k.quantity) for k in s.kinds],
        widths_cm=[7.0, 3.0, 4.0],
        center_columns=(1, 2),
    )


def _rules(doc: DocBuilder, s: PersonalSummary) -> None:
    if not s.rules:
        doc.paragraph("本学期没有适用于我的量化要求。")
        return
    met = sum(r.standing == "已完成" for r in s.rules)
    doc.paragraph(f"本学期适用于我的量化要求{len(s.rules)}项，已完成{met}项。")
    doc.table(
        ["量化要求", "要求内容", "完成情况", "最近一期"],
        [(r.name, r.sentence, r.standing, r.value) for r in s.rules],
        widths_cm=[3.0, 7.4, 3.2, 2.2],
        center_columns=(2, 3),
    )


def _awards(doc: DocBuilder, s: PersonalSummary) -> None:
    if not s.awards:
        doc.paragraph("本学期我没有公布结果的评比获奖。")
        return
    doc.table(
        ["评比", "作品", "奖项", "加分"],
        [(a["contest"].title, a["entry"].title, a["award"] + ("" if a["final"] else "（公示中）"),
          f"+{number(a['points'].points)}" if a["points"] else "—") for a in s.awards],
        widths_cm=[5.0, 5.6, 2.6, 2.4],
        center_columns=(2, 3),
    )  # fmt: skip


def _projects(doc: DocBuilder, s: PersonalSummary) -> None:
    if not s.projects:
        doc.paragraph("本学期我没有参与课题研究。")
        return
    doc.table(
        ["课题", "级别", "我的角色", "当前阶段", "本学期进展"],
        [(x["project"].title, x["project"].get_level_display(), x["role"],
          x["project"].get_status_display(), moved) for x, moved in s.projects],
        widths_cm=[5.0, 1.6, 2.0, 2.0, 5.2],
        center_columns=(1, 2, 3),
    )  # fmt: skip


def _points(doc: DocBuilder, s: PersonalSummary) -> None:
    if not s.points:
        doc.paragraph("本学期我没有考核加分或扣分记录。")
        return
    doc.paragraph(f"本学期考核分合计{number(s.points_total)}分。")
    doc.table(
        ["日期", "分值", "来源", "事由"],
        [(f"{e.date.month}月{e.date.day}日", ("+" if e.points > 0 else "") + number(e.points),
          e.get_source_display(), e.reason) for e in s.points],
        widths_cm=[2.2, 1.8, 2.6, 9.0],
        center_columns=(0, 1, 2),
    )  # fmt: skip


def _reflection(doc: DocBuilder, s: PersonalSummary) -> None:
    for n, (title, hint) in enumerate(REFLECTION, start=1):
        doc.heading(f"（{chinese_ordinal(n)}）{title}", 2)
        for run in doc.paragraph(hint).runs:
            run.font.color.rgb, run.font.size, run.italic = HINT, Pt(10.5), True
        doc.paragraph()
        doc.paragraph()


SECTIONS: list[tuple[str, Callable[[DocBuilder, PersonalSummary], None]]] = [
    ("基本情况", _basics),
    ("听课与评课", _observations),
    ("业务记录", _records),
    ("量化要求完成情况", _rules),
    ("获奖情况", _awards),
    ("课题研究", _projects),
    ("考核积分", _points),
    ("反思与打算", _reflection),
]


def personal_summary_docx(s: PersonalSummary) -> bytes:
    doc = DocBuilder(words=glossary_for(s.person.org.kind).text)
    title = s.title if s.final else f"{s.title}（草稿）"
    doc.title(title, subtitle=f"{s.person.org.name}　{s.person.name}")
    for n, (heading, build) in enumerate(SECTIONS, start=1):
        doc.heading(f"{chinese_ordinal(n)}、{heading}")
        build(doc, s)
    doc.paragraph()
    doc.paragraph(s.person.name, indent=False, align="right")
    doc.paragraph(_cn(s.at), indent=False, align="right")
    return doc.to_bytes()
