from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.indicators import measure
from keshi.org.models import Group, Org
from keshi.org.scoping import scoped


@scoped(org="org")
class Indicator(models.Model):
    """指标: a department's target, judged per month, quarter or year against its actuals."""

    class Kind(models.TextChoices):
        VALUE = "value", _("直接数值")
        RATE = "rate", _("比率（分子/分母）")

    class Factor(models.IntegerChoices):
        PERCENT = 100, _("百分比 %")
        PER_MILLE = 1000, _("千分比 ‰")
        RATIO = 1, _("比值")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("越高越好")
        LOWER = "lower", _("越低越好")
        EXACT = "exact", _("等于目标")

    class Comparator(models.TextChoices):
        GE = ">=", _("≥（以上、不低于）")
        GT = ">", _("＞（超过、高于）")
        LE = "<=", _("≤（以下、不超过）")
        LT = "<", _("＜（不足、低于）")
        EQ = "=", _("＝")

    class PeriodKind(models.TextChoices):
        MONTH = "month", _("月")
        QUARTER = "quarter", _("季度")
        YEAR = "year", _("年")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="indicators"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("科室"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("指标名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.VALUE)
    factor = models.PositiveIntegerField(
        _("比率显示为"), choices=Factor.choices, default=Factor.PERCENT
    )
    numerator_label = models.CharField(_("分子含义"), max_length=100, blank=True)
    denominator_label = models.CharField(_("分母含义"), max_length=100, blank=True)
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    comparator = models.CharField(
        _("比较"), max_length=2, choices=Comparator.choices, default=Comparator.GE
    )
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2, default=0)
    growth = models.DecimalField(
        _("较上年同期增长（%）"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("填写后，目标为上年同期实际值 ×（1+增长率），“目标值”不再使用。"),
    )
    period = models.CharField(
        _("考核周期"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    source_text = models.TextField(_("计划原文"), blank=True)
    suggestion = models.ForeignKey(
        "plans.Suggestion",
        verbose_name=_("来自计划指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    may_exceed_100 = models.BooleanField(
        _("可超过100%"),
        default=False,
        help_text=_("分子可以大于分母，如加床时的床位使用率。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["org", "group__name", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="indicator_unique_name"),
            models.CheckConstraint(
                condition=Q(factor__in=[1, 100, 1000]), name="indicator_factor_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.group_id and self.org_id and self.group.org_id != self.org_id:
            raise ValidationError({"group": _("科室不属于本单位。")})
        if self.kind == self.Kind.VALUE and self.growth is None and not self.unit.strip():
            raise ValidationError({"unit": _("直接数值指标须填写计量单位，如 天、人次、例。")})

    @property
    def is_rate(self) -> bool:
        return self.kind == self.Kind.RATE

    @property
    def display_unit(self) -> str:
        if self.is_rate:
            return {100: "%", 1000: "‰"}.get(self.factor, self.unit)
        return self.unit

    def target_of(self, year: int | None) -> "Indicator | YearTarget":
        """What holds ``year``'s comparator, target and growth: its 年度目标 if one is set, else
        the indicator itself (the default for every year). Reads ``year_targets`` — prefetch it
        when judging many indicators."""
        if year is not None:
            for t in self.year_targets.all():
                if t.year == year:
                    return t
        return self

    def definition(self, year: int | None = None) -> measure.Definition:
        t = self.target_of(year)
        return measure.Definition(
            is_rate=self.is_rate,
            factor=self.factor,
            unit=self.unit,
            comparator=t.comparator,
            target=Decimal(t.target),
            growth=Decimal(t.growth) if t.growth is not None else None,
        )

    def target_text(self, year: int | None = None) -> str:
        t = self.target_of(year)
        symbol = measure.SYMBOLS[t.comparator]
        if t.growth is not None:
            return f"{symbol} 上年同期 ×{1 + t.growth / 100:.2f}（增长{measure.fmt(t.growth)}%）"
        return f"{symbol} {measure.fmt(t.target)}{self.display_unit}"


class YearTarget(models.Model):
    """年度目标: an indicator's comparator and target for one calendar year (a department's
    targets change from year to year; the indicator's own are the default)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="year_targets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    comparator = models.CharField(
        _("比较"), max_length=2, choices=Indicator.Comparator.choices, default=">="
    )
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2, default=0)
    growth = models.DecimalField(
        _("较上年同期增长（%）"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="yeartarget_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="yeartarget_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}年"


scoped(org="indicator__org")(YearTarget)


class Actual(models.Model):
    """One month's figure of an indicator. ``entered_at`` is when it was first entered: the
    on-time reporting rate reads it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="actuals"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(
        _("分子"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("分母"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    entered_at = models.DateTimeField(_("首次填报时间"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标实际值")
        verbose_name_plural = _("指标实际值")
        ordering = ["indicator", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "month"], name="actual_unique_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="actual_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-{self.month:02d}"

    def entry(self) -> measure.Entry:
        return measure.Entry(self.value, self.numerator, self.denominator)


scoped(org="indicator__org")(Actual)


class Alert(models.Model):
    """An indicator missed two periods in a row, raised once per indicator and period."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="alerts"
    )
    period = models.CharField(_("周期"), max_length=10)  # measure.Period.key
    raised_on = models.DateField(_("预警日期"))
    text = models.TextField(_("内容"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("指标预警")
        verbose_name_plural = _("指标预警")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="alert_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}"


scoped(org="indicator__org")(Alert)
