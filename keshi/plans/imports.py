"""Importing a work plan from Word or text: the file check, the preview, the import itself, and
the proposal that turns one extracted requirement into a prefilled Requirement.

The extraction (keshi.plans.extraction) is pure and only reads; this module decides what the
reading becomes in the database, and says in Chinese whatever a person must still decide.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from keshi.calendar.models import SchoolYear, Term
from keshi.documents.archive import UploadLimits, UploadRejected, check_archive
from keshi.org.models import Group, Org, Person, Tag
from keshi.plans import services
from keshi.plans.calendar_services import repeat_slots
from keshi.plans.extraction import Extraction, extract, read_bytes
from keshi.plans.extraction.reader import UnreadableFile, decode
from keshi.plans.models import CalendarItem, Duty, Plan, PlanSection, Suggestion
from keshi.plans.proposal_caps import add_caps
from keshi.records.kinds import refine_kind
from keshi.records.models import ActivityKind
from keshi.rules.describe import Rule, describe
from keshi.rules.models import Requirement as R
from keshi.rules.selectors_manage import kinds_for

MAX_BYTES = 5 * 1024 * 1024
SECTION_KINDS = {
    "guiding": PlanSection.Kind.GUIDING,
    "goals": PlanSection.Kind.GOALS,
    "measures": PlanSection.Kind.MEASURES,
    "work": PlanSection.Kind.MEASURES,
    "duties": PlanSection.Kind.DUTIES,
    "calendar": PlanSection.Kind.CALENDAR,
}
PERIODS = {
    "day": R.Period.DAY,
    "week": R.Period.WEEK,
    "2weeks": R.Period.TWO_WEEKS,
    "month": R.Period.MONTH,
    "half-year": R.Period.HALF_YEAR,
    "term": R.Period.TERM,
    "year": R.Period.SCHOOL_YEAR,
}
COUNTED_UNITS = {"次", "篇", "节", "本", "份", "场", "个", "项", "人次", "课时"}


class ImportRejected(ValueError):
    """The message is Chinese and meant for the user."""


# ---- the file ------------------------------------------------------------------------------


def file_type(name: str, data: bytes) -> str:
    """ "docx" or "txt", decided by the content; :class:`ImportRejected` otherwise."""
    if not data:
        raise ImportRejected(_("“%(n)s”是空文件。") % {"n": name})
    if len(data) > MAX_BYTES:
        raise ImportRejected(
            _("“%(n)s”过大（%(mb).1f MB），计划文件不能超过 %(max)d MB。")
            % {"n": name, "mb": len(data) / 1048576, "max": MAX_BYTES // 1048576}
        )
    if name.lower().endswith(".doc") and not data.startswith(b"PK"):
        raise ImportRejected(_("旧版 .doc 文件请先在 Word 中另存为 .docx 再上传。"))
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            names = []
        if "word/document.xml" not in names:
            raise ImportRejected(
                _("“%(n)s”不是 Word 文档（.docx）；只能导入 .docx 或 .txt 文件。") % {"n": name}
            )
        try:
            check_archive(name, data, UploadLimits.from_settings(settings))
        except UploadRejected as error:
            raise ImportRejected(str(error)) from None
        return "docx"
    if data.startswith(b"%PDF-"):
        raise ImportRejected(_("“%(n)s”是 PDF 文件；请上传 .docx 或 .txt 文件。") % {"n": name})
    try:
        text = decode(data)
    except UnreadableFile:
        text = None
    controls = sum(1 for c in text or "" if ord(c) < 32 and c not in "\r\n\t\f")
    if text is None or "\x00" in text or controls > len(text) // 100:
        raise ImportRejected(
            _("“%(n)s”既不是 Word 文档（.docx），也不是 UTF-8 或 GBK 编码的文本文件。")
            % {"n": name}
        )
    return "txt"


@dataclass
class Reading:
    title: str
    horizon: str  # "term" or "year": what the plan covers
    extraction: Extraction


def read_plan(name: str, data: bytes) -> Reading:
    file_type(name, data)
    try:
        document = read_bytes(
            data,
            name if name.lower().endswith(".docx") else "plan.txt",
            limits=UploadLimits.from_settings(settings),
        )
        extraction = extract(document)
    except UnreadableFile as error:
        raise ImportRejected(str(error)) from error
    if not document.texts:
        raise ImportRejected(_("“%(n)s”中没有文字。") % {"n": name})
    from keshi.plans.extraction import horizon

    title = PurePath(name).stem
    for line in document.texts[:3]:  # web copies start with a breadcrumb: 首页>范文>…
        line = line.strip()
        if 4 <= len(line) <= 60 and not any(m in line for m in (">", "＞", "http", "www.")):
            title = line
            break
    return Reading(title=title[:200], horizon=horizon(document.texts), extraction=extraction)


# ---- one extracted requirement → the values of a Requirement ------------------------------


@dataclass
class Lookup:
    kinds: dict[str, ActivityKind]
    tags: dict[str, Tag]
    taken: set[str]

    @classmethod
    def for_org(cls, org: Org) -> Lookup:
        kinds: dict[str, ActivityKind] = {}
        for kind in kinds_for(org):  # the org's own kind of a code wins over the built-in
            if kind.code not in kinds or kind.org_id:
                kinds[kind.code] = kind
        return cls(
            kinds=kinds,
            tags={t.name: t for t in Tag.objects.all()},
            taken=set(R.objects.filter(org=org).values_list("name", flat=True)),
        )


@dataclass
class Proposal:
    values: dict  # keyword arguments of keshi.rules.services.create_requirement
    notes: list[str] = field(default_factory=list)  # what was assumed
    problems: list[str] = field(default_factory=list)  # what a person must decide
    needs_kind: bool = False  # 检查/抽查: no activity kind until inspections land
    sentence: str = ""
    event: bool = False  # the org's own event: accepting adds 行事历 items, never a rule
    slots: list[dict] = field(default_factory=list)  # where those items fall (month/week)


def _measure(unit: str, kind: ActivityKind | None, proposal: Proposal) -> str:
    if unit == "字":
        return R.Measure.CHARS
    if unit == "学分":
        return R.Measure.CREDITS
    if unit in ("学时", "课时") or (kind is not None and unit == kind.unit == "节"):
        return R.Measure.QUANTITY
    if unit not in COUNTED_UNITS:
        proposal.problems.append(
            _("单位“%(u)s”无法从工作记录中统计，请确认计量方式。") % {"u": unit or "—"}
        )
    return R.Measure.COUNT


def _threshold(data: dict, proposal: Proposal) -> tuple[str, Decimal]:
    value = Decimal(str(data.get("value") or 0))
    high, op = data.get("value_max"), data.get("op") or "="
    if high is not None:
        proposal.notes.append(
            _("原文是范围 %(lo)s–%(hi)s，按下限 %(lo)s 以“不少于”计。")
            % {"lo": _plain(value), "hi": _plain(Decimal(str(high)))}
        )
        return R.Comparator.GTE, value
    if op == ">=":
        return R.Comparator.GTE, value
    if op == "<=":
        return R.Comparator.LTE, value
    if op == ">":
        proposal.notes.append(_("原文是“超过 %(v)s”，按“不少于 %(w)s”计。") % _pair(value, 1))
        return R.Comparator.GTE, value + 1
    if op == "<":
        proposal.notes.append(_("原文是“少于 %(v)s”，按“不超过 %(w)s”计。") % _pair(value, -1))
        return R.Comparator.LTE, value - 1
    proposal.notes.append(_("原文未写“不少于”等比较词，按“不少于”计。"))
    return R.Comparator.GTE, value


def _plain(value: Decimal) -> str:
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


def _pair(value: Decimal, step: int) -> dict:
    return {"v": _plain(value), "w": _plain(value + step)}


def _audience(data: dict, kind: ActivityKind | None, lookup: Lookup, proposal: Proposal) -> dict:
    audience = data.get("audience") or {}
    values: dict = {}
    for name in ("teaching_years_min", "teaching_years_max", "age_min", "age_max"):
        if audience.get(name) is not None:
            values[name] = int(audience[name])
    if audience.get("group_role"):
        values["group_role"] = audience["group_role"]
    source = data.get("source") or ""
    observing = kind is not None and kind.has_observed
    if audience.get("mentorship") == "mentee":
        values["mentorship"] = (
            R.Mentorship.MENTEE_OBSERVES_MENTOR
            if observing and "师傅" in source
            else R.Mentorship.MENTEES
        )
    elif audience.get("mentorship") == "mentor":
        values["mentorship"] = (
            R.Mentorship.MENTOR_OBSERVES_MENTEE
            if observing and "徒弟" in source
            else R.Mentorship.MENTORS
        )
    if tag_name := audience.get("tag"):
        if tag_name == "学生":
            proposal.problems.append(_("适用对象是学生，不是教职工，无法按人统计。"))
        elif tag_name in lookup.tags:
            values["tags"] = [lookup.tags[tag_name]]
        else:
            proposal.problems.append(
                _("适用对象“%(t)s”还没有对应的标签：请先给相应人员加上该标签，或改选适用对象。")
                % {"t": tag_name}
            )
    return values


def _rule(values: dict) -> Rule:
    scalars = {
        k: v
        for k, v in values.items()
        if k in Rule.__dataclass_fields__ and k not in ("kinds", "tags", "groups")
    }
    return Rule(
        kinds=tuple((k.label, k.unit) for k in values.get("kinds") or ()),
        tags=tuple(t.name for t in values.get("tags") or ()),
        **scalars,
    )


def _name(values: dict, lookup: Lookup) -> str:
    base = describe(_rule(values))[:96]
    name, n = base, 2
    while name in lookup.taken:
        name, n = f"{base}（{n}）", n + 1
    return name


# ---- who owes it: person, group, role holder, or the org's own event -----------------------

GROUP_KIND_WORDS = (
    ("备课", Group.Kind.PREP),
    ("年级", Group.Kind.GRADE),
    ("课题", Group.Kind.RESEARCH),
    ("教研", Group.Kind.SUBJECT),
    ("学科", Group.Kind.SUBJECT),
)
OFFICE_WORDS = ("教科室", "教研员", "教研室")
LEADER_WORDS = ("校长", "书记", "院长", "园长", "领导", "干部", "主任")
NOT_LEADERS = ("班主任", "科主任", "主任医师", "护士长")
EVENT_SENTENCE = _lazy("这是全校的活动安排，不是每位教师的任务")


def holder_role(who: str) -> str | None:
    """The org-wide role (HolderRole) a post of the plan maps to: 校长/副校长/主任 → 学校领导,
    教科室/教研员 → 教科室; None for posts the system does not grant (班主任, 科主任…)."""
    if any(word in who for word in OFFICE_WORDS):
        return R.HolderRole.OFFICE
    if any(word in who for word in NOT_LEADERS):
        return None
    if any(word in who for word in LEADER_WORDS):
        return R.HolderRole.LEADER
    return None


def _group_owner(data: dict, lookup: Lookup, proposal: Proposal, plan) -> dict:
    """每个教研组每月一次…: judged once per group over its closed 教研活动 sessions."""
    words = f"{data.get('who') or ''}{data.get('source') or ''}"
    values: dict = {"owner": R.Owner.GROUP, "measure": R.Measure.COUNT}
    kind = next((k for word, k in GROUP_KIND_WORDS if word in words), None)
    if kind:
        values["owner_group_kind"] = kind
    elif plan is not None and plan.group_id:
        values["groups"] = [plan.group]
        proposal.notes.append(_("按本计划所属的组“%(g)s”考核。") % {"g": plan.group.name})
    else:
        proposal.problems.append(
            _("原文没有写明是哪类组（教研组、备课组或年级组），请选择组类型或具体的组。")
        )
    activity = lookup.kinds.get("group_activity")
    values["kinds"] = [activity] if activity else []
    if data.get("kind") not in ("group_activity", None) and activity:
        proposal.notes.append(_("按组考核统计组内已结束的教研活动（原文所说的活动按教研活动计）。"))
    if (data.get("unit") or "") not in ("次", "场", "轮", "回"):
        proposal.problems.append(
            _("按组考核只统计教研活动的次数，“%(u)s”无法按组统计，请改为次数或改为每人考核。")
            % {"u": data.get("unit") or "—"}
        )
    return values


def _role_owner(data: dict, kind, lookup: Lookup, proposal: Proposal) -> dict:
    """校长每学期听课不少于30节: the holders of the post. Group leads follow from memberships
    (each group's 组长, a person rule with 组内角色); other posts need a tag."""
    who = data.get("who") or ""
    audience = data.get("audience") or {}
    if audience.get("group_role"):
        return _audience(data, kind, lookup, proposal)
    role = holder_role(who)
    if role:
        proposal.notes.append(
            _("按角色考核：担任“%(r)s”角色的每个人都按此统计（原文是“%(w)s”）。")
            % {"r": R.HolderRole(role).label, "w": who}
        )
        return {"owner": R.Owner.ROLE, "owner_role": role}
    if who in lookup.tags:
        return {"tags": [lookup.tags[who]]}
    proposal.problems.append(
        _(
            "角色“%(w)s”在系统中没有对应的角色（只有学校领导、教科室）：请改选适用对象，"
            "或先给担任该职务的人员加上“%(w)s”标签。"
        )
        % {"w": who or "—"}
    )
    return {}


def _event(data: dict, proposal: Proposal, plan) -> Proposal:
    """The org holds it (学校每学期举办一次…, 每月召开一次组长会): a 行事历 item per period of
    the plan's term, never a quota per teacher."""
    proposal.event = True
    proposal.slots = repeat_slots(plan, data.get("period")) if plan is not None else []
    proposal.sentence = str(EVENT_SENTENCE)
    count = len(proposal.slots)
    if plan is None:
        proposal.notes.append(_("采纳后加入本计划的行事历，不建为量化要求。"))
    elif count > 1:
        proposal.notes.append(_("采纳后加入行事历：共 %(n)d 条（每个周期一条）。") % {"n": count})
    else:
        proposal.notes.append(_("采纳后加入行事历（本计划期内一条，未定具体时间）。"))
    return proposal


def propose(data: dict, *, lookup: Lookup, org: Org, plan: Plan | None = None) -> Proposal:
    """Map one extracted requirement (``Extraction.to_dict()["requirements"][i]``) onto the
    fields of a Requirement — or, for the org's own event, onto 行事历 items of ``plan``.
    ``problems`` empty means it can be accepted as it is."""
    proposal = Proposal(values={})
    owner = data.get("owner") or "person"
    if owner == "org":
        return _event(data, proposal, plan)
    code = refine_kind(data.get("kind"), data.get("source") or "", lookup.kinds)
    kind = lookup.kinds.get(code) if code else None
    if owner == "group":
        kind = lookup.kinds.get("group_activity")
    elif code == "inspection":
        proposal.needs_kind = True
        proposal.problems.append(
            _(
                "这是检查/抽查类要求，不是教师个人的记录：请在“检查、抽签与简报”中安排检查；"
                "若要按记录计数，请选择一种记录类型。"
            )
        )
    elif code is None and owner != "group":
        proposal.problems.append(_("未识别出记录类型，请选择。"))
    elif kind is None:
        proposal.problems.append(_("本单位没有“%(k)s”这种记录类型，请选择。") % {"k": code})
    unit = data.get("unit") or ""
    measure = _measure(unit, kind, proposal)
    comparator, threshold = _threshold(data, proposal)
    if threshold <= 0:
        proposal.problems.append(_("数量必须大于 0。"))
    period = data.get("period")
    if period == "quarter":
        proposal.problems.append(_("暂不支持按季度统计，请选择周期（如每学期或每半年）。"))
    elif period not in PERIODS:
        if measure == R.Measure.CHARS:
            proposal.problems.append(
                _("这是单篇字数要求：请在相应的要求中填写“单篇最少字数”，或选择统计周期。")
            )
        else:
            proposal.problems.append(_("原文没有写明周期，请选择。"))
    values: dict = {
        "source_text": data.get("source") or "",
        "kinds": [kind] if kind else [],
        "measure": measure,
        "comparator": comparator,
        "threshold": threshold,
        "period": PERIODS.get(period, R.Period.TERM),
    }
    if "星期五" in values["source_text"] or "周五" in values["source_text"]:
        values["deadline"] = R.Deadline.LAST_FRIDAY
    if owner == "group":
        values |= _group_owner(data, lookup, proposal, plan)
    elif owner == "role":
        values |= _role_owner(data, kind, lookup, proposal)
    else:
        values |= _audience(data, kind, lookup, proposal)
    values["name"] = _name(values, lookup)
    proposal.values = values
    proposal.sentence = describe(_rule(values))
    add_caps(data, kinds=lookup.kinds, proposal=proposal, rule=_rule(values))
    return proposal


# ---- the preview ---------------------------------------------------------------------------


@dataclass
class Preview:
    sections: list[dict]
    duties: list[dict]
    calendar: list[dict]
    requirements: list[dict]  # the extraction dict plus "proposal"
    targets: list[dict]


def _match_people(org: Org, names: set[str]) -> dict[str, Person]:
    """Exact names that belong to exactly one active person of the org."""
    found: dict[str, list[Person]] = {}
    for person in Person.objects.filter(org=org, active=True, name__in=names):
        found.setdefault(person.name, []).append(person)
    return {name: people[0] for name, people in found.items() if len(people) == 1}


def _placement(item: dict) -> dict:
    months, weeks = item.get("months") or [], item.get("weeks") or []
    when = item.get("date")
    return {
        "date": date.fromisoformat(when) if when else None,
        "week": weeks[0] if weeks and not when else None,
        "month": months[0] if months and not (weeks or when) else None,
        "spans": len(months) > 1 or len(weeks) > 1,
    }


OPS = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


def labels(item: dict, lookup: Lookup) -> dict:
    """Chinese for an extracted requirement's codes: op, period and kind."""
    period = item.get("period")
    code = refine_kind(item.get("kind"), item.get("source") or "", lookup.kinds)
    kind = lookup.kinds.get(code) if code else None
    return {
        "op_label": OPS.get(item.get("op") or "", item.get("op") or ""),
        "period_label": R.Period(PERIODS[period]).label
        if period in PERIODS
        else (_("每季度") if period == "quarter" else "—"),
        "kind_label": kind.label if kind else (_("检查/抽查") if code == "inspection" else "—"),
    }


def build_preview(extraction: Extraction, org: Org) -> Preview:
    structure = extraction.structure
    sections = [
        s | {"model_kind": SECTION_KINDS.get(s["kind"], PlanSection.Kind.OTHER)}
        for s in structure.get("sections", [])
    ]
    for s in sections:
        s["kind_label"] = PlanSection.Kind(s["model_kind"]).label
    duties = structure.get("duties", [])
    calendar = structure.get("calendar", [])
    names = {d["who"] for d in duties} | {c["owner"] for c in calendar if c.get("owner")}
    people = _match_people(org, names)
    groups = {g.name: g for g in Group.objects.filter(org=org, name__in=names)}
    duty_rows = [d | {"person": people.get(d["who"])} for d in duties]
    calendar_rows = [
        c
        | _placement(c)
        | {"person": people.get(c.get("owner") or ""), "group": groups.get(c.get("owner") or "")}
        for c in calendar
    ]
    lookup = Lookup.for_org(org)
    requirements = []
    for item in extraction.to_dict()["requirements"]:
        proposal = propose(item, lookup=lookup, org=org)
        requirements.append(item | {"proposal": proposal} | labels(item, lookup))
    targets = [
        t | {"op_label": OPS.get(t.get("op") or "", "")} for t in extraction.to_dict()["targets"]
    ]
    return Preview(sections, duty_rows, calendar_rows, requirements, targets)


# ---- the import ----------------------------------------------------------------------------


@transaction.atomic
def import_plan(
    *,
    org: Org,
    user,
    extraction: Extraction,
    title: str,
    term: Term | None = None,
    school_year: SchoolYear | None = None,
    group: Group | None = None,
    source_name: str = "",
) -> Plan:
    """All or nothing: the draft plan with its sections, 分工, 行事历 and one suggestion per
    extracted requirement or target."""
    plan = services.create_plan(
        org=org,
        user=user,
        title=title,
        term=term,
        school_year=school_year,
        group=group,
        source_name=source_name,
    )
    preview = build_preview(extraction, org)
    sections = [
        PlanSection(
            plan=plan,
            kind=s["model_kind"],
            title=s["title"][:200],
            body=s.get("text") or "",
            position=i,
        )
        for i, s in enumerate(preview.sections)
    ]
    duties = [
        Duty(
            plan=plan,
            person=d["person"],
            person_name="" if d["person"] else d["who"][:100],
            responsibility=d["duty"] if not d.get("role") else f"（{d['role']}）{d['duty']}",
            position=i,
        )
        for i, d in enumerate(preview.duties)
    ]
    for obj in [*sections, *duties]:
        obj._history_user = user
        obj.full_clean(exclude=["plan"])
        obj.save()
    for i, c in enumerate(preview.calendar):
        owner = c.get("owner") or ""
        text = c["text"] if not owner or c["person"] or c["group"] else f"{c['text']}（{owner}）"
        item = CalendarItem(
            plan=plan,
            title=text[:300],
            month=c["month"],
            week=c["week"],
            date=c["date"],
            group=c["group"],
            position=i,
        )
        item._history_user = user
        item.full_clean(exclude=["plan"])
        item.save()
        if c["person"]:
            item.owners.add(c["person"])
    position = 0
    for kind, items in (
        (Suggestion.Kind.REQUIREMENT, extraction.to_dict()["requirements"]),
        (Suggestion.Kind.TARGET, extraction.to_dict()["targets"]),
    ):
        for data in items:
            Suggestion.objects.create(
                plan=plan, kind=kind, source=data["source"], data=data, position=position
            )
            position += 1
    return plan
