"""Writes for requirements (量化要求) and exemptions (豁免).

Each function validates, checks that ``user`` manages the org (``user=None`` is the system:
demo data, imports), runs in one transaction and records ``user`` in the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from keshi.calendar.models import Term
from keshi.org.models import Group, Org, Person, Tag
from keshi.org.scoping import can_manage_org
from keshi.records.models import Activity, ActivityKind
from keshi.rules.models import Exemption, Requirement

R = Requirement
SCALAR_FIELDS = (
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
    "points",
    "active",
)
M2M_FIELDS = ("kinds", "groups", "tags")
OBSERVING = (R.Mentorship.MENTEE_OBSERVES_MENTOR, R.Mentorship.MENTOR_OBSERVES_MENTEE)


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

    if "kinds" in values:
        kinds = list(values["kinds"] or [])
        if not kinds:
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
    return errors


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


def _save(requirement: Requirement, m2m: dict, user) -> Requirement:
    _validate(requirement, m2m)
    requirement._history_user = user
    requirement.save()
    for field, items in m2m.items():
        getattr(requirement, field).set(list(items))
    return requirement


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
    points: Decimal | int = 0,
    active: bool = True,
    plan=None,
) -> Requirement:
    """``plan`` links the rule to the work plan it was read from (keshi.plans), if any."""
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
        points=points,
        active=active,
    )
    return _save(
        requirement, {"kinds": list(kinds), "groups": list(groups), "tags": list(tags)}, user
    )


@transaction.atomic
def update_requirement(*, requirement: Requirement, user, **changes) -> Requirement:
    """Change any of :data:`SCALAR_FIELDS` and :data:`M2M_FIELDS` (same names as
    :func:`create_requirement`); the others are left as they are."""
    unknown = set(changes) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
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
    return _save(requirement, m2m, user)


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
    return _save(copy, m2m, user)


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
    exemption.end = on
    exemption._history_user = user
    exemption.save(update_fields=["end"])
    return exemption
