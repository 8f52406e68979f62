from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.checks.models import Inspection
from keshi.contests.models import Contest
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scoped
from keshi.records.models import ActivityKind
from keshi.rules.models import Requirement


class Source(models.TextChoices):
    MANUAL = "manual", _("手工登记")
    COMPLIANCE = "compliance", _("量化要求")
    RECORD = "record", _("记录审核")
    AWARD = "award", _("评比获奖")
    INSPECTION = "inspection", _("检查结果")


@scoped(org="org", public_in_org=True)
class PointRule(models.Model):
    """A rule granting points automatically; applied idempotently by services.apply_rules."""

    class Trigger(models.TextChoices):
        REQUIREMENT_MET = "requirement_met", _("学期末达成量化要求")
        REQUIREMENT_MISSED = "requirement_missed", _("学期末未达成量化要求")
        RECORD_APPROVED = "record_approved", _("某类记录审核通过")
        CONTEST_AWARD = "contest_award", _("评比获奖（结果发布时）")
        INSPECTION_RESULT = "inspection_result", _("检查结果（检查完成时）")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="point_rules"
    )
    name = models.CharField(_("名称"), max_length=100)
    trigger = models.CharField(_("触发条件"), max_length=20, choices=Trigger.choices)
    requirement = models.ForeignKey(
        Requirement,
        verbose_name=_("量化要求（空=所有有分值的要求）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="point_rules",
    )
    kind = models.ForeignKey(
        ActivityKind,
        verbose_name=_("记录类型"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="point_rules",
    )
    award_level = models.CharField(
        _("奖项（空=任一奖项）"), max_length=10, choices=Contest.LEVELS, blank=True
    )
    contest_kind = models.CharField(
        _("评比类别（空=任一类别）"), max_length=20, choices=Contest.Kind.choices, blank=True
    )
    keyword = models.CharField(_("审核意见须含（如“优秀”）"), max_length=20, blank=True)
    inspection_kind = models.CharField(
        _("检查类型（空=任一类型）"), max_length=20, choices=Inspection.Kind.choices, blank=True
    )
    inspection_level = models.CharField(_("检查等级"), max_length=20, blank=True)
    percent_min = models.DecimalField(
        _("得分率从（%，含）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    percent_max = models.DecimalField(
        _("得分率到（%，含）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    points = models.DecimalField(
        _("分值（空=取量化要求的考核分值）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    reimbursable = models.BooleanField(_("可报销"), default=False)
    reimbursement_note = models.CharField(_("报销说明"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("加分规则")
        verbose_name_plural = _("加分规则")
        ordering = ["org", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.trigger == self.Trigger.RECORD_APPROVED:
            if not self.kind_id:
                raise ValidationError({"kind": _("请选择记录类型。")})
            if self.points is None:
                raise ValidationError({"points": _("请填写分值。")})
        if self.trigger == self.Trigger.CONTEST_AWARD and self.points is None:
            raise ValidationError({"points": _("请填写获奖加分的分值。")})
        if self.trigger == self.Trigger.REQUIREMENT_MISSED and self.points is None:
            raise ValidationError({"points": _("未达成的扣分请填写分值（如 -0.5）。")})
        if self.trigger == self.Trigger.INSPECTION_RESULT:
            self._clean_inspection_result()

    def _clean_inspection_result(self) -> None:
        errors = {}
        if self.points is None or self.points == 0:
            errors["points"] = _("请填写分值：加分填正数，扣分填负数。")
        band = self.percent_min is not None or self.percent_max is not None
        self.inspection_level = (self.inspection_level or "").strip()
        if not self.inspection_level and not band:
            errors["inspection_level"] = _("请填写检查等级，或填写得分率区间。")
        elif self.inspection_level and band:
            errors["inspection_level"] = _("检查等级和得分率区间只能二选一。")
        if (
            self.percent_min is not None
            and self.percent_max is not None
            and self.percent_min > self.percent_max
        ):
            errors["percent_max"] = _("得分率的上限不能低于下限。")
        if errors:
            raise ValidationError(errors)

    def matches_inspection(self, kind: str, level: str, percent: Decimal) -> bool:
        """Whether an inspection result (of an inspection of ``kind``) meets this 检查结果
        rule. Both ends of the band count (以上/以下 include the number)."""
        if self.inspection_kind and self.inspection_kind != kind:
            return False
        if self.inspection_level:
            return level == self.inspection_level
        if self.percent_min is not None and percent < self.percent_min:
            return False
        return self.percent_max is None or percent <= self.percent_max


@scoped(org="org", person="person")
class PointEntry(models.Model):
    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="point_entries"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.PROTECT, related_name="point_entries"
    )
    date = models.DateField(_("日期"), db_index=True)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("事由"), max_length=200)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_key = models.CharField(_("来源键"), max_length=100, blank=True)
    rule = models.ForeignKey(
        PointRule,
        verbose_name=_("规则"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核加分")
        verbose_name_plural = _("考核加分")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source_key"],
                condition=~Q(source_key=""),
                name="pointentry_source_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.points:+} {self.reason}"


@scoped(org="org")
class ArchiveExport(models.Model):
    """A batch export of a group's archives; the task updates ``done`` as it goes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="appraisal/exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.group} {self.done}/{self.total}"
