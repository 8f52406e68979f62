from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.accounts.models import RoleGrant
from keshi.checks.models import Inspection
from keshi.org.models import Group, Membership, Org, Person, Tag
from keshi.org.scoping import scoped
from keshi.records.models import ActivityKind


class RequirementQuerySet(models.QuerySet):
    def live(self) -> "RequirementQuerySet":
        """The rules in force: enabled, and not waiting in a draft plan (a plan's rules are
        published with it and taken back when it is withdrawn to draft)."""
        return self.filter(active=True).exclude(plan__status="draft")


@scoped(org="org", public_in_org=True)
class Requirement(models.Model):
    """A quantitative requirement of the plan (量化要求), e.g. 教龄不足三年者每学期听课不少于15节.

    Who owes it (``owner``): each person of the audience — everyone active in ``org``, narrowed
    by every audience field that is set (groups, group roles, tags, 教龄 and age ranges —
    inclusive bounds, at the period's start — and mentorship); or each group (the ``groups``
    named, else every group of ``owner_group_kind``), judged once per group over its closed
    教研活动 sessions; or each holder of an org-wide role (``owner_role``, from dated
    ``RoleGrant`` rows), for the days they hold it.
    What (``source``): the records of ``kinds`` (counted states only), measured per item and in
    total; or the completed inspections the person took part in as an inspector (``count``: the
    inspections, ``quantity``: the people or groups scored in them — 人次).
    """

    class Owner(models.TextChoices):
        PERSON = "person", _("每人（适用对象中的每位教师）")
        GROUP = "group", _("按组（每个组一份）")
        ROLE = "role", _("按角色（担任该角色的人）")

    class HolderRole(models.TextChoices):
        """The org-wide roles a requirement can be owed by (the values of RoleGrant.Role)."""

        OFFICE = RoleGrant.Role.OFFICE.value, _("教科室（教研员）")
        LEADER = RoleGrant.Role.LEADER.value, _("学校领导")

    class Source(models.TextChoices):
        RECORDS = "records", _("工作记录（按组：组内已结束的教研活动）")
        INSPECTIONS = "inspections", _("作为检查人完成的检查")

    class Measure(models.TextChoices):
        COUNT = "count", _("条数")
        QUANTITY = "quantity", _("数量合计（节、学时…）")
        CREDITS = "credits", _("学分合计")
        CHARS = "chars", _("字数合计")

    class Comparator(models.TextChoices):
        GTE = "gte", _("不少于（≥）")
        LTE = "lte", _("不超过（≤）")
        EQ = "eq", _("等于（=）")

    class Period(models.TextChoices):
        DAY = "day", _("每天")
        WEEK = "week", _("每周")
        TWO_WEEKS = "two_weeks", _("每两周")
        MONTH = "month", _("每月")
        HALF_YEAR = "half_year", _("每半年")
        TERM = "term", _("每学期")
        SCHOOL_YEAR = "school_year", _("每学年")

    class Deadline(models.TextChoices):
        PERIOD_END = "period_end", _("周期最后一天")
        LAST_FRIDAY = "last_friday", _("周期最后一个星期五")
        LAST_WORKDAY = "last_workday", _("周期最后一个工作日")

    class Mentorship(models.TextChoices):
        NONE = "", _("不限")
        MENTEE_OBSERVES_MENTOR = "mentee_observes_mentor", _("徒弟听师傅的课")
        MENTOR_OBSERVES_MENTEE = "mentor_observes_mentee", _("师傅听徒弟的课")
        MENTEES = "mentees", _("所有徒弟")
        MENTORS = "mentors", _("所有师傅")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="requirements"
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("所属计划"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requirements",
    )
    name = models.CharField(_("名称"), max_length=100)
    source_text = models.TextField(_("计划原文"), blank=True)
    kinds = models.ManyToManyField(
        ActivityKind, verbose_name=_("记录类型"), related_name="requirements"
    )
    measure = models.CharField(
        _("计量"), max_length=10, choices=Measure.choices, default=Measure.COUNT
    )
    item_min_chars = models.PositiveIntegerField(_("单篇最少字数"), null=True, blank=True)
    comparator = models.CharField(
        _("比较"), max_length=3, choices=Comparator.choices, default=Comparator.GTE
    )
    threshold = models.DecimalField(_("数量"), max_digits=10, decimal_places=2)
    period = models.CharField(_("周期"), max_length=12, choices=Period.choices, default=Period.TERM)
    deadline = models.CharField(
        _("截止"), max_length=12, choices=Deadline.choices, default=Deadline.PERIOD_END
    )
    groups = models.ManyToManyField(
        Group, verbose_name=_("适用组"), blank=True, related_name="requirements"
    )
    group_role = models.CharField(
        _("组内角色"),
        max_length=10,
        choices=Membership.Role.choices,
        blank=True,
        help_text=_("如“组长每学期听课不少于50节”选组长；留空为全体成员。"),
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("适用标签"), blank=True, related_name="requirements"
    )
    teaching_years_min = models.PositiveSmallIntegerField(
        _("教龄下限（含）"), null=True, blank=True
    )
    teaching_years_max = models.PositiveSmallIntegerField(
        _("教龄上限（含）"), null=True, blank=True
    )
    age_min = models.PositiveSmallIntegerField(_("年龄下限（含）"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("年龄上限（含）"), null=True, blank=True)
    mentorship = models.CharField(
        _("师徒结对"),
        max_length=24,
        choices=Mentorship.choices,
        blank=True,
        default=Mentorship.NONE,
    )
    owner = models.CharField(
        _("考核对象"), max_length=8, choices=Owner.choices, default=Owner.PERSON
    )
    owner_group_kind = models.CharField(
        _("组类型"),
        max_length=20,
        choices=Group.Kind.choices,
        blank=True,
        help_text=_("按组考核且未选具体的组时，本单位每个该类型的组各考核一份。"),
    )
    owner_role = models.CharField(_("角色"), max_length=20, choices=HolderRole.choices, blank=True)
    source = models.CharField(
        _("统计来源"), max_length=12, choices=Source.choices, default=Source.RECORDS
    )
    inspection_kind = models.CharField(
        _("检查类型"),
        max_length=20,
        choices=Inspection.Kind.choices,
        blank=True,
        help_text=_("按检查统计时只计这一类检查；留空为所有类型。"),
    )
    effective_from = models.DateField(
        _("生效日期"),
        null=True,
        blank=True,
        help_text=_(
            "此日期之前已结束的周期不考核，没有人会因规则出现之前的周而“未完成”；留空为从学期开始考核。"
        ),
    )
    points = models.DecimalField(_("考核分值"), max_digits=6, decimal_places=2, default=0)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords(m2m_fields=[kinds, groups, tags])
    objects = RequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("量化要求")
        verbose_name_plural = _("量化要求")
        ordering = ["org", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for low, high, label in (
            ("teaching_years_min", "teaching_years_max", _("教龄")),
            ("age_min", "age_max", _("年龄")),
        ):
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and lo > hi:
                raise ValidationError({high: _("%(label)s上限不能小于下限。") % {"label": label}})
        if self.threshold is not None and self.threshold < 0:
            raise ValidationError({"threshold": _("数量不能为负数。")})


@scoped(org="person__org", person="person")
class Exemption(models.Model):
    """A person excused from one requirement (or all when ``requirement`` is empty) for a time:
    病假、产假、外出学习、兼职…"""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="exemptions"
    )
    requirement = models.ForeignKey(
        Requirement,
        verbose_name=_("量化要求"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exemptions",
    )
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("豁免")
        verbose_name_plural = _("豁免")
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.person} · {self.reason}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于起始日期。")})


class KindCap(models.Model):
    """A cap inside a rule (其中读书心得最多计1篇): within each period of ``requirement``, the
    records of ``kind`` contribute at most ``limit`` to its tally, in the rule's measure (records
    for ``count``, else the summed 节/学时/学分/字). ``kind`` must be one of the rule's kinds
    (checked by keshi.rules.services)."""

    requirement = models.ForeignKey(
        Requirement, verbose_name=_("量化要求"), on_delete=models.CASCADE, related_name="kind_caps"
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("记录类型"), on_delete=models.CASCADE, related_name="+"
    )
    limit = models.DecimalField(_("最多计入"), max_digits=10, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("计入上限")
        verbose_name_plural = _("计入上限")
        ordering = ["requirement", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "kind"], name="kind_cap_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.requirement} · {self.kind} ≤ {self.limit}"

    def clean(self) -> None:
        if self.limit is not None and self.limit <= 0:
            raise ValidationError({"limit": _("上限必须大于 0。")})
