"""Writes for requirements (量化要求) and exemptions (豁免).

Each function validates, checks that ``user`` manages the org (``user=None`` is the system:
demo data, imports), runs in one transaction and records ``user`` in the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from keshi.calendar.closing import check_open
from keshi.calendar.models import Term
from keshi.org.models import Group, Org, Person, Tag
from keshi.org.scoping import can_manage_org
from keshi.records.models import Activity, ActivityKind
from keshi.rules.models import Exemption, KindCap, Requirement

R = Requirement
SCALAR_FIELDS = (
    "effective_from",
    "name",
    "source_text",
    "measure",
    "item_min_chars",
    "comparator",
    "threshold",
    "period",
    "deadline",
    "group_role",
    "teaching_years_min",
    "teaching_years_max",
    "age_min",
    "age_max",
    "mentorship",
    "owner",
    "owner_group_kind",
    "owner_role",
    "source",
    "inspection_kind",
    "points",
    "active",
)
M2M_FIELDS = ("kinds", "groups", "tags")
# A cap inside the rule: (kind, limit) — 其中读书心得最多计1篇 is (读书心得, 1).
CAPS = "kind_caps"
MAX_CAPS = 10
OBSERVING = (R.Mentorship.MENTEE_OBSERVES_MENTOR, R.Mentorship.MENTOR_OBSERVES_MENTEE)
# What a group-owned requirement counts: the group's closed 教研活动 sessions, which give their
# attendees records of this kind (keshi.groupwork.services.close_session).
GROUP_ACTIVITY = "group_activity"
# Audience fields that pick people; a group-owned requirement is owed by whole groups.
PERSON_FILTERS = {
    "group_role": _lazy("组内角色"),
    "tags": _lazy("适用标签"),
    "teaching_years_min": _lazy("教龄下限"),
    "teaching_years_max": _lazy("教龄上限"),
    "age_min": _lazy("年龄下限"),
    "age_max": _lazy("年龄上限"),
    "mentorship": _lazy("师徒结对"),
    "item_min_chars": _lazy("单篇最少字数"),
}


def _labels(kinds: Iterable[ActivityKind]) -> str:
    return "、".join(k.label for k in kinds)


def rule_errors(*, org: Org, values: dict, exclude: int | None = None) -> dict[str, list[str]]:
    """Field → Chinese messages for a requirement's values (shared by the form and services).
    Only checks what the values hold: a form passes its cleaned data, a service everything."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    name = (values.get("name") or "").strip()
    if "name" in values:
        if not name:
            add("name", _("请填写名称。"))
        elif R.objects.filter(org=org, name=name).exclude(pk=exclude).exists():
            add("name", _("本单位已有同名的量化要求，请换一个名称。"))
    threshold = values.get("threshold")
    if threshold is not None and Decimal(threshold) <= 0:
        add("threshold", _("数量必须大于 0。"))
    points = values.get("points")
    if points is not None and Decimal(points) < 0:
        add("points", _("考核分值不能为负数。"))
    min_chars = values.get("item_min_chars")
    if min_chars is not None and min_chars <= 0:
        add("item_min_chars", _("单篇最少字数须大于 0，不限字数请留空。"))
    for low, high, label in (
        ("teaching_years_min", "teaching_years_max", _("教龄")),
        ("age_min", "age_max", _("年龄")),
    ):
        lo, hi = values.get(low), values.get(high)
        if lo is not None and hi is not None and lo > hi:
            add(high, _("%(label)s上限不能小于下限（上下限都包含本数）。") % {"label": label})
    if values.get("deadline") == R.Deadline.LAST_FRIDAY and values.get("period") == R.Period.DAY:
        add("deadline", _("按天计的要求不能以“最后一个星期五”截止。"))

    _owner_errors(values, add)
    inspections = values.get("source") == R.Source.INSPECTIONS
    if "kinds" in values:
        kinds = list(values["kinds"] or [])
        if not kinds and not inspections:
            add("kinds", _("请至少选择一种记录类型。"))
        foreign = [k for k in kinds if k.org_id not in (None, org.pk)]
        if foreign:
            add("kinds", _("记录类型不属于本单位：%(k)s。") % {"k": _labels(foreign)})
        textless = [k for k in kinds if not k.has_text]
        if kinds and textless and values.get("measure") == R.Measure.CHARS:
            add(
                "measure",
                _("按字数计量时，所选记录类型都须有正文；%(k)s 没有正文。")
                % {"k": _labels(textless)},
            )
        if kinds and textless and min_chars:
            add(
                "item_min_chars",
                _("单篇最少字数只适用于有正文的记录类型；%(k)s 没有正文。")
                % {"k": _labels(textless)},
            )
        unobserved = [k for k in kinds if not k.has_observed]
        if kinds and unobserved and values.get("mentorship") in OBSERVING:
            add(
                "mentorship",
                _("“%(m)s”只统计有被听课人的记录（如听课）；%(k)s 没有被听课人。")
                % {
                    "m": R.Mentorship(values["mentorship"]).label,
                    "k": _labels(unobserved),
                },
            )
    if "groups" in values:
        foreign = [g for g in values["groups"] or [] if g.org_id != org.pk]
        if foreign:
            add("groups", _("组不属于本单位：%(g)s。") % {"g": "、".join(g.name for g in foreign)})
    if values.get(CAPS):
        _cap_errors(values, add)
    return errors


def _cap_errors(values: dict, add) -> None:
    """Caps inside the rule: on the rule's own kinds, one per kind, a positive limit, and only
    where records are counted per person (a group's sessions and inspections have no kinds)."""
    caps = list(values[CAPS])
    if (values.get("owner") or R.Owner.PERSON) == R.Owner.GROUP or (
        values.get("source") or R.Source.RECORDS
    ) != R.Source.RECORDS:
        add(CAPS, _("计入上限只用于按工作记录统计、按人考核的要求。"))
        return
    if len(caps) > MAX_CAPS:
        add(CAPS, _("计入上限最多设 %(n)d 项。") % {"n": MAX_CAPS})
    kinds = {k.pk for k in values.get("kinds") or []}
    outside = [kind for kind, _limit in caps if kind.pk not in kinds]
    if outside and "kinds" in values:
        add(
            CAPS,
            _("计入上限的记录类型须是本要求统计的记录类型；%(k)s 不在其中。")
            % {"k": _labels(outside)},
        )
    seen = [kind.pk for kind, _limit in caps]
    if len(set(seen)) < len(seen):
        add(CAPS, _("同一记录类型只能设一个计入上限。"))
    if any(limit is None or Decimal(limit) <= 0 for _kind, limit in caps):
        add(CAPS, _("计入上限必须大于 0。"))
    elif any(Decimal(limit) >= Decimal("100000000") for _kind, limit in caps):
        add(CAPS, _("计入上限太大。"))


def _is_set(value) -> bool:
    """A filled-in field: a non-empty string, any number (0 too), a non-empty collection."""
    if value is None or isinstance(value, str):
        return bool(value)
    return bool(list(value)) if hasattr(value, "__iter__") else True


def _owner_errors(values: dict, add) -> None:
    """Who owes the rule (每人 / 按组 / 按角色) and what it counts (records / inspections): only
    the combinations the engine can judge."""
    owner = values.get("owner") or R.Owner.PERSON
    source = values.get("source") or R.Source.RECORDS
    groups = list(values.get("groups") or [])
    if owner == R.Owner.GROUP:
        if not groups and not values.get("owner_group_kind"):
            add("owner_group_kind", _("按组考核请选择适用的组，或选择组类型（如每个教研组）。"))
        if groups and values.get("owner_group_kind"):
            add("owner_group_kind", _("已选了具体的组，就不再按组类型，请二选一。"))
        for field, label in PERSON_FILTERS.items():
            if _is_set(values.get(field)):
                add(field, _("按组考核是每个组一份，不按个人筛选，请清空“%(f)s”。") % {"f": label})
        if source != R.Source.RECORDS:
            add("source", _("按组考核统计组内已结束的教研活动，不能按检查统计。"))
        kinds = list(values.get("kinds") or [])
        other = [k for k in kinds if k.code != GROUP_ACTIVITY]
        measure = values.get("measure")
        if other and len(other) < len(kinds):  # 教研活动 sessions, or members' records
            add(
                "kinds",
                _(
                    "按组考核选“教研活动”统计组内已结束的教研活动，选其他记录类型统计组内成员的"
                    "这些记录，二者不能同时选；%(k)s 请另建一条要求。"
                )
                % {"k": _labels(other)},
            )
        elif other and measure not in (None, R.Measure.COUNT, R.Measure.QUANTITY):
            add("measure", _("按组统计成员的记录时，计量请选“条数”或“数量合计”。"))
        elif not other and measure not in (None, R.Measure.COUNT):
            add("measure", _("按组考核按教研活动的次数统计，计量请选“条数”。"))
    elif values.get("owner_group_kind"):
        add("owner_group_kind", _("组类型只用于按组考核。"))
    if owner == R.Owner.ROLE:
        if not values.get("owner_role"):
            add("owner_role", _("按角色考核请选择角色（如学校领导、教科室）。"))
        if _is_set(values.get("mentorship")):
            add("mentorship", _("按角色考核不能再按师徒结对筛选。"))
    elif values.get("owner_role"):
        add("owner_role", _("角色只用于按角色考核。"))
    if source == R.Source.INSPECTIONS:
        if _is_set(values.get("kinds")):
            add("kinds", _("按检查统计时不选记录类型（统计的是本人作为检查人完成的检查）。"))
        if values.get("measure") not in (None, R.Measure.COUNT, R.Measure.QUANTITY):
            add("measure", _("按检查统计只能计检查的次数（条数）或人次（数量合计）。"))
        for field in ("item_min_chars", "mentorship"):
            if _is_set(values.get(field)):
                label = PERSON_FILTERS[field]
                add(field, _("按检查统计时不能设置“%(f)s”。") % {"f": label})
    elif values.get("inspection_kind"):
        add("inspection_kind", _("检查类型只用于按检查统计。"))


def _check_manager(user, org: Org) -> None:
    if user is not None and not can_manage_org(user, org):
        raise PermissionDenied(_("只有本单位教科室可以管理量化要求。"))


def _validate(requirement: Requirement, m2m: dict) -> None:
    values = {f: getattr(requirement, f) for f in SCALAR_FIELDS} | {
        k: list(v) for k, v in m2m.items()
    }
    errors = rule_errors(org=requirement.org, values=values, exclude=requirement.pk)
    if errors:
        raise ValidationError(errors)
    requirement.full_clean(exclude=["org"])


def _save(requirement: Requirement, m2m: dict, user, caps=None) -> Requirement:
    """``caps`` (a list of (kind, limit)) replaces the rule's caps; None leaves them."""
    if caps is not None:
        caps = [(kind, Decimal(limit) if limit is not None else None) for kind, limit in caps]
        _validate(requirement, m2m | {CAPS: caps})
    else:
        _validate(requirement, m2m)
    requirement._history_user = user
    requirement.save()
    for field, items in m2m.items():
        getattr(requirement, field).set(list(items))
    if caps is not None:
        _set_caps(requirement, caps, user)
    return requirement


def _set_caps(requirement: Requirement, caps: list, user) -> None:
    """Make the rule's caps ``caps``: changed limits are updated, others added or removed (each
    change in the history)."""
    wanted = {kind.pk: (kind, limit) for kind, limit in caps}
    for cap in list(requirement.kind_caps.all()):
        if cap.kind_id not in wanted:
            cap._history_user = user
            cap.delete()
            continue
        _kind, limit = wanted.pop(cap.kind_id)
        if cap.limit != limit:
            cap.limit = limit
            cap._history_user = user
            cap.save(update_fields=["limit"])
    for kind, limit in wanted.values():
        cap = KindCap(requirement=requirement, kind=kind, limit=limit)
        cap.full_clean()
        cap._history_user = user
        cap.save()


@transaction.atomic
def create_requirement(
    *,
    org: Org,
    user,
    name: str,
    kinds: Iterable[ActivityKind],
    threshold: Decimal | int,
    source_text: str = "",
    measure: str = R.Measure.COUNT,
    item_min_chars: int | None = None,
    comparator: str = R.Comparator.GTE,
    period: str = R.Period.TERM,
    deadline: str = R.Deadline.PERIOD_END,
    groups: Iterable[Group] = (),
    group_role: str = "",
    tags: Iterable[Tag] = (),
    teaching_years_min: int | None = None,
    teaching_years_max: int | None = None,
    age_min: int | None = None,
    age_max: int | None = None,
    mentorship: str = R.Mentorship.NONE,
    owner: str = R.Owner.PERSON,
    owner_group_kind: str = "",
    owner_role: str = "",
    source: str = R.Source.RECORDS,
    inspection_kind: str = "",
    points: Decimal | int = 0,
    active: bool = True,
    effective_from: date | None = None,
    plan=None,
    kind_caps: Iterable[tuple[ActivityKind, Decimal | int]] = (),
) -> Requirement:
    """``plan`` links the rule to the work plan it was read from (keshi.plans), if any;
    ``kind_caps`` are caps inside the rule: (kind, limit) — 其中读书心得最多计1篇."""
    _check_manager(user, org)
    if plan is not None and plan.org_id != org.pk:
        raise ValidationError({"plan": _("该计划不属于本单位。")})
    requirement = Requirement(
        org=org,
        plan=plan,
        name=(name or "").strip(),
        source_text=source_text.strip(),
        measure=measure,
        item_min_chars=item_min_chars,
        comparator=comparator,
        threshold=threshold,
        period=period,
        deadline=deadline,
        group_role=group_role,
        teaching_years_min=teaching_years_min,
        teaching_years_max=teaching_years_max,
        age_min=age_min,
        age_max=age_max,
        mentorship=mentorship,
        owner=owner,
        owner_group_kind=owner_group_kind,
        owner_role=owner_role,
        source=source,
        inspection_kind=inspection_kind,
        points=points,
        active=active,
        effective_from=effective_from,
    )
    return _save(
        requirement,
        {"kinds": list(kinds), "groups": list(groups), "tags": list(tags)},
        user,
        caps=list(kind_caps),
    )


@transaction.atomic
def update_requirement(*, requirement: Requirement, user, **changes) -> Requirement:
    """Change any of :data:`SCALAR_FIELDS`, :data:`M2M_FIELDS` and ``kind_caps`` (same names
    as :func:`create_requirement`); the others are left as they are. The caps are checked
    against the rule's kinds after the change, so narrowing the kinds past a cap is refused."""
    unknown = set(changes) - set(SCALAR_FIELDS) - set(M2M_FIELDS) - {CAPS}
    if unknown:
        raise TypeError(f"unknown requirement fields: {sorted(unknown)}")
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    _check_manager(user, requirement.org)
    for field in SCALAR_FIELDS:
        if field in changes:
            value = changes[field]
            setattr(requirement, field, value.strip() if isinstance(value, str) else value)
    m2m = {
        f: list(changes[f]) if f in changes else list(getattr(requirement, f).all())
        for f in M2M_FIELDS
    }
    if CAPS in changes:
        caps = list(changes[CAPS] or [])
    else:
        caps = [(c.kind, c.limit) for c in requirement.kind_caps.select_related("kind")]
    return _save(requirement, m2m, user, caps=caps)


@transaction.atomic
def set_active(*, requirement: Requirement, user, active: bool) -> Requirement:
    """停用 / 启用. A requirement is never deleted once used: it stops applying instead."""
    _check_manager(user, requirement.org)
    requirement.active = active
    requirement._history_user = user
    requirement.save(update_fields=["active"])
    return requirement


def deactivate(*, requirement: Requirement, user) -> Requirement:
    return set_active(requirement=requirement, user=user, active=False)


def creation_date(requirement: Requirement) -> date | None:
    first = requirement.history.order_by("history_date").values_list("history_date", flat=True)
    when = first.first()
    return when.date() if when else None


def is_used(requirement: Requirement) -> bool:
    """Whether records have already been judged against it: any record of its kinds in its org
    dated from the start of the term it was created in (the engine judges by record date), or
    any exemption from it."""
    if requirement.exemptions.exists():
        return True
    created = creation_date(requirement) or date.today()
    term = (
        Term.objects.filter(school_year__org=requirement.org, start__lte=created, end__gte=created)
        .only("start")
        .first()
    )
    since = term.start if term else created
    return Activity.objects.filter(
        org=requirement.org,
        kind__in=requirement.kinds.all(),
        status__in=Activity.COUNTED,
        date__gte=since,
    ).exists()


@transaction.atomic
def delete_requirement(*, requirement: Requirement, user) -> None:
    """Only an unused draft may be deleted; a used one is deactivated instead."""
    _check_manager(user, requirement.org)
    if is_used(requirement):
        raise ValidationError(_("该要求已有记录参与统计（或有豁免），不能删除，请改为停用。"))
    requirement._history_user = user
    requirement.delete()


@transaction.atomic
def copy_requirement(*, requirement: Requirement, user, name: str | None = None) -> Requirement:
    """A copy to edit, created 停用 so that it does not double anyone's tasks until enabled."""
    _check_manager(user, requirement.org)
    base = name or _("%(name)s（副本）") % {"name": requirement.name}
    candidate, n = base, 2
    taken = set(R.objects.filter(org=requirement.org).values_list("name", flat=True))
    while candidate in taken:
        candidate, n = f"{base}{n}", n + 1
    values = {f: getattr(requirement, f) for f in SCALAR_FIELDS}
    values.update(name=candidate[:100], active=False)
    copy = Requirement(org=requirement.org, plan_id=requirement.plan_id, **values)
    m2m = {f: list(getattr(requirement, f).all()) for f in M2M_FIELDS}
    caps = [(c.kind, c.limit) for c in requirement.kind_caps.select_related("kind")]
    return _save(copy, m2m, user, caps=caps)


# ---- exemptions ---------------------------------------------------------------------------

EXEMPTION_REASONS = ("病假", "产假", "外出学习", "兼职", "挂职", "支教")


@transaction.atomic
def add_exemption(
    *,
    user,
    person: Person,
    start: date,
    end: date,
    reason: str,
    requirement: Requirement | None = None,
) -> Exemption:
    """Excuse ``person`` from ``requirement`` (or from every requirement when None)."""
    _check_manager(user, person.org)
    errors: dict[str, list[str]] = {}
    if requirement is not None and requirement.org_id != person.org_id:
        errors["requirement"] = [_("该量化要求不属于此人所在单位。")]
    elif requirement is not None and requirement.owner == R.Owner.GROUP:
        errors["requirement"] = [_("按组考核的要求是每个组一份，不能给个人豁免。")]
    if not (reason or "").strip():
        errors["reason"] = [_("请填写豁免原因（如病假、产假、外出学习）。")]
    if start and end and end < start:
        errors["end"] = [_("结束日期不能早于起始日期。")]
    overlapping = Exemption.objects.filter(person=person, start__lte=end, end__gte=start)
    if requirement is not None:
        overlapping = overlapping.filter(Q(requirement=requirement) | Q(requirement__isnull=True))
    if not errors and overlapping.exists():
        errors["start"] = [_("此人在这段时间已有豁免，请修改原有豁免的日期。")]
    if errors:
        raise ValidationError(errors)
    check_open(org_id=person.org_id, day=start, end=end)
    exemption = Exemption(
        person=person, requirement=requirement, start=start, end=end, reason=reason.strip()
    )
    exemption.full_clean()
    exemption._history_user = user
    exemption.save()
    return exemption


@transaction.atomic
def end_exemption(*, exemption: Exemption, user, on: date) -> Exemption:
    """End early (返岗): the exemption covers up to and including ``on``."""
    _check_manager(user, exemption.person.org)
    if on < exemption.start:
        raise ValidationError(
            {"end": _("结束日期不能早于起始日期（%(d)s）。") % {"d": exemption.start}}
        )
    if on >= exemption.end:
        raise ValidationError({"end": _("豁免本来就在 %(d)s 结束。") % {"d": exemption.end}})
    check_open(org_id=exemption.person.org_id, day=on + timedelta(days=1), end=exemption.end)
    exemption.end = on
    exemption._history_user = user
    exemption.save(update_fields=["end"])
    return exemption


def default_effective_from(term=None) -> date:
    """When a rule put live today starts counting: today — so nobody is behind for periods that
    ended before the rule existed — or the first day of ``term`` when it is still to come, or
    when it is already over (a past term's plan entered for the record is judged whole)."""
    today = timezone.localdate()
    if term is not None and (term.start > today or term.end < today):
        return term.start
    return today
