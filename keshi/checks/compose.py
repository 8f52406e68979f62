"""Bulletin pieces composed from their sources: an inspection's results, a draw, group
activities (from keshi.groupwork when that app provides them), free news.

A piece is a snapshot: the office edits its text afterwards, and later changes of the source do
not rewrite a published bulletin.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from keshi.checks import scoring
from keshi.checks.models import Bulletin, BulletinItem, Draw, Inspection

log = logging.getLogger(__name__)
Source = BulletinItem.Source


@dataclass
class Piece:
    source: str
    heading: str
    body: str = ""
    source_id: int | None = None
    table: dict = field(default_factory=dict)


def _date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def from_inspection(inspection: Inspection) -> Piece:
    from keshi.checks.selectors import rollup_by_group

    results = list(inspection.results.select_related("person", "group"))
    period = _date(inspection.start)
    if inspection.end and inspection.end != inspection.start:
        period += f"至{_date(inspection.end)}"
    counts: dict[str, int] = {}
    for r in results:
        counts[r.level or "未定级"] = counts.get(r.level or "未定级", 0) + 1
    mean = scoring.mean(r.percent for r in results)
    parts = [
        f"{period or '本学期'}，教科室组织了{inspection.get_kind_display()}"
        f"（{inspection.title}），采用《{inspection.frozen_rubric()['name']}》评分，"
        f"共评{len(results)}{'个组' if inspection.target == Inspection.Target.GROUPS else '人'}"
        + (f"，平均得分率{mean}%" if mean is not None else "")
        + "。"
    ]
    if counts:
        parts.append("等级分布：" + "，".join(f"{k}{v}" for k, v in counts.items()) + "。")
    best = [r.subject_name for r in results if r.level and r.level == _top_level(inspection)]
    if best:
        parts.append(f"表现优秀：{'、'.join(best)}。")
    findings = [r.findings.strip() for r in results if r.findings.strip()]
    if findings:
        parts.append("主要问题与建议：" + "；".join(findings[:5]) + "。")
    rectifications = list(inspection.rectifications.all())
    if rectifications:
        closed = sum(1 for x in rectifications if x.closed_on)
        parts.append(f"提出整改{len(rectifications)}项，已完成{closed}项。")
    rows = [
        [
            r.name,
            str(r.count),
            f"{r.mean_percent}%" if r.mean_percent is not None else "—",
            "，".join(f"{k}{v}" for k, v in r.levels.items()) or "—",
        ]
        for r in rollup_by_group(results)
    ]
    table = {"header": ["组别", "人数", "平均得分率", "等级"], "rows": rows} if rows else {}
    return Piece(
        source=Source.INSPECTION,
        source_id=inspection.pk,
        heading=f"{inspection.title}情况通报",
        body="\n".join(parts),
        table=table,
    )


def _top_level(inspection: Inspection) -> str:
    levels = inspection.levels_list()
    return max(levels, key=lambda lv: lv.min).label if levels else ""


VERIFY_NOTE = "抽签过程可验证，见附录。"


def from_draw(draw: Draw) -> Piece:
    """Who drew what and when. The commitment and seed stay out of the body: the bulletin prints
    them once, in its appendix (:func:`appendix`), read from the draw itself."""
    when = timezone.localtime(draw.revealed_at).date() if draw.revealed_at else None
    who = draw.drawer.name if draw.drawer else "教科室"
    population = f"“{'、'.join(draw.population)}”共{len(draw.population)}项"
    if draw.revealed:
        body = (
            f"{_date(when)}，由{who}在系统中公开抽签，从{population}中抽取{draw.k}项，"
            f"抽中：{'、'.join(draw.result)}。"
        )
    else:
        committed = timezone.localtime(draw.committed_at).date()
        body = f"{_date(committed)}公布抽签范围：{population}，抽取{draw.k}项，尚未开签。"
    if draw.redraw_of_id:
        body += f"本次为重抽，原因：{draw.redraw_reason}。"
    body += VERIFY_NOTE
    return Piece(source=Source.DRAW, source_id=draw.pk, heading=f"{draw.title}抽签结果", body=body)


def masthead(bulletin: Bulletin) -> str:
    """The 红头 line: the org's name and the bulletin's title (once, if the title has it)."""
    title, org = bulletin.title.strip(), bulletin.org.name
    return title if title.startswith(org) else f"{org}{title}"


@dataclass
class AppendixLine:
    title: str
    commitment: str
    seed: str  # "" until revealed

    @property
    def lines(self) -> list[str]:
        """The same, one fact a line (the printed appendix: no hash broken mid-sentence)."""
        seed = f"开签后公开的种子：{self.seed}" if self.seed else "种子：尚未开签，开签后公开"
        return [f"{self.title}", f"抽签前公布的承诺值（SHA-256）：{self.commitment}", seed]

    @property
    def text(self) -> str:
        seed = f"开签后公开的种子：{self.seed}" if self.seed else "尚未开签，种子开签后公开"
        return f"{self.title}：抽签前公布的承诺值（SHA-256）{self.commitment}；{seed}。"


APPENDIX_HOW = (
    "复核方法：种子的 SHA-256 应等于承诺值；以种子和抽签范围按 docs/checks.md 所列算法重算，"
    "结果应与抽中项一致（系统命令：keshi draw verify 编号）。"
)


def appendix(bulletin: Bulletin) -> list[AppendixLine]:
    """The verification of each draw the bulletin reports, in the bulletin's order (draws of
    the bulletin's own org only)."""
    ids = [i.source_id for i in bulletin.items.all() if i.source == Source.DRAW and i.source_id]
    draws = Draw.objects.filter(org_id=bulletin.org_id, pk__in=ids).in_bulk()
    return [
        AppendixLine(
            draws[pk].title, draws[pk].commitment, draws[pk].seed if draws[pk].revealed else ""
        )
        for pk in dict.fromkeys(ids)
        if pk in draws
    ]


def from_news(text: str) -> list[Piece]:
    """Free news: blocks separated by a blank line; a block's first line is its heading."""
    pieces = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if lines:
            pieces.append(Piece(source=Source.NEWS, heading=lines[0], body="\n".join(lines[1:])))
    return pieces


def activity_pieces(user, *, org, start: date, end: date) -> list[Piece]:
    """Group activities (教研活动) in [start, end] from keshi.groupwork, if it is there.

    Optional by design: the groupwork app is developed in parallel; when its interface is
    missing or different this returns nothing rather than breaking bulletins.
    """
    try:
        from keshi.groupwork import selectors as groupwork
    except ImportError:
        return []
    try:
        sessions = (
            groupwork.sessions_for(user)
            .filter(org=org, date__gte=start, date__lte=end)
            .select_related("group", "host")
            .order_by("date")
        )
        pieces = []
        for s in sessions[:50]:
            attendees = s.attendances.count()
            host = f"，由{s.host.name}主持" if getattr(s, "host", None) else ""
            place = f"在{s.place}" if s.place else ""
            body = f"{_date(s.date)}{place}{host}，{attendees}人参加。"
            if s.minutes:
                body += "\n" + s.minutes.strip()[:300]
            pieces.append(
                Piece(
                    source=Source.ACTIVITY,
                    source_id=s.pk,
                    heading=f"{s.group.name}：{s.topic or '教研活动'}",
                    body=body,
                )
            )
        return pieces
    except Exception:  # noqa: BLE001 — an optional source must not break composing
        log.warning("groupwork activities unavailable for bulletins", exc_info=True)
        return []
