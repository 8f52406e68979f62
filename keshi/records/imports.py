"""Excel import of records (听课、反思、培训… kept in a spreadsheet), all or nothing.

File reading, header finding, text cleaning and dates are keshi.org.roster's; this module maps
the columns to records, resolves people and kinds in the org, and writes through
:func:`keshi.records.services.record_activity`. Every problem is reported by sheet row and
column; with any problem nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keshi.documents.archive import UploadLimits
from keshi.documents.text import strip_control_chars
from keshi.org import roster
from keshi.org.models import Org, Person
from keshi.org.roster import RosterFileError, RowError, clean_text, header_key
from keshi.records.models import Activity, ActivityKind
from keshi.records.selectors import kinds_for_org
from keshi.records.services import record_activity

ALIASES: dict[str, tuple[str, ...]] = {
    "staff_no": ("工号", "教工号", "编号", "职工号", "教师编号"),
    "name": ("姓名", "教师", "教师姓名"),
    "kind": ("类型", "记录类型", "类别"),
    "date": ("日期", "时间", "听课日期", "记录日期"),
    "quantity": ("数量", "节数", "篇数", "次数"),
    "credits": ("学分",),
    "title": ("标题", "题目", "课题", "标题/课题"),
    "observed": ("被听课教师", "授课教师", "执教教师", "被听课人", "执教人"),
    "chars": ("字数",),
    "text": ("正文", "内容"),
}
HEADERS = {name: aliases[0] for name, aliases in ALIASES.items()}
_INDEX = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
MAX_TEXT = 50000


@dataclass
class ImportRow:
    row: int
    person: Person
    kind: ActivityKind
    values: dict[str, Any]


@dataclass
class RecordImport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    header_row: int | None = None
    written: bool = False

    def as_json(self) -> dict[str, Any]:
        """With errors nothing was written: ``created`` is 0."""
        return {
            "created": self.created if not self.errors else 0,
            "errors": [e.as_dict() for e in self.errors],
        }


def import_records(
    *, org: Org, filename: str, data: bytes, dry_run: bool = False, user=None, today=None
) -> RecordImport:
    today = today or timezone.localdate()
    report = RecordImport()
    try:
        found = None
        limits = UploadLimits.from_settings(settings)
        for _title, rows in roster.read_cells(filename, data, limits=limits):
            found = roster.find_header(rows, _INDEX, frozenset({"name", "staff_no"}))
            if found:
                break
    except RosterFileError as exc:
        report.errors.append(RowError(None, "", str(exc)))
        return report
    if not found:
        report.errors.append(RowError(None, "", "未找到表头行（表头须包含“姓名”或“工号”列）"))
        return report
    header_row, header_cells, body = found
    report.header_row = header_row
    columns: dict[int, str] = {}
    extra: dict[int, str] = {}  # column → header: a kind's own field, by its label
    headers: dict[str, str] = {}
    for i, cell in enumerate(header_cells):
        name = _INDEX.get(header_key(cell))
        if name and name not in headers:
            headers[name] = clean_text(cell)
            columns[i] = name
        elif clean_text(cell):
            extra[i] = clean_text(cell)
    if "kind" not in headers:
        report.errors.append(RowError(header_row, "", "缺少“类型”列"))
    if "date" not in headers:
        report.errors.append(RowError(header_row, "", "缺少“日期”列"))
    if report.errors:
        return report
    resolver = _Resolver(org)
    used_extra: set[str] = set()
    for number, cells in body:
        raw = {name: cells[i] for i, name in columns.items() if i < len(cells)}
        more = {label: cells[i] for i, label in extra.items() if i < len(cells)}
        if all(clean_text(v) == "" for v in [*raw.values(), *more.values()]):
            continue
        row = _parse_row(number, raw, more, headers, resolver, today, report, used_extra)
        if row is not None:
            report.rows.append(row)
    report.ignored_columns = [h for h in extra.values() if h not in used_extra]
    _check_duplicates(report, headers)
    report.errors.sort(key=lambda e: e.row or 0)
    if report.errors or dry_run:
        report.created = len(report.rows) if not report.errors else 0
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                record_activity(person=row.person, kind=row.kind, by=user, **row.values)
    except ValidationError as exc:  # a rule only the model knows; nothing was written
        report.errors = [RowError(None, "", f"写入失败，未导入任何记录：{'；'.join(exc.messages)}")]
        return report
    report.created = len(report.rows)
    report.written = True
    return report


class _Resolver:
    """People and kinds of one org, loaded once."""

    def __init__(self, org: Org) -> None:
        people = list(Person.objects.filter(org=org))
        self.by_staff_no = {p.staff_no: p for p in people if p.staff_no}
        self.by_name: dict[str, list[Person]] = {}
        for p in people:
            self.by_name.setdefault(p.name, []).append(p)
        self.kinds: dict[str, ActivityKind] = {}
        for kind in kinds_for_org(org):
            self.kinds.setdefault(kind.code.lower(), kind)
            self.kinds.setdefault(header_key(kind.label), kind)
            for part in kind.label.split("/"):
                self.kinds.setdefault(header_key(part), kind)
        self.kind_labels = "、".join(k.label for k in kinds_for_org(org))

    def person(self, staff_no: str, name: str) -> tuple[Person | None, str]:
        if staff_no:
            person = self.by_staff_no.get(staff_no)
            if person is None:
                return None, f"本单位没有工号为“{staff_no}”的教师"
            if name and person.name != name:
                return None, f"工号“{staff_no}”是{person.name}，与姓名“{name}”不符"
            return person, ""
        matches = self.by_name.get(name, [])
        if not matches:
            return None, f"本单位没有名为“{name}”的教师"
        if len(matches) > 1:
            return None, f"本单位有{len(matches)}位“{name}”，请填写工号"
        return matches[0], ""

    def kind(self, text: str) -> ActivityKind | None:
        return self.kinds.get(text.lower()) or self.kinds.get(header_key(text))


def _number(value: Any, *, integer: bool = False) -> Decimal:
    text = clean_text(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None
    if not number.is_finite() or number < 0 or number >= Decimal("1000000"):
        raise ValueError(f"数值不合理：{text}")
    if integer and number != number.to_integral_value():
        raise ValueError(f"“{text}”应为整数")
    return number


def _parse_row(number, raw, more, headers, resolver, today, report, used_extra):
    def fail(name: str, message: str) -> None:
        report.errors.append(RowError(number, headers.get(name, name), message))

    before = len(report.errors)
    text = {name: clean_text(v) for name, v in raw.items()}
    person, problem = None, ""
    if not text.get("staff_no") and not text.get("name"):
        fail("name", "缺少姓名或工号")
    else:
        person, problem = resolver.person(text.get("staff_no", ""), text.get("name", ""))
        if problem:
            fail("staff_no" if text.get("staff_no") else "name", problem)
    kind = None
    if not text.get("kind"):
        fail("kind", "缺少类型")
    else:
        kind = resolver.kind(text["kind"])
        if kind is None:
            fail("kind", f"未知的类型“{text['kind']}”（可用：{resolver.kind_labels}）")
    values: dict[str, Any] = {}
    try:
        if not text.get("date"):
            raise ValueError("缺少日期")
        values["on"] = roster.parse_date(raw["date"])
        if values["on"] > today:
            raise ValueError(f"日期晚于今天：{values['on'].isoformat()}")
    except ValueError as exc:
        fail("date", str(exc))
    for name in ("quantity", "credits", "chars"):
        if text.get(name):
            try:
                values[name] = _number(raw[name], integer=name == "chars")
            except ValueError as exc:
                fail(name, str(exc))
    if "quantity" in values and values["quantity"] == 0:
        fail("quantity", "数量必须大于0")
    if "chars" in values:
        values["chars"] = int(values["chars"])
    if len(text.get("title", "")) > 200:
        fail("title", "超过200个字符")
    values["title"] = text.get("title", "")
    body = strip_control_chars(str(raw.get("text") or "")).strip()
    if len(body) > MAX_TEXT:
        fail("text", f"超过{MAX_TEXT}个字符")
    values["text"] = body
    if kind is not None:
        values["data"] = _kind_data(kind, more, fail, used_extra)
        values["observed"] = _observed(kind, text.get("observed", ""), person, resolver, fail)
    if len(report.errors) > before or person is None or kind is None:
        return None
    return ImportRow(number, person, kind, values)


def _observed(kind, name, person, resolver, fail) -> Person | None:
    if not kind.has_observed:
        return None
    if not name:
        fail("observed", f"{kind.label}须填写被听课教师")
        return None
    observed, problem = resolver.person("", name)
    if problem:
        fail("observed", problem)
    elif person is not None and observed.pk == person.pk:
        fail("observed", "不能登记听自己的课")
    return observed


def _kind_data(kind: ActivityKind, more: dict, fail, used_extra: set) -> dict:
    data = {}
    by_label = {header_key(label): label for label in more}
    for spec in kind.fields:
        header = by_label.get(header_key(spec.get("label", ""))) or by_label.get(spec["name"])
        value = clean_text(more.get(header)) if header else ""
        if header:
            used_extra.add(header)
        if not value:
            if spec.get("required"):
                report_as = header or spec.get("label", spec["name"])
                fail(report_as, f"{kind.label}须填写“{spec.get('label', spec['name'])}”")
            continue
        try:
            data[spec["name"]] = _field_value(spec, more[header])
        except ValueError as exc:
            fail(header, str(exc))
    return data


def _field_value(spec: dict, value: Any) -> Any:
    kind = spec.get("type", "text")
    text = clean_text(value)
    if kind == "int":
        return int(_number(value, integer=True))
    if kind == "decimal":
        return str(_number(value).normalize())
    if kind == "date":
        return roster.parse_date(value).isoformat()
    if kind == "choice" and text not in (spec.get("choices") or []):
        raise ValueError(f"应为{'、'.join(spec.get('choices') or [])}之一，不是“{text}”")
    if kind == "url" and not text.startswith(("http://", "https://")):
        raise ValueError(f"链接应以 http:// 或 https:// 开头：{text}")
    if kind == "textarea":
        return strip_control_chars(str(value)).strip()
    if len(text) > 200:
        raise ValueError("超过200个字符")
    return text


def _check_duplicates(report: RecordImport, headers: dict[str, str]) -> None:
    def key(person_id, kind_id, on: date, title: str, observed_id) -> tuple:
        return (person_id, kind_id, on, title, observed_id)

    seen: dict[tuple, int] = {}
    rows = report.rows
    people = {r.person.pk for r in rows}
    existing = set()
    if rows:
        dates = [r.values["on"] for r in rows]
        for a in Activity.objects.filter(
            person_id__in=people, date__gte=min(dates), date__lte=max(dates)
        ).values_list("person_id", "kind_id", "date", "title", "observed_id"):
            existing.add(key(*a))
    column = headers.get("date", HEADERS["date"])
    for r in rows:
        observed = r.values.get("observed")
        k = key(
            r.person.pk, r.kind.pk, r.values["on"], r.values["title"], getattr(observed, "pk", None)
        )
        if k in existing:
            report.errors.append(
                RowError(r.row, column, "系统中已有相同的记录（同一教师、类型、日期、标题）")
            )
        elif k in seen:
            report.errors.append(RowError(r.row, column, f"与第{seen[k]}行重复"))
        seen.setdefault(k, r.row)
