"""What an address-book sync would change: departments → groups, members → people. Pure (no
Django): the caller reads the platform and the org, this module compares them.

A department is followed by its link (``DepartmentLink``) once synced; before that, a group of
the same name is taken over, else a new group is made. A member is followed by their platform
account once synced; before that, they are matched to a person of the org by 工号 or by mobile
(the org's choice), else a new person is made. Someone linked who is no longer in the address
book (or disabled there) has left: the person is marked 不在职. Applying the same plan twice
changes nothing the second time, because after the first every department and member is linked
and equal.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from keshi.integrations.clients import Department, Member


@dataclass(frozen=True)
class LocalPerson:
    id: int
    name: str
    staff_no: str
    phone: str
    active: bool


@dataclass
class Local:
    """The org as it stands."""

    links: dict[str, tuple[int, str]]  # dept id → (group id, group name)
    groups: dict[str, int]  # group name → id
    accounts: dict[str, int]  # platform userid → person id
    people: list[LocalPerson]
    memberships: set[tuple[int, int]]  # (person id, group id), current


@dataclass
class Plan:
    groups_new: list[dict] = field(default_factory=list)  # dept, name, parent (dept id)
    groups_linked: list[dict] = field(default_factory=list)  # dept, group, name
    groups_renamed: list[dict] = field(default_factory=list)  # dept, group, old, new
    people_new: list[dict] = field(default_factory=list)  # userid, name, staff_no, phone
    people_linked: list[dict] = field(default_factory=list)  # userid, person, name
    people_changed: list[dict] = field(default_factory=list)  # userid, person, name, changes
    people_left: list[dict] = field(default_factory=list)  # userid, person, name
    memberships_new: list[dict] = field(default_factory=list)  # userid, dept, name, group
    errors: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.counts() if name != "errors")

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in asdict(self).items()}

    def fingerprint(self) -> str:
        """Confirming applies exactly what was previewed: the page sends this back."""
        raw = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(raw).hexdigest()[:32]


def group_names(departments: list[Department]) -> dict[str, str]:
    """dept id → the group name: the department's name, prefixed with its parent's where two
    departments share a name (初中部·语文组, 高中部·语文组) — group names are unique in an org."""
    by_id = {d.id: d for d in departments}
    counts = Counter(d.name for d in departments if d.parent is not None)
    names = {}
    for d in departments:
        if d.parent is None:
            continue
        parent = by_id.get(d.parent)
        if counts[d.name] > 1 and parent is not None and parent.parent is not None:
            names[d.id] = f"{parent.name}·{d.name}"[:100]
        else:
            names[d.id] = d.name[:100]
    return names


def plan(
    departments: list[Department], members: list[Member], local: Local, *, match_by: str
) -> Plan:
    result = Plan()
    names = group_names(departments)
    dept_group: dict[str, int | None] = {}  # dept id → group id (None: to be created)
    for d in departments:
        if d.parent is None:
            continue
        name = names[d.id]
        if d.id in local.links:
            gid, old = local.links[d.id]
            dept_group[d.id] = gid
            if old != name:
                if name in local.groups and local.groups[name] != gid:
                    result.errors.append(f"部门“{d.name}”改名为“{name}”，但本单位已有同名的组")
                else:
                    result.groups_renamed.append(
                        {"dept": d.id, "group": gid, "old": old, "new": name}
                    )
        elif name in local.groups:
            dept_group[d.id] = local.groups[name]
            result.groups_linked.append({"dept": d.id, "group": local.groups[name], "name": name})
        else:
            dept_group[d.id] = None
            parent = d.parent if d.parent in names else None
            result.groups_new.append({"dept": d.id, "name": name, "parent": parent})

    by_id = {p.id: p for p in local.people}
    key = "staff_no" if match_by == "staff_no" else "phone"
    by_key: dict[str, LocalPerson] = {}
    for p in local.people:
        value = getattr(p, key).strip()
        if value:
            by_key.setdefault(value, p)
    staff_nos = {p.staff_no: p.id for p in local.people if p.staff_no}
    claimed: set[int] = set(local.accounts.values())
    seen: set[str] = set()
    for m in sorted(members, key=lambda m: m.userid):
        if not m.active:
            continue
        seen.add(m.userid)
        remote_key = (m.job_number if key == "staff_no" else m.mobile).strip()
        person = by_id.get(local.accounts.get(m.userid, -1))
        if person is None:
            match = by_key.get(remote_key) if remote_key else None
            if match is not None and match.id not in claimed:
                person = match
                claimed.add(match.id)
                result.people_linked.append(
                    {"userid": m.userid, "person": match.id, "name": m.name}
                )
        if person is None:
            if m.job_number and m.job_number in staff_nos:
                result.errors.append(
                    f"成员“{m.name}”的工号 {m.job_number} 已被本单位另一人使用，请先核对"
                )
                continue
            result.people_new.append(
                {"userid": m.userid, "name": m.name, "staff_no": m.job_number, "phone": m.mobile}
            )
        else:
            changes = {}
            for name, value in (("name", m.name), ("staff_no", m.job_number), ("phone", m.mobile)):
                old = getattr(person, name)
                if value and value != old:
                    if name == "staff_no" and staff_nos.get(value, person.id) != person.id:
                        result.errors.append(f"成员“{m.name}”的工号 {value} 已被本单位另一人使用")
                        continue
                    changes[name] = [old, value]
            if not person.active:
                changes["active"] = [False, True]
            if changes:
                result.people_changed.append(
                    {"userid": m.userid, "person": person.id, "name": m.name, "changes": changes}
                )
        for dept in m.dept_ids:
            if dept not in dept_group:
                continue  # the top department: the org itself
            gid = dept_group[dept]
            if gid is None or person is None or (person.id, gid) not in local.memberships:
                result.memberships_new.append(
                    {"userid": m.userid, "dept": dept, "name": m.name, "group": names[dept]}
                )
    for userid, pid in sorted(local.accounts.items()):
        person = by_id.get(pid)
        if userid not in seen and person is not None and person.active:
            result.people_left.append({"userid": userid, "person": pid, "name": person.name})
    return result
