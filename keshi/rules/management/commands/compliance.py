"""keshi compliance --org CODE [--term ID_OR_NAME] [--group NAME_OR_ID] [--at YYYY-MM-DD]
[--format json|xlsx] [-o FILE] [--as USERNAME]

Everyone's standing on the org's active requirements, for scripts (JSON) and meetings (Excel).
The console is a server operator's tool, like ``export-roster``: it reads the whole org unless
``--as`` names a user, whose scope (keshi.org.scoping) then limits the people listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term
from keshi.documents import xlsx
from keshi.org.models import Group, Membership, Org, Person
from keshi.org.scoping import can_read_org, scope_for, visible
from keshi.rules.engine import Cell, Compliance, evaluate
from keshi.rules.status import LABELS, Status

FILLS = {
    Status.MET: "C6EFCE",
    Status.ON_TRACK: "DDEBF7",
    Status.BEHIND: "FFEB9C",
    Status.MISSED: "FFC7CE",
    Status.NOT_DUE: "EDEDED",
    Status.EXEMPT: "E7E6E6",
}


class Command(BaseCommand):
    # Pages and URLs are not this command's business: it runs even while they are broken.
    requires_system_checks: list[str] = []
    help = "输出单位每位教师在各项量化要求上的完成情况（JSON 或 Excel）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help="单位代码")
        parser.add_argument("--term", help="学期编号或名称（默认：当前学期）")
        parser.add_argument("--group", help="只看某个组（组名或编号）")
        parser.add_argument("--at", help="统计日期 YYYY-MM-DD（默认：今天）")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="输出文件（xlsx 必填；json 默认打印）")
        parser.add_argument("--as", dest="as_user", help="按该账号的可见范围输出")

    def handle(self, *args, **options) -> None:
        request = _resolve(options)
        result = evaluate(term=request.term, at=request.at, people=request.people)
        if options["format"] == "xlsx":
            output = options["output"]
            if not output or Path(output).suffix.lower() != ".xlsx":
                raise CommandError("Excel 格式须用 -o 指定以 .xlsx 结尾的输出文件")
            Path(output).write_bytes(to_xlsx(result, request))
            self.stdout.write(f"已导出 {len(result.people)} 人的完成情况到 {output}")
            return
        text = json.dumps(to_json(result), ensure_ascii=False, indent=1)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)


@dataclass
class Request:
    org: Org
    term: Term
    at: date
    group: Group | None
    people: list[Person]


def _resolve(options) -> Request:
    org = Org.objects.filter(code=options["org"]).first()
    if org is None:
        raise CommandError(f"单位代码“{options['org']}”不存在")
    user = None
    if options.get("as_user"):
        user = get_user_model().objects.filter(username=options["as_user"]).first()
        if user is None:
            raise CommandError(f"账号“{options['as_user']}”不存在")
        if not can_read_org(user, org) and scope_for(user).person_org_id != org.pk:
            raise CommandError(f"账号“{user.username}”无权查看{org.name}")
    at = _parse_at(options.get("at"))
    term = _term(org, options.get("term"), at)
    group = _group(org, options.get("group"))
    people = Person.objects.filter(org=org, active=True)
    if group is not None:
        members = Membership.objects.current(at).filter(group=group).values("person_id")
        people = people.filter(pk__in=members)
    if user is not None:
        people = visible(user, people)
    return Request(org, term, at, group, list(people.order_by("staff_no", "name", "pk")))


def _parse_at(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，如 2026-10-15") from None


def _term(org: Org, text: str | None, at: date) -> Term:
    terms = Term.objects.filter(school_year__org=org).select_related("school_year")
    if not text:
        term = current_term(org, at)
        if term is None:
            raise CommandError(
                f"{org.name}没有包含 {at} 的学期，也没有之后的学期；请用 --term 指定"
            )
        return term
    if text.isdigit():
        term = terms.filter(pk=int(text)).first()
    else:
        wanted = text.replace("-", "—").replace("－", "—")
        term = next((t for t in terms if str(t) in (text, wanted)), None)
    if term is None:
        names = "、".join(f"{t.pk}（{t}）" for t in terms) or "无"
        raise CommandError(f"{org.name}没有学期“{text}”；可选：{names}")
    return term


def _group(org: Org, text: str | None) -> Group | None:
    if not text:
        return None
    match = Q(name=text) | Q(pk=int(text)) if text.isdigit() else Q(name=text)
    group = Group.objects.filter(match, org=org).first()
    if group is None:
        raise CommandError(f"{org.name}没有组“{text}”")
    return group


def number(value: Decimal) -> int | float:
    """JSON numbers: ints when integral (3, not 3.0 or "3.00")."""
    return int(value) if value == value.to_integral_value() else float(value)


def _begun(result: Compliance, person_id: int, requirement_id: int) -> list[Cell]:
    return [c for c in result.periods(person_id, requirement_id) if c.period.start <= result.at]


def to_json(result: Compliance) -> dict:
    rows = []
    for person in result.people:
        results = [
            {
                "requirement": r.pk,
                "period": f"{c.period.start.isoformat()}..{c.period.end.isoformat()}",
                "value": number(c.value),
                "target": number(c.target),
                "status": str(c.status),
            }
            for r in result.requirements
            for c in _begun(result, person.pk, r.pk)
        ]
        rows.append({"person": person.staff_no, "name": person.name, "results": results})
    return {
        "term": str(result.term),
        "at": result.at.isoformat(),
        "requirements": [{"id": r.pk, "name": r.name} for r in result.requirements],
        "rows": rows,
    }


def _header(sheet, values: list[str]) -> None:
    xlsx.append(sheet, values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def to_xlsx(result: Compliance, request: Request) -> bytes:
    workbook = Workbook()
    current = workbook.active
    current.title = "当前周期"
    scope = f"{request.org.name}{('·' + request.group.name) if request.group else ''}"
    xlsx.append(current, [f"{scope} {result.term} 完成情况（统计至 {result.at.isoformat()}）"])
    current["A1"].font = Font(bold=True, size=14)
    reqs = result.requirements
    _header(current, ["工号", "姓名", *[r.name for r in reqs]])
    for person in result.people:
        xlsx.append(current, [person.staff_no, person.name])
        row = current.max_row
        for col, cell in enumerate(result.row(person.pk), start=3):
            if cell is None:
                continue
            target = current.cell(row=row, column=col)
            xlsx.put(target, f"{number(cell.value)}/{number(cell.target)} {LABELS[cell.status]}")
            target.fill = PatternFill("solid", fgColor=FILLS[cell.status])
    current.column_dimensions["A"].width = 12
    current.column_dimensions["B"].width = 10
    for col in range(3, len(reqs) + 3):
        current.column_dimensions[get_column_letter(col)].width = 16
    current.freeze_panes = "C3"

    every = workbook.create_sheet("全部周期")
    _header(
        every,
        ["工号", "姓名", "要求", "周期开始", "周期结束", "截止日期", "完成", "目标", "状态"],
    )
    for person in result.people:
        for r in reqs:
            for c in _begun(result, person.pk, r.pk):
                xlsx.append(
                    every,
                    [
                        person.staff_no,
                        person.name,
                        r.name,
                        c.period.start,
                        c.period.end,
                        c.due,
                        number(c.value),
                        number(c.target),
                        LABELS[c.status],
                    ],
                )
                every.cell(row=every.max_row, column=9).fill = PatternFill(
                    "solid", fgColor=FILLS[c.status]
                )
    for col, width in zip("ABCDEFGHI", (12, 10, 24, 12, 12, 12, 8, 8, 10), strict=True):
        every.column_dimensions[col].width = width
    for row in every.iter_rows(min_row=2, min_col=4, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    every.freeze_panes = "A2"
    return xlsx.to_bytes(workbook)
