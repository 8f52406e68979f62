import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.calendar.models import SchoolYear, Term
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scoped
from keshi.records.models import Activity


@scoped(org="org", public_in_org=True)
class Plan(models.Model):
    """工作计划: one org's (or one 科室's) plan for a term or a school year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        ARCHIVED = "archived", _("已归档")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="plans"
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("科室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    title = models.CharField(_("标题"), max_length=200)
    term = models.ForeignKey(
        Term,
        verbose_name=_("学期"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    school_year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("学年"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source_name = models.CharField(_("导入文件"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.term_id and not self.school_year_id:
            raise ValidationError(_("请选择计划所属的学期或学年。"))


@scoped(org="plan__org", public_in_org=True)
class PlanSection(models.Model):
    """A section of the genre: 指导思想, 工作目标, 主要工作/具体措施, 工作分工, 行事历, or free."""

    class Kind(models.TextChoices):
        GUIDING = "guiding", _("指导思想")
        GOALS = "goals", _("工作目标")
        MEASURES = "measures", _("主要工作与具体措施")
        DUTIES = "duties", _("工作分工")
        CALENDAR = "calendar", _("活动安排（行事历）")
        OTHER = "other", _("其他")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("计划章节")
        verbose_name_plural = _("计划章节")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.title


@scoped(org="plan__org", public_in_org=True)
class Duty(models.Model):
    """工作分工: who is responsible for what."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties")
    person = models.ForeignKey(
        Person,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duties",
    )
    person_name = models.CharField(_("负责人（原文）"), max_length=100, blank=True)
    responsibility = models.TextField(_("职责"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作分工")
        verbose_name_plural = _("工作分工")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.person or self.person_name}：{self.responsibility[:20]}"


@scoped(org="plan__org", public_in_org=True)
class CalendarItem(models.Model):
    """行事历 entry, placed by month, by teaching week or by date (the most precise wins)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        DONE = "done", _("完成")
        CANCELLED = "cancelled", _("取消")
        POSTPONED = "postponed", _("延期")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="calendar_items")
    title = models.CharField(_("内容"), max_length=300)
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    week = models.PositiveSmallIntegerField(_("教学周"), null=True, blank=True)
    date = models.DateField(_("日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    owners = models.ManyToManyField(
        Person, verbose_name=_("负责人"), blank=True, related_name="calendar_items"
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("负责组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calendar_items",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    reason = models.CharField(_("取消/延期原因"), max_length=300, blank=True)
    evidence = models.ManyToManyField(
        Activity, verbose_name=_("佐证记录"), blank=True, related_name="calendar_items"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    history = HistoricalRecords(m2m_fields=[owners])

    class Meta:
        verbose_name = _("行事历")
        verbose_name_plural = _("行事历")
        ordering = ["plan", "date", "week", "month", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12),
                name="calendaritem_month_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.status in (self.Status.CANCELLED, self.Status.POSTPONED)
            and not self.reason.strip()
        ):
            raise ValidationError({"reason": _("取消或延期时请填写原因。")})
        if self.date and self.end_date and self.end_date < self.date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


@scoped(org="org", person="person")
class CalendarFeed(models.Model):
    """A secret iCalendar URL, for one person's items or a whole org's. Revoking it kills the URL."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="calendar_feeds")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self) -> str:
        return f"{self.person or self.org} · {self.token[:6]}…"


@scoped(org="plan__org", public_in_org=True)
class Suggestion(models.Model):
    """A requirement or target the extractor found in an imported plan, waiting for the office
    to confirm it (into a ``Requirement`` or an indicator) or dismiss it."""

    class Kind(models.TextChoices):
        REQUIREMENT = "requirement", _("量化要求")
        TARGET = "target", _("指标")

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        ACCEPTED = "accepted", _("已采纳")
        DISMISSED = "dismissed", _("已忽略")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(
        _("类型"), max_length=12, choices=Kind.choices, default=Kind.REQUIREMENT
    )
    source = models.TextField(_("原文"))
    data = models.JSONField(_("识别结果"), default=dict)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requirement = models.ForeignKey(
        "rules.Requirement",
        verbose_name=_("生成的量化要求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("识别建议")
        verbose_name_plural = _("识别建议")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.source[:40]
