"""What a daily reminder says: sorting a person's standing into due-soon and overdue items, and
writing one digest per recipient and one summary per org. No database access here.

Each message is written twice from the same values: as plain text (in-app, e-mail) and as the
robots' markdown, where every value (names, requirement titles, group and org names) goes
through ``esc`` — :func:`keshi.notify.webhooks.escape_markdown` — and only our own markup is
markup."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from keshi.notify.webhooks import escape_markdown, markdown_url
from keshi.rules.status import LABELS, Status

Esc = Callable[[object], str]
WEEKDAYS = "一二三四五六日"
MAX_NAMES = 40


@dataclass(frozen=True)
class Item:
    requirement: str
    status: Status
    value: Decimal
    target: Decimal
    due: date
    note: str = ""  # a dated task rather than a count (外出培训 follow-up): said instead of x/y

    @property
    def gap(self) -> Decimal:
        return max(self.target - self.value, Decimal(0))


@dataclass
class Standing:
    """One person's items worth a reminder on one day."""

    name: str
    due_soon: list[Item] = field(default_factory=list)
    overdue: list[Item] = field(default_factory=list)
    behind: list[Item] = field(default_factory=list)  # behind or missed: what a lead wants to see

    @property
    def is_behind(self) -> bool:
        return bool(self.behind)


def classify(name: str, cells: Iterable[tuple[str, object]], at: date, days_ahead: int) -> Standing:
    """``cells`` are (requirement name, engine ``Cell`` or None) of the current periods."""
    standing = Standing(name)
    for requirement, cell in cells:
        if cell is None:
            continue
        item = Item(requirement, cell.status, cell.value, cell.target, cell.due)
        if cell.status == Status.MISSED:
            standing.overdue.append(item)
        elif cell.status in (Status.BEHIND, Status.ON_TRACK) and 0 <= (cell.due - at).days <= (
            days_ahead
        ):
            standing.due_soon.append(item)
        if cell.status in (Status.BEHIND, Status.MISSED):
            standing.behind.append(item)
    standing.due_soon.sort(key=lambda i: (i.due, i.requirement))
    return standing


@dataclass(frozen=True)
class OrgSummary:
    org: str
    at: date
    assessed: int
    overdue: list[str]  # names of people with a missed item
    behind: list[str]  # names of people behind (and not overdue)
    due_soon: int  # people with an item due within the window
    days_ahead: int

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.behind or self.due_soon)


def summarize(org: str, at: date, standings: list[Standing], days_ahead: int) -> OrgSummary:
    overdue = [s.name for s in standings if s.overdue]
    behind = [s.name for s in standings if s.behind and not s.overdue]
    due_soon = sum(1 for s in standings if s.due_soon)
    return OrgSummary(org, at, len(standings), overdue, behind, due_soon, days_ahead)


@dataclass(frozen=True)
class Message:
    title: str
    text: str  # plain text: in-app body, e-mail body
    markdown: str  # group robots


def fmt_number(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def fmt_date(day: date) -> str:
    return _("%(m)d月%(d)d日（周%(w)s）") % {
        "m": day.month,
        "d": day.day,
        "w": WEEKDAYS[day.weekday()],
    }


def fmt_day(day: date) -> str:
    """For titles, where the parentheses of :func:`fmt_date` would nest."""
    return _("%(m)d月%(d)d日周%(w)s") % {"m": day.month, "d": day.day, "w": WEEKDAYS[day.weekday()]}


def add_tasks(standing: Standing, tasks: Iterable[tuple[str, date]], at: date, days_ahead: int):
    """Dated one-off tasks (外出培训后续任务: label, due) join the same digest: overdue when past
    due, due soon within the window."""
    for label, due in tasks:
        if due < at:
            standing.overdue.append(
                Item(label, Status.MISSED, Decimal(0), Decimal(1), due, _("未完成"))
            )
        elif (due - at).days <= days_ahead:
            standing.due_soon.append(
                Item(label, Status.BEHIND, Decimal(0), Decimal(1), due, _("未完成"))
            )
    standing.due_soon.sort(key=lambda i: (i.due, i.requirement))


def _item_line(item: Item, esc: Esc = str) -> str:
    if item.note:
        return _("%(req)s：%(note)s，截止 %(due)s") % {
            "req": esc(item.requirement),
            "note": esc(item.note),
            "due": fmt_date(item.due),
        }
    return _("%(req)s：已完成 %(value)s / %(target)s，截止 %(due)s") % {
        "req": esc(item.requirement),
        "value": fmt_number(item.value),
        "target": fmt_number(item.target),
        "due": fmt_date(item.due),
    }


def _behind_line(standing: Standing, esc: Esc = str) -> str:
    parts = [
        f"{esc(i.requirement)} {fmt_number(i.value)}/{fmt_number(i.target)}（{LABELS[i.status]}）"
        for i in standing.behind
    ]
    return f"{esc(standing.name)}：{'；'.join(parts)}"


def _names(names: list[str], esc: Esc = str) -> str:
    shown = "、".join(esc(n) for n in names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += _("等%(n)d人") % {"n": len(names)}
    return shown


def _summary_lines(summary: OrgSummary, esc: Esc = str) -> list[str]:
    lines = [
        _("已逾期：%(n)d人") % {"n": len(summary.overdue)},
        _("进度落后：%(n)d人") % {"n": len(summary.behind)},
        _("%(days)d天内有任务截止：%(n)d人") % {"days": summary.days_ahead, "n": summary.due_soon},
    ]
    if summary.overdue:
        lines.append(_("逾期名单：%(names)s") % {"names": _names(summary.overdue, esc)})
    if summary.behind:
        lines.append(_("落后名单：%(names)s") % {"names": _names(summary.behind, esc)})
    return lines


Sections = list[tuple[str, list[str]]]
Writer = Callable[[Esc], tuple[str, Sections]]  # esc → (title, sections)


def _render(write: Writer, link: str) -> Message:
    """The plain text and the markdown of one message, both written by ``write``."""
    title, sections = write(str)
    md_title, md_sections = write(escape_markdown)
    text_parts = [
        heading + "\n" + "\n".join(f"· {line}" for line in lines) for heading, lines in sections
    ]
    md_parts = [f"### {md_title}"] + [
        f"**{heading}**\n\n" + "\n".join(f"- {line}" for line in lines)
        for heading, lines in md_sections
    ]
    if link:
        text_parts.append(_("查看详情：%(link)s") % {"link": link})
        md_parts.append(f"[{_('查看详情')}]({markdown_url(link)})")
    return Message(title, "\n\n".join(text_parts), "\n\n".join(md_parts))


def person_message(
    standing: Standing | None,
    *,
    at: date,
    days_ahead: int,
    groups: list[tuple[str, list[Standing]]] = (),
    summary: OrgSummary | None = None,
    link: str = "",
    manual: bool = False,
) -> Message | None:
    """One recipient's digest: their own items, the people behind in the groups they lead, and
    for office staff the org summary. None when there is nothing to say.

    ``manual`` is a reminder sent from the compliance page (keshi.notify.manual): the same
    sections, plus the items behind whose deadline is further off than ``days_ahead`` (the
    daily run leaves those out), under its own title."""

    def write(esc: Esc) -> tuple[str, Sections]:
        sections: Sections = []
        counts = []
        if standing and standing.overdue:
            sections.append((_("已逾期"), [_item_line(i, esc) for i in standing.overdue]))
            counts.append(_("%(n)d项已逾期") % {"n": len(standing.overdue)})
        if standing and standing.due_soon:
            heading = _("即将截止（%(days)d天内）") % {"days": days_ahead}
            sections.append((heading, [_item_line(i, esc) for i in standing.due_soon]))
            counts.append(_("%(n)d项即将截止") % {"n": len(standing.due_soon)})
        later = _behind_later(standing) if manual else []
        if later:
            sections.append((_("进度落后"), [_item_line(i, esc) for i in later]))
            counts.append(_("%(n)d项进度落后") % {"n": len(later)})
        for group, members in groups:
            behind = [m for m in members if m.is_behind]
            if behind:
                heading = _("%(group)s进度落后的成员") % {"group": esc(group)}
                sections.append((heading, [_behind_line(m, esc) for m in behind]))
                counts.append(_("%(group)s %(n)d人落后") % {"group": esc(group), "n": len(behind)})
        if summary and not summary.is_empty:
            org = esc(summary.org)
            sections.append((_("%(org)s概况") % {"org": org}, _summary_lines(summary, esc)))
            if not counts:
                counts.append(_("%(org)s今日概况") % {"org": org})
        template = _("完成情况提醒（%(date)s）：%(counts)s") if manual else None
        title = (template or _("每日提醒（%(date)s）：%(counts)s")) % {
            "date": fmt_day(at),
            "counts": "，".join(counts),
        }
        return title, sections

    if not write(str)[1]:
        return None
    return _render(write, link)


def _behind_later(standing: Standing | None) -> list[Item]:
    """Items behind that are neither overdue nor due within the window."""
    if standing is None:
        return []
    return [i for i in standing.behind if i.status == Status.BEHIND and i not in standing.due_soon]


def org_message(summary: OrgSummary, link: str = "") -> Message | None:
    """The one message a group robot gets per day (robots allow 20 a minute)."""
    if summary.is_empty:
        return None

    def write(esc: Esc) -> tuple[str, Sections]:
        title = _("%(org)s每日提醒（%(date)s）") % {
            "org": esc(summary.org),
            "date": fmt_day(summary.at),
        }
        return title, [(_("完成情况"), _summary_lines(summary, esc))]

    return _render(write, link)
