"""Writes on the org domain. Roster import/export: parsing is keshi.org.roster (pure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from keshi.documents.archive import UploadLimits
from keshi.org import roster
from keshi.org.models import Group, Membership, Org, Person, Tag
from keshi.org.roster import ParsedRoster, RosterRow, RowError
from keshi.org.scoping import manageable

ROLE_LABELS = {"lead": "组长", "deputy": "副组长", "member": "成员"}
KIND_LABELS = {"subject": "教研组", "prep": "备课组", "grade": "年级组"}
CHANGE_REASON = "名册导入"
_ROLE_RANK = {"lead": 0, "deputy": 1, "member": 2}


@dataclass
class RowOutcome:
    row: int
    name: str
    staff_no: str
    action: str  # "created" | "updated" | "unchanged" | "error"
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    new_groups: list[tuple[str, str]] = field(default_factory=list)  # (name, kind label)
    ignored_columns: list[str] = field(default_factory=list)
    header_row: int | None = None
    missing_groups: bool = False  # some error would go away with create_groups
    written: bool = False

    def as_json(self) -> dict[str, Any]:
        """The command's --format json document. With errors nothing was written: counts are 0."""
        ok = not self.errors
        return {
            "created": self.created if ok else 0,
            "updated": self.updated if ok else 0,
            "unchanged": self.unchanged if ok else 0,
            "errors": [e.as_dict() for e in self.errors],
        }


@dataclass
class _RowPlan:
    source: RosterRow
    person: Person | None
    updates: dict[str, Any]
    tags: list[str]
    memberships: list[tuple[str, str, Membership | None]]  # (group name, role, current one)
    changes: list[str]

    @property
    def action(self) -> str:
        return "created" if self.person is None else "updated" if self.changes else "unchanged"


@dataclass
class _GroupPlan:
    existing: dict[str, Group]
    new: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (kind, parent name)
    parents: dict[str, str] = field(default_factory=dict)  # existing 备课组 name → parent name


def import_roster(
    *,
    org: Org,
    filename: str,
    data: bytes,
    create_groups: bool = False,
    dry_run: bool = False,
    user=None,
    today: date | None = None,
) -> ImportReport:
    """Validate the whole roster, then write it in one transaction, or write nothing.

    Returns the counts, per-row outcomes and every error; ``written`` says whether the database
    was changed. The plan is made again inside the transaction, so a confirm after a preview
    re-validates against the current data.
    """
    today = today or timezone.localdate()
    limits = UploadLimits.from_settings(settings)
    parsed = roster.read_roster(filename, data, today=today, limits=limits)
    report = ImportReport(ignored_columns=parsed.ignored, header_row=parsed.header_row)
    try:
        with transaction.atomic():
            plans, groups = _plan(org, parsed, create_groups, report)
            if parsed.errors or report.errors or dry_run:
                report.errors = sorted(parsed.errors + report.errors, key=_error_order)
                for outcome in report.rows:
                    if outcome.action == "error":
                        outcome.changes = [
                            f"{e.column}：{e.message}"
                            for e in report.errors
                            if e.row == outcome.row
                        ]
                return report
            _apply(org, plans, groups, user, reason=f"{CHANGE_REASON} {filename}"[:100])
            report.written = True
    except IntegrityError as exc:
        report.errors = [RowError(None, "", f"写入数据库失败，未导入任何数据：{exc}")]
        report.written = False
    return report


def _error_order(error: RowError) -> tuple[int, str]:
    return (error.row or 0, "")


def _plan(
    org: Org, parsed: ParsedRoster, create_groups: bool, report: ImportReport
) -> tuple[list[_RowPlan], _GroupPlan]:
    groups = _GroupPlan(existing={g.name: g for g in Group.objects.filter(org=org)})
    people = list(
        Person.objects.filter(org=org).prefetch_related(
            "tags",
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().select_related("group"),
                to_attr="current_memberships",
            ),
        )
    )
    finder = _PersonFinder(people)
    plans = []
    bad_rows = {e.row for e in parsed.errors}
    for row in parsed.rows:
        errors_before = len(report.errors)
        _plan_groups(row, parsed, groups, create_groups, report)
        person, error = finder.find(row)
        if error:
            report.errors.append(RowError(row.row, parsed.header("name"), error))
        if row.row in bad_rows or len(report.errors) > errors_before:
            report.rows.append(RowOutcome(row.row, row.name, row.staff_no, "error"))
            continue
        plan = _plan_person(row, person, groups)
        plans.append(plan)
        report.rows.append(RowOutcome(row.row, row.name, row.staff_no, plan.action, plan.changes))
        setattr(report, plan.action, getattr(report, plan.action) + 1)
    report.new_groups = [(name, KIND_LABELS[kind]) for name, (kind, _) in groups.new.items()]
    return plans, groups


class _PersonFinder:
    """Identity: 工号 within the org; else name + birth date; else a name that is unique."""

    def __init__(self, people: list[Person]) -> None:
        self.by_staff_no = {p.staff_no: p for p in people if p.staff_no}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for p in people:
            self.by_name[p.name].append(p)
        self.claimed: dict[int, int] = {}  # person pk → row that matched it

    def find(self, row: RosterRow) -> tuple[Person | None, str]:
        person, error = self._match(row)
        if person is not None:
            first = self.claimed.setdefault(person.pk, row.row)
            if first != row.row:
                return None, f"与第{first}行是同一人（{person.name}）"
        return person, error

    def _match(self, row: RosterRow) -> tuple[Person | None, str]:
        if row.staff_no and row.staff_no in self.by_staff_no:
            return self.by_staff_no[row.staff_no], ""
        birth = row.values.get("birth_date")
        same_name = self.by_name.get(row.name, [])
        if birth:
            candidates = [p for p in same_name if p.birth_date == birth]
        elif row.staff_no:
            return None, ""  # a new 工号 and nothing else to go on: a new person
        else:
            candidates = same_name
        if row.staff_no:
            numbered = [p for p in candidates if p.staff_no]
            if numbered:
                return (
                    None,
                    f"已有同名、同出生日期的人员，工号为“{numbered[0].staff_no}”，与本行工号不一致",
                )
        if len(candidates) > 1:
            return None, f"单位中有{len(candidates)}位“{row.name}”，请填写工号或出生日期以区分"
        return (candidates[0] if candidates else None), ""


def _plan_groups(
    row: RosterRow, parsed: ParsedRoster, groups: _GroupPlan, create: bool, report: ImportReport
) -> None:
    subject_groups = row.groups.get("subject", [])
    parent = subject_groups[0] if len(subject_groups) == 1 else ""
    for kind, names in row.groups.items():
        column = parsed.header(next(f for f, k in roster.GROUP_FIELDS.items() if k == kind))
        for name in names:
            existing = groups.existing.get(name)
            known_kind = existing.kind if existing else groups.new.get(name, ("", ""))[0]
            if known_kind and known_kind != kind:
                label = KIND_LABELS.get(known_kind) or Group.Kind(known_kind).label
                message = f"“{name}”是{label}，不是{KIND_LABELS[kind]}"
                report.errors.append(RowError(row.row, column, message))
            elif existing:
                if kind == "prep" and parent and existing.parent_id is None:
                    groups.parents.setdefault(name, parent)
            elif create:
                groups.new.setdefault(name, (kind, parent if kind == "prep" else ""))
            else:
                message = f"{KIND_LABELS[kind]}“{name}”不存在"
                report.missing_groups = True
                report.errors.append(RowError(row.row, column, message))


def _plan_person(row: RosterRow, person: Person | None, groups: _GroupPlan) -> _RowPlan:
    changes: list[str] = []
    updates: dict[str, Any] = {}
    for name, value in row.values.items():
        old = getattr(person, name) if person else None
        if person is None or old != value:
            updates[name] = value
            if person is not None:
                changes.append(f"{_label(name)}：{_show(name, old)} → {_show(name, value)}")
    have = {t.name for t in person.tags.all()} if person else set()
    tags = [t for t in row.tags if t not in have]
    if person:
        changes += [f"添加标签“{t}”" for t in tags]
    elif tags:
        changes.append(f"标签：{'、'.join(tags)}")

    position = row.values.get("position", person.position if person else "")
    wanted = roster.position_roles(position)
    before = roster.position_roles(person.position) if person else {}
    current = {m.group.name: m for m in getattr(person, "current_memberships", [])}
    memberships = []
    for kind, names in row.groups.items():
        for index, name in enumerate(names):
            target = wanted.get(kind) if index == 0 else None
            membership = current.get(name)
            role = _membership_role(membership, target, before.get(kind) if index == 0 else None)
            if membership is None:
                memberships.append((name, role, None))
                changes.append(f"加入{name}（{ROLE_LABELS[role]}）")
            elif role != membership.role:
                memberships.append((name, role, membership))
                old, new = ROLE_LABELS[membership.role], ROLE_LABELS[role]
                changes.append(f"{name}：{old} → {new}")
    return _RowPlan(row, person, updates, tags, memberships, changes)


def _membership_role(membership: Membership | None, target: str | None, before: str | None) -> str:
    """The role a row asks for: the one its 职务 implies; a role the previous 职务 implied
    and the new one does not is withdrawn (→ 成员); a role set by hand is kept."""
    if target:
        return target
    if membership is None:
        return roster.MEMBER
    if before and membership.role == before:
        return roster.MEMBER
    return membership.role


def _label(name: str) -> str:
    return str(Person._meta.get_field(name).verbose_name)


def _show(name: str, value: Any) -> str:
    if value in (None, ""):
        return "（空）"
    if name == "gender":
        return str(Person.Gender(value).label)
    if name == "active":
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _apply(org: Org, plans: list[_RowPlan], groups: _GroupPlan, user, *, reason: str) -> None:
    def stamp(instance):
        instance._history_user = user
        instance._change_reason = reason
        return instance

    by_name = dict(groups.existing)
    ordered = sorted(groups.new.items(), key=lambda item: item[1][0] == "prep")
    for name, (kind, parent) in ordered:
        group = stamp(Group(org=org, name=name, kind=kind, parent=by_name.get(parent)))
        group.save()
        by_name[name] = group
    for name, parent in groups.parents.items():
        group = stamp(by_name[name])
        group.parent = by_name[parent]
        group.save(update_fields=["parent"])
    tags = {t.name: t for t in Tag.objects.filter(name__in={t for p in plans for t in p.tags})}
    for plan in plans:
        person = plan.person or Person(org=org)
        if plan.person is None or plan.updates:
            for name, value in plan.updates.items():
                setattr(person, name, value)
            stamp(person).save()
        if plan.tags:
            for tag_name in plan.tags:
                if tag_name not in tags:
                    tags[tag_name] = Tag.objects.get_or_create(name=tag_name)[0]
            stamp(person)
            person.tags.add(*(tags[t] for t in plan.tags))
        for group_name, role, membership in plan.memberships:
            if membership is None:
                membership = Membership(person=person, group=by_name[group_name])
            membership.role = role
            stamp(membership).save()


def export_roster(*, org: Org, user=None) -> bytes:
    """The org's roster as .xlsx, in the layout :func:`import_roster` reads back unchanged."""
    people = Person.objects.filter(org=org)
    if user is not None:
        people = manageable(user, people)
    people = people.prefetch_related(
        "tags",
        Prefetch(
            "memberships",
            queryset=Membership.objects.current().select_related("group"),
            to_attr="current_memberships",
        ),
    ).order_by("staff_no", "name", "pk")
    rows = []
    for person in people:
        values: dict[str, Any] = {f: getattr(person, f) for f in (*roster.TEXT_FIELDS, "gender")}
        values.update({f: getattr(person, f) for f in roster.DATE_FIELDS})
        values["active"] = person.active
        values["tags"] = sorted(t.name for t in person.tags.all())
        # A group the person leads goes first: the 职务's role applies to the first group.
        memberships = sorted(
            person.current_memberships, key=lambda m: (_ROLE_RANK[m.role], m.group.name)
        )
        for column, kind in roster.GROUP_FIELDS.items():
            names = (m.group.name for m in memberships if m.group.kind == kind)
            values[column] = list(dict.fromkeys(names))
        rows.append(values)
    stamp = timezone.localdate().isoformat()
    return roster.write_xlsx(f"{org.name}教师名册（导出于 {stamp}）", rows)
