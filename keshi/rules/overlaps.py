"""Duplicates and overlaps of a rule about to go live, among the org's live rules (issue #23).

A candidate **duplicates** a live rule when both count the same thing (same kinds, or the same
inspections) with the same measure, comparator, threshold, period, deadline, per-item minimum,
caps inside the rule (其中…最多计), owner and audience: going live, it would double everyone's task. It **overlaps** one when both
count at least one kind in common over the same period, are owed the same way (每人 / 按组 / the
same role) and their audiences can share someone — both cover all teachers, or one is a subset,
or they cross — but something differs (threshold, measure, audience…): the office decides
whether both should stand.

The comparison is pure (:func:`compare` on :class:`Shape`, no queries) and reads audiences
from the rule's fields, not from today's people: two rules for 徒弟 overlap even before anyone
is paired. Conservative where the fields cannot tell: rules naming disjoint groups, disjoint tags,
different group roles, or the two sides of mentorship are taken as not sharing anyone.
:func:`live_matches` loads the live rules and answers with the differences spelled out in
Chinese ("数量不同：现有 15 节，新规则 20 节").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace

from keshi.org.models import Org
from keshi.rules.describe import Rule, audience, cap_text, describe, number, rule_of, unit
from keshi.rules.models import Requirement

DUPLICATE = "duplicate"
OVERLAP = "overlap"

MEASURE_WORDS = {
    "count": "按条数",
    "quantity": "按数量合计",
    "credits": "按学分",
    "chars": "按字数",
}
COMPARATOR_WORDS = {"gte": "不少于", "lte": "不超过", "eq": "等于"}
DEADLINE_WORDS = {
    "period_end": "周期最后一天",
    "last_friday": "周期最后一个星期五",
    "last_workday": "周期最后一个工作日",
}
MENTORSHIP_WORDS = {
    "": "不限",
    "mentee_observes_mentor": "徒弟听师傅的课",
    "mentor_observes_mentee": "师傅听徒弟的课",
    "mentees": "所有徒弟",
    "mentors": "所有师傅",
}
MENTORSHIP_SIDES = {
    "mentee_observes_mentor": "mentee",
    "mentees": "mentee",
    "mentor_observes_mentee": "mentor",
    "mentors": "mentor",
}


@dataclass(frozen=True)
class Shape:
    """What the comparison needs of a rule: its fields (``rule``, also used for the words) and
    the ids of its kinds, groups and tags; ``group_kinds`` are the kinds of the named groups."""

    rule: Rule
    kind_ids: frozenset[int] = frozenset()
    group_ids: frozenset[int] = frozenset()
    group_kinds: frozenset[str] = frozenset()
    tag_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Verdict:
    relation: str  # DUPLICATE or OVERLAP
    differences: tuple[str, ...]


# ---- pure ----------------------------------------------------------------------------------


def _interval(low: int | None, high: int | None) -> tuple[float, float]:
    return (low if low is not None else float("-inf"), high if high is not None else float("inf"))


def _crosses(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _contains(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[0] and b[1] <= a[1]


def _sets_meet(a: frozenset, b: frozenset) -> bool:
    """Empty is "不限": it meets everything."""
    return not a or not b or bool(a & b)


def _set_covers(a: frozenset, b: frozenset) -> bool:
    return not a or (bool(b) and b <= a)


def _intervals(r: Rule) -> list[tuple[float, float]]:
    return [
        _interval(r.teaching_years_min, r.teaching_years_max),
        _interval(r.age_min, r.age_max),
    ]


def audiences_meet(a: Shape, b: Shape) -> bool:
    """Whether the two audiences can share someone (or some group)."""
    ra, rb = a.rule, b.rule
    if ra.owner == "group":
        if a.group_ids and b.group_ids:
            return bool(a.group_ids & b.group_ids)
        if a.group_ids:
            return rb.owner_group_kind in a.group_kinds
        if b.group_ids:
            return ra.owner_group_kind in b.group_kinds
        return ra.owner_group_kind == rb.owner_group_kind
    if ra.group_role and rb.group_role and ra.group_role != rb.group_role:
        return False
    sides = MENTORSHIP_SIDES.get(ra.mentorship), MENTORSHIP_SIDES.get(rb.mentorship)
    if all(sides) and sides[0] != sides[1]:
        return False
    return (
        _sets_meet(a.group_ids, b.group_ids)
        and _sets_meet(a.tag_ids, b.tag_ids)
        and all(_crosses(x, y) for x, y in zip(_intervals(ra), _intervals(rb), strict=True))
    )


def audience_covers(a: Shape, b: Shape) -> bool:
    """Whether everyone (every group) ``b`` is owed by is also in ``a``'s audience."""
    ra, rb = a.rule, b.rule
    if ra.owner == "group":
        if a.group_ids:
            return bool(b.group_ids) and b.group_ids <= a.group_ids
        if b.group_ids:
            return b.group_kinds == {ra.owner_group_kind}
        return ra.owner_group_kind == rb.owner_group_kind
    side_a = MENTORSHIP_SIDES.get(ra.mentorship)
    return (
        (not ra.group_role or ra.group_role == rb.group_role)
        and (side_a is None or side_a == MENTORSHIP_SIDES.get(rb.mentorship))
        and _set_covers(a.group_ids, b.group_ids)
        and _set_covers(a.tag_ids, b.tag_ids)
        and all(_contains(x, y) for x, y in zip(_intervals(ra), _intervals(rb), strict=True))
    )


def _same_owner(ra: Rule, rb: Rule) -> bool:
    return ra.owner == rb.owner and (ra.owner != "role" or ra.owner_role == rb.owner_role)


def _same_counted(a: Shape, b: Shape) -> bool:
    """Both count at least one thing in common: a kind, or inspections of a common type."""
    ra, rb = a.rule, b.rule
    if ra.source != rb.source:
        return False
    if ra.source == "inspections":
        return (
            not ra.inspection_kind
            or not rb.inspection_kind
            or (ra.inspection_kind == rb.inspection_kind)
        )
    return bool(a.kind_ids & b.kind_ids)


def _who(rule: Rule) -> str:
    return audience(rule) or "全体教师"


def _audience_key(s: Shape) -> tuple:
    r = s.rule
    return (
        s.group_ids,
        s.tag_ids,
        r.group_role,
        r.teaching_years_min or None,
        r.teaching_years_max,
        r.age_min,
        r.age_max,
        r.mentorship,
        r.owner_group_kind,
        r.owner_role,
    )


def _kinds_words(r: Rule) -> str:
    if r.source == "inspections":
        return "检查（作为检查人）"
    return "、".join(dict.fromkeys(label.split("/")[0].strip() for label, _u in r.kinds)) or "—"


def _audience_difference(existing: Shape, new: Shape) -> list[str]:
    old, now = existing.rule, new.rule
    if _audience_key(existing) == _audience_key(new):
        return []
    if audience_covers(existing, new):
        how = "新规则的对象是现有规则对象的一部分"
    elif audience_covers(new, existing):
        how = "现有规则的对象是新规则对象的一部分"
    else:
        how = "两者部分重叠"
    out = [f"适用对象：现有为{_who(old)}，新规则为{_who(now)}（{how}）"]
    if old.mentorship != now.mentorship and _who(old) == _who(now):
        out.append(
            f"师徒结对：现有为{MENTORSHIP_WORDS.get(old.mentorship, old.mentorship)}，"
            f"新规则为{MENTORSHIP_WORDS.get(now.mentorship, now.mentorship)}"
        )
    return out


def _caps_words(r: Rule) -> str:
    return "、".join(sorted(cap_text(r, *cap) for cap in r.caps)) or "不设"


def differences(existing: Shape, new: Shape) -> list[str]:
    """What differs between two rules, one Chinese sentence per difference ([] when none)."""
    old, now = existing.rule, new.rule
    out: list[str] = []
    if existing.kind_ids != new.kind_ids or old.source != now.source:
        out.append(f"记录类型不同：现有为{_kinds_words(old)}，新规则为{_kinds_words(now)}")
    if old.source == now.source == "inspections" and old.inspection_kind != now.inspection_kind:
        out.append("检查类型不同")
    if old.measure != now.measure:
        out.append(
            f"计量不同：现有{MEASURE_WORDS.get(old.measure, old.measure)}，"
            f"新规则{MEASURE_WORDS.get(now.measure, now.measure)}"
        )
    if old.comparator != now.comparator:
        out.append(
            f"比较不同：现有为{COMPARATOR_WORDS.get(old.comparator, old.comparator)}，"
            f"新规则为{COMPARATOR_WORDS.get(now.comparator, now.comparator)}"
        )
    if number(old.threshold) != number(now.threshold) or unit(old) != unit(now):
        out.append(
            f"数量不同：现有 {number(old.threshold)} {unit(old)}，"
            f"新规则 {number(now.threshold)} {unit(now)}"
        )
    if (old.item_min_chars or None) != (now.item_min_chars or None):

        def each(r: Rule) -> str:
            return f"每篇不少于{r.item_min_chars}字" if r.item_min_chars else "不限"

        out.append(f"单篇字数不同：现有为{each(old)}，新规则为{each(now)}")
    if _caps_words(old) != _caps_words(now):
        out.append(f"计入上限不同：现有为{_caps_words(old)}，新规则为{_caps_words(now)}")
    if old.deadline != now.deadline:
        out.append(
            f"截止不同：现有为{DEADLINE_WORDS.get(old.deadline, old.deadline)}，"
            f"新规则为{DEADLINE_WORDS.get(now.deadline, now.deadline)}"
        )
    return out + _audience_difference(existing, new)


def compare(existing: Shape, new: Shape) -> Verdict | None:
    """DUPLICATE, OVERLAP (with the differences), or None when the rules are unrelated:
    different kinds, period, source or owner, or audiences that share nobody."""
    old, now = existing.rule, new.rule
    if old.period != now.period or not _same_owner(old, now):
        return None
    if not _same_counted(existing, new) or not audiences_meet(existing, new):
        return None
    found = differences(existing, new)
    return Verdict(OVERLAP if found else DUPLICATE, tuple(found))


# ---- reading the org's live rules ---------------------------------------------------------

DEFAULTS = {
    "measure": "count",
    "comparator": "gte",
    "threshold": 0,
    "period": "term",
    "deadline": "period_end",
    "item_min_chars": None,
    "group_role": "",
    "teaching_years_min": None,
    "teaching_years_max": None,
    "age_min": None,
    "age_max": None,
    "mentorship": "",
    "owner": "person",
    "owner_group_kind": "",
    "owner_role": "",
    "source": "records",
    "inspection_kind": "",
}


def _items(value) -> list:
    if value is None:
        return []
    return list(value.all()) if hasattr(value, "all") else list(value)


def shape_of(candidate) -> Shape:
    """A :class:`Shape` from a Requirement (saved: its m2m fields are read) or from the values
    a form or a suggestion would create one with (``kinds``/``groups``/``tags`` as objects)."""
    if isinstance(candidate, Mapping):
        get = candidate.get
    else:

        def get(name, default=None):
            return getattr(candidate, name, default)

    fields = {k: DEFAULTS[k] if get(k) in (None, "") else get(k) for k in DEFAULTS}
    m2m = {m: _items(get(m)) for m in ("kinds", "groups", "tags", "kind_caps")}
    return Shape(
        rule=rule_of(SimpleNamespace(**fields, **m2m)),
        kind_ids=frozenset(k.pk for k in m2m["kinds"]),
        group_ids=frozenset(g.pk for g in m2m["groups"]),
        group_kinds=frozenset(g.kind for g in m2m["groups"]),
        tag_ids=frozenset(t.pk for t in m2m["tags"]),
    )


@dataclass
class Match:
    """A live rule the candidate duplicates or overlaps."""

    existing: Requirement
    sentence: str
    relation: str
    differences: tuple[str, ...]

    @property
    def duplicate(self) -> bool:
        return self.relation == DUPLICATE


def live_matches(
    candidate: Requirement | Mapping,
    *,
    org: Org,
    exclude: Iterable[int] = (),
    among: Iterable[Requirement] | None = None,
) -> list[Match]:
    """The live rules of ``org`` (or ``among``, already loaded with their m2m fields) that
    ``candidate`` — a Requirement or create-values — duplicates or overlaps, duplicates first.
    A saved candidate never matches itself."""
    new = shape_of(candidate)
    skip = set(exclude)
    if getattr(candidate, "pk", None):
        skip.add(candidate.pk)
    if among is None:
        among = (
            Requirement.objects.live()
            .filter(org=org, period=new.rule.period, owner=new.rule.owner)
            .prefetch_related("kinds", "groups", "tags")
            .order_by("pk")
        )
    found = []
    for existing in among:
        if existing.pk in skip:
            continue
        shape = shape_of(existing)
        verdict = compare(shape, new)
        if verdict is not None:
            found.append(
                Match(existing, describe(shape.rule), verdict.relation, verdict.differences)
            )
    return sorted(found, key=lambda m: (not m.duplicate, m.existing.pk))
