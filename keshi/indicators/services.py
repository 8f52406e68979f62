"""Writes of the indicators app: indicators (by hand or from a plan's target), monthly figures.

Each function checks the caller's right (``by=None`` is the system: the demo, the console), runs
in one transaction and raises ``ValidationError`` with Chinese messages, writing nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.indicators import measure
from keshi.indicators.models import Actual, Indicator, YearTarget
from keshi.indicators.selectors import can_enter
from keshi.org.models import Group
from keshi.org.scoping import can_manage_org, scope_for
from keshi.plans.models import Suggestion

GROWTH_WORDS = re.compile(
    r"(?:较|比)?(?:上年|去年|上一年|同期|同比)*(?:同期)?(增长|增加|提高|提升|上升|下降|降低|减少)$"
)
COMPARATOR_WORDS = re.compile(r"(?:不足|不超过|不低于|不少于|以上|以下|以内|超过|低于|高于|达到)$")
DIRECTIONS = {">=": "higher", ">": "higher", "<=": "lower", "<": "lower", "=": "exact"}


def check_office(by, org) -> None:
    if by is not None and not can_manage_org(by, org):
        raise PermissionDenied(_("只有本单位管理员（科室办公室）可以设置指标。"))


def check_setup(by, group: Group) -> None:
    """The office of the org, or the head (组长) of the department, sets its indicators up."""
    if by is None or can_manage_org(by, group.org):
        return
    if group.pk not in scope_for(by).lead_group_ids:
        raise PermissionDenied(_("只有本单位管理员或本科室负责人可以设置指标。"))


def _next_position(group: Group) -> int:
    top = Indicator.objects.filter(group=group).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def _save(obj, by) -> None:
    obj.full_clean()
    obj._history_user = by
    obj.save()


@dataclass
class Reading:
    """What a plan's target says, as indicator fields."""

    name: str
    unit: str
    kind: str
    factor: int
    comparator: str
    direction: str
    target: Decimal
    growth: Decimal | None
    may_exceed_100: bool = False


def read_target(data: dict) -> Reading:
    """The extractor's ``{"metric","value","op","unit","period"}`` as an indicator: a % of a
    率/度 is a rate; "门诊人次较上年增长20%" is a growth target on the count 门诊人次."""
    metric = str(data.get("metric") or data.get("source") or "").strip()
    unit = str(data.get("unit") or "").strip()
    op = data.get("op") if data.get("op") in measure.COMPARATORS else ">="
    value = Decimal(str(data.get("value") or 0))
    metric = COMPARATOR_WORDS.sub("", metric).strip()
    growth_match = GROWTH_WORDS.search(metric) if unit in ("%", "‰") else None
    if growth_match:
        name = metric[: growth_match.start()].strip() or metric
        sign = -1 if growth_match[1] in ("下降", "降低", "减少") else 1
        count_unit = next((u for u in sorted(measure.COUNT_UNITS, key=len, reverse=True)
                           if name.endswith(u)), "")  # fmt: skip
        return Reading(
            name=name,
            unit=count_unit,
            kind=Indicator.Kind.VALUE,
            factor=Indicator.Factor.PERCENT,
            comparator="<=" if sign < 0 else ">=",
            direction="lower" if sign < 0 else "higher",
            target=Decimal(0),
            growth=value * sign,
        )
    rate = unit in ("%", "‰")
    return Reading(
        name=metric[:100] or _("未命名指标"),
        unit=unit,
        kind=Indicator.Kind.RATE if rate else Indicator.Kind.VALUE,
        factor=1000 if unit == "‰" else 100,
        comparator=op,
        direction=DIRECTIONS[op],
        target=value,
        growth=None,
        may_exceed_100=rate and bool(measure.MAY_EXCEED_100.search(metric)),
    )


@transaction.atomic
def indicator_from_target(suggestion: Suggestion, *, group: Group, by) -> Indicator:
    """从计划指标创建: the indicator a plan's target suggestion describes, owned by ``group``;
    the suggestion is marked 已采纳."""
    suggestion = (
        Suggestion.objects.select_for_update().select_related("plan__org").get(pk=suggestion.pk)
    )
    org = suggestion.plan.org
    check_office(by, org)
    if suggestion.kind != Suggestion.Kind.TARGET:
        raise ValidationError(_("这条建议不是指标。"))
    if suggestion.status != Suggestion.Status.PENDING:
        raise ValidationError(
            _("该建议已处理（%(s)s），请刷新页面。") % {"s": suggestion.get_status_display()}
        )
    if group.org_id != org.pk:
        raise ValidationError({"group": _("科室不属于该计划的单位。")})
    reading = read_target(suggestion.data)
    if Indicator.objects.filter(group=group, name=reading.name).exists():
        raise ValidationError(_("%(g)s已有指标“%(n)s”。") % {"g": group.name, "n": reading.name})
    indicator = Indicator(
        org=org,
        group=group,
        source_text=suggestion.data.get("source") or suggestion.source,
        suggestion=suggestion,
        position=_next_position(group),
        **reading.__dict__,
    )
    _save(indicator, by)
    review = dict(suggestion.data.get("review") or {})
    review.update(
        by=getattr(by, "username", ""),
        at=timezone.now().isoformat(timespec="seconds"),
        indicator=indicator.pk,
    )
    suggestion.data = {**suggestion.data, "review": review}
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.save(update_fields=["status", "data"])
    return indicator


@transaction.atomic
def create_indicator(*, group: Group, by, **values) -> Indicator:
    check_setup(by, group)
    indicator = Indicator(org=group.org, group=group, position=_next_position(group), **values)
    if Indicator.objects.filter(group=group, name=indicator.name).exists():
        raise ValidationError({"name": _("本科室已有同名指标。")})
    _save(indicator, by)
    return indicator


@transaction.atomic
def update_indicator(*, indicator: Indicator, by, **values) -> Indicator:
    """Change an indicator, its department included, or retire it (``active=False``): its
    figures and history stay; a retired indicator is no longer judged or asked for."""
    check_setup(by, indicator.group)
    if "group" in values:
        check_setup(by, values["group"])
    for name, value in values.items():
        setattr(indicator, name, value)
    clash = Indicator.objects.filter(group=indicator.group, name=indicator.name)
    if clash.exclude(pk=indicator.pk).exists():
        raise ValidationError({"name": _("本科室已有同名指标。")})
    _save(indicator, by)
    return indicator


@transaction.atomic
def set_year_target(
    *,
    indicator: Indicator,
    by,
    year: int,
    comparator: str,
    target: Decimal,
    growth: Decimal | None = None,
) -> YearTarget:
    """年度目标: ``year``'s comparator and target (or growth over last year), replacing the one
    set before; other years keep the indicator's default."""
    check_setup(by, indicator.group)
    found = YearTarget.objects.filter(indicator=indicator, year=year).first()
    row = found or YearTarget(indicator=indicator, year=year)
    row.comparator, row.target, row.growth = comparator, target, growth
    _save(row, by)
    return row


@transaction.atomic
def remove_year_target(*, indicator: Indicator, by, year: int) -> bool:
    check_setup(by, indicator.group)
    deleted, _rows = YearTarget.objects.filter(indicator=indicator, year=year).delete()
    return bool(deleted)


# ---- monthly figures ---------------------------------------------------------------------


def parse_number(text) -> Decimal | None:
    """A figure typed in a cell: blank → None; "85%" and "1,234" accepted; negatives refused."""
    if text is None:
        return None
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        number = Decimal(str(text))
    else:
        cleaned = str(text).strip().replace(",", "").replace("，", "").rstrip("%％")
        if not cleaned:
            return None
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(_("“%s”不是数字") % str(text).strip()) from None
    if not number.is_finite():
        raise ValueError(_("“%s”不是数字") % text)
    if number < 0:
        raise ValueError(_("不能为负数"))
    if abs(number) >= Decimal("1e12"):
        raise ValueError(_("数值过大"))
    return number.quantize(Decimal("0.01"))


@dataclass
class Figures:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def blank(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None


def check_figures(indicator: Indicator, figures: Figures) -> dict[str, str]:
    """Errors by field (value / numerator / denominator) for one month's figures."""
    errors: dict[str, str] = {}
    if figures.blank:
        return errors
    if indicator.is_rate:
        if figures.numerator is None:
            errors["numerator"] = _("比率指标需要填写分子")
        if figures.denominator is None:
            errors["denominator"] = _("比率指标需要填写分母")
        elif figures.denominator == 0:
            errors["denominator"] = _("分母不能为0")
        elif (
            figures.numerator is not None
            and indicator.factor == 100
            and not indicator.may_exceed_100
            and (figures.numerator > figures.denominator)
        ):
            errors["numerator"] = _("分子不能大于分母（可超过100%的指标请在指标设置中勾选）")
    elif figures.value is None:
        errors["value"] = _("请填写数值")
    return errors


@dataclass
class Saved:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    errors: dict = field(default_factory=dict)


def write_figures(
    items: list[tuple[Indicator, int, int, Figures]], *, by, at: datetime | None = None
) -> Saved:
    """Write checked figures (no rights or validation here: callers check). A blank removes
    the month's figures; an unchanged month is left alone so ``entered_at`` keeps its day."""
    now = at or timezone.now()
    result = Saved()
    existing = {
        (a.indicator_id, a.year, a.month): a
        for a in Actual.objects.filter(
            indicator__in={i.pk for i, *_ in items}, year__in={y for _, y, *_ in items}
        )
    }
    for indicator, year, month, figures in items:
        actual = existing.get((indicator.pk, year, month))
        if figures.blank:
            if actual is not None:
                actual._history_user = by
                actual.delete()
                result.deleted += 1
            continue
        fields = {
            "value": None if indicator.is_rate else figures.value,
            "numerator": figures.numerator if indicator.is_rate else None,
            "denominator": figures.denominator if indicator.is_rate else None,
        }
        if actual is None:
            actual = Actual(
                indicator=indicator, year=year, month=month, entered_at=now, entered_by=by, **fields
            )
            result.created += 1
        elif any(getattr(actual, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(actual, k, v)
            result.updated += 1
        else:
            continue
        actual._history_user = by
        actual.save()
    return result


@transaction.atomic
def save_grid(
    *, user, year: int, cells: dict[tuple[int, int], dict[str, str]], indicators
) -> Saved:
    """The entry grid: ``cells[(indicator_pk, month)] = {"value"|"numerator"|"denominator": text}``.
    All or nothing: any error and nothing is written (``result.errors[(pk, month, field)]``)."""
    by_pk = {i.pk: i for i in indicators}
    items, errors = [], {}
    for (pk, month), raw in sorted(cells.items()):
        indicator = by_pk.get(pk)
        if indicator is None or not 1 <= month <= 12:
            continue
        if user is not None and not can_enter(user, indicator):
            raise PermissionDenied(_("只能填报本科室的指标。"))
        figures, bad = Figures(), {}
        for name in ("value", "numerator", "denominator"):
            try:
                setattr(figures, name, parse_number(raw.get(name)))
            except ValueError as exc:
                bad[name] = str(exc)
        bad = bad or check_figures(indicator, figures)
        for name, message in bad.items():
            errors[(pk, month, name)] = message
        items.append((indicator, year, month, figures))
    if errors:
        return Saved(errors=errors)
    return write_figures(items, by=user)
