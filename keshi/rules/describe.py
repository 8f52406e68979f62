"""A requirement's fields → the sentence a Chinese work plan would use for it.

Pure (no Django): the list, the form preview and the dashboards show the sentence, so that the
rule people read is the rule the engine applies. Bounds are inclusive, and are written the way
plans write them: 以上/以下 include the number, 不满 excludes it — so 教龄上限 2 reads
"教龄不满3年", 年龄上限 40 reads "40周岁以下", 教龄下限 10 reads "教龄10年以上".

    >>> describe(Rule(kinds=(("听课/听评课", "节"),), threshold=15, teaching_years_max=2))
    '教龄不满3年的教师每学期听课不少于15节'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

PERIOD_WORDS = {
    "day": "每天",
    "week": "每周",
    "two_weeks": "每两周",
    "month": "每月",
    "half_year": "每半年",
    "term": "每学期",
    "school_year": "每学年",
}
# The noun after 每 for a deadline inside the period: 每月最后一个星期五前完成.
PERIOD_NOUNS = {
    "day": "天",
    "week": "周",
    "two_weeks": "两周",
    "month": "月",
    "half_year": "半年",
    "term": "学期",
    "school_year": "学年",
}
COMPARATOR_WORDS = {"gte": "不少于", "lte": "不超过", "eq": ""}
ROLE_NOUNS = {"lead": "组长", "deputy": "副组长", "member": "成员"}
MENTOR_SUBJECTS = {
    "mentee_observes_mentor": "徒弟",
    "mentees": "徒弟",
    "mentor_observes_mentee": "师傅",
    "mentors": "师傅",
}
MENTOR_OBJECTS = {
    "mentee_observes_mentor": "听师傅的课",
    "mentor_observes_mentee": "听徒弟的课",
}
COUNT_UNITS = ("节", "篇", "次")
# Group-owned rules (每个教研组…) and role holders (学校领导…).
GROUP_KIND_WORDS = {
    "department": "科室",
    "subject": "教研组",
    "prep": "备课组",
    "grade": "年级组",
    "research": "课题组",
    "other": "组",
}
ROLE_HOLDERS = {"office": "教科室人员", "leader": "学校领导"}
# Rules counted over the inspections a person performed.
INSPECTION_WORDS = {
    "midterm": "期中全面检查",
    "final": "期末全面检查",
    "monthly": "月查",
    "spot": "抽查",
    "prep": "集体备课检查",
    "homework": "作业检查",
}
PERSON_ENDINGS = ("师", "人", "长", "者", "员", "生", "徒", "傅")


@dataclass(frozen=True)
class Rule:
    """What :func:`describe` needs of a requirement; ``kinds`` are (label, unit) pairs."""

    kinds: tuple[tuple[str, str], ...] = ()
    measure: str = "count"
    comparator: str = "gte"
    threshold: Decimal | int | float | str = 0
    period: str = "term"
    deadline: str = "period_end"
    item_min_chars: int | None = None
    groups: tuple[str, ...] = ()
    group_role: str = ""
    tags: tuple[str, ...] = ()
    teaching_years_min: int | None = None
    teaching_years_max: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    mentorship: str = ""
    owner: str = "person"
    owner_group_kind: str = ""
    owner_role: str = ""
    source: str = "records"
    inspection_kind: str = ""
    # Caps inside the rule: (label, unit, limit) — 其中读书心得最多计1篇.
    caps: tuple[tuple[str, str, Decimal | int | float | str], ...] = ()


def number(value: Decimal | int | float | str) -> str:
    """15.00 → "15", 1.50 → "1.5" (never scientific notation)."""
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def _range(low: int | None, high: int | None, unit: str) -> str:
    """教龄/周岁 bounds, inclusive, in the plan's words ('' when unbounded)."""
    low = low or None  # a lower bound of 0 bounds nothing
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        return f"{low}{unit}" if low == high else f"{low}至{high}{unit}"
    if low is not None:
        return f"{low}{unit}以上"
    return f"不满{high + 1}{unit}" if unit == "年" else f"{high}{unit}以下"


def group_names(groups: tuple[str, ...], most: int = 3) -> str:
    """语文组、数学组 — or, past ``most``, 语文组、数学组等12个组."""
    if len(groups) <= most:
        return "、".join(groups)
    return f"{'、'.join(groups[:2])}等{len(groups)}个组"


def bounds(low: int | None, high: int | None, unit: str) -> str:
    """Compact inclusive bounds for tables: ≤2年, ≥3年, 3–5年 ('' when unbounded)."""
    if low is None and high is None:
        return ""
    if low is None:
        return f"≤{high}{unit}"
    if high is None:
        return f"≥{low}{unit}"
    return f"{low}–{high}{unit}"


def audience(rule: Rule) -> str:
    """Who, as the sentence's subject ('' for everyone): 教龄不满3年的教师, 语文组组长, 徒弟,
    每个教研组, 学校领导."""
    if rule.owner == "group":
        if rule.groups:
            return group_names(rule.groups)
        return f"每个{GROUP_KIND_WORDS.get(rule.owner_group_kind, '组')}"
    qualifiers = []
    if age := _range(rule.age_min, rule.age_max, "周岁"):
        qualifiers.append(age)
    years = _range(rule.teaching_years_min, rule.teaching_years_max, "年")
    if years:
        qualifiers.append(f"教龄{years}")
    if rule.owner == "role":
        noun = ROLE_HOLDERS.get(rule.owner_role, rule.owner_role)
    elif rule.mentorship in MENTOR_SUBJECTS:
        noun = MENTOR_SUBJECTS[rule.mentorship]
    elif rule.group_role:
        noun = ROLE_NOUNS.get(rule.group_role, rule.group_role)
        if rule.group_role == "member" and not rule.groups:
            noun = "组员"
    elif rule.tags:
        noun = "、".join(rule.tags)
        if not noun.endswith(PERSON_ENDINGS):
            noun += "教师"
    elif qualifiers:
        noun = "教师"
    elif rule.groups:
        noun = "全体教师"
    else:
        return ""
    if rule.tags and (rule.mentorship in MENTOR_SUBJECTS or rule.group_role):
        noun = f"{'、'.join(rule.tags)}中的{noun}"
    where = group_names(rule.groups)
    if len(rule.groups) > 3:
        where += "的"  # 语文组、数学组等12个组的组长
    who = "、".join(qualifiers)
    if years:
        who += "的"
    return f"{where}{who}{noun}"


def _what(rule: Rule) -> str:
    if rule.source == "inspections":
        return f"完成{INSPECTION_WORDS.get(rule.inspection_kind, '检查')}"
    if rule.mentorship in MENTOR_OBJECTS:
        return MENTOR_OBJECTS[rule.mentorship]
    labels = [label.split("/")[0].strip() for label, _unit in rule.kinds]
    return "或".join(dict.fromkeys(labels)) or "记录"


def _unit(rule: Rule) -> str:
    if rule.source == "inspections":
        return "人次" if rule.measure == "quantity" else "次"
    units = {unit for _label, unit in rule.kinds}
    unit = units.pop() if len(units) == 1 else ""
    if rule.measure == "chars":
        return "字"
    if rule.measure == "credits":
        return "学分"
    if rule.measure == "quantity":
        return unit or "个"
    return unit if unit in COUNT_UNITS else "次"


def unit(rule: Rule) -> str:
    """The unit the threshold is read in: 节, 篇, 次, 字, 学分, 人次…"""
    return _unit(rule)


def _deadline(rule: Rule) -> str:
    noun = PERIOD_NOUNS.get(rule.period, "")
    if rule.deadline == "last_friday":
        if rule.period == "week":
            return "，每周星期五前完成"
        return f"，每{noun}最后一个星期五前完成"
    if rule.deadline == "last_workday":
        return f"，每{noun}最后一个工作日前完成"
    return ""


def describe(rule: Rule) -> str:
    """The plan-genre sentence: 40周岁以下教师每周博客不少于1篇."""
    period = PERIOD_WORDS.get(rule.period, "")
    total = "合计" if rule.measure == "chars" else ""
    comparator = COMPARATOR_WORDS.get(rule.comparator, "")
    sentence = (
        f"{audience(rule)}{period}{_what(rule)}{total}{comparator}"
        f"{number(rule.threshold)}{_unit(rule)}"
    )
    if rule.item_min_chars:
        sentence += f"（每篇不少于{rule.item_min_chars}字）"
    return sentence + caps_clause(rule) + _deadline(rule)


def cap_unit(rule: Rule, kind_unit: str) -> str:
    """The unit a cap on a kind with ``kind_unit`` is read in, in the rule's measure."""
    return _unit(Rule(kinds=(("", kind_unit),), measure=rule.measure))


def cap_text(rule: Rule, label: str, kind_unit: str, limit) -> str:
    """读书心得最多计1篇."""
    name = label.split("/")[0].strip()
    return f"{name}最多计{number(limit)}{cap_unit(rule, kind_unit)}"


def caps_clause(rule: Rule) -> str:
    """ "，其中读书心得最多计1篇、外出听课最多计5节" ('' without caps)."""
    if not rule.caps:
        return ""
    return "，其中" + "、".join(cap_text(rule, *cap) for cap in rule.caps)


def rule_of(requirement, *, kinds: Iterable | None = None) -> Rule:
    """A :class:`Rule` from anything shaped like a Requirement (model instance or draft):
    its m2m fields are read with ``.all()`` unless ``kinds`` etc. are plain iterables. Caps
    are its ``kind_caps`` (rows with ``kind`` and ``limit``, or (kind, limit) pairs)."""

    def items(value) -> list:
        if value is None:
            return []
        return list(value.all()) if hasattr(value, "all") else list(value)

    kinds = items(requirement.kinds if kinds is None else kinds)
    caps = []
    if getattr(requirement, "pk", 1) is not None:  # an unsaved model has no caps to read
        for cap in items(getattr(requirement, "kind_caps", None)):
            kind, limit = (cap.kind, cap.limit) if hasattr(cap, "kind") else cap
            caps.append((kind.label, kind.unit, limit))
    return Rule(
        kinds=tuple((k.label, k.unit) for k in kinds),
        measure=requirement.measure,
        comparator=requirement.comparator,
        threshold=requirement.threshold if requirement.threshold is not None else 0,
        period=requirement.period,
        deadline=requirement.deadline,
        item_min_chars=requirement.item_min_chars,
        groups=tuple(g.name for g in items(requirement.groups)),
        group_role=requirement.group_role or "",
        tags=tuple(t.name for t in items(requirement.tags)),
        teaching_years_min=requirement.teaching_years_min,
        teaching_years_max=requirement.teaching_years_max,
        age_min=requirement.age_min,
        age_max=requirement.age_max,
        mentorship=requirement.mentorship or "",
        owner=getattr(requirement, "owner", "") or "person",
        owner_group_kind=getattr(requirement, "owner_group_kind", "") or "",
        owner_role=getattr(requirement, "owner_role", "") or "",
        source=getattr(requirement, "source", "") or "records",
        inspection_kind=getattr(requirement, "inspection_kind", "") or "",
        caps=tuple(caps),
    )
