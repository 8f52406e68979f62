from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.dispatch import rules, states
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scoped
from keshi.records.models import Activity


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    SCHOOL = "school", _("校级")


class Half(models.TextChoices):
    AM = "am", _("上午")
    PM = "pm", _("下午")


State = models.TextChoices(
    "State", [(code.upper(), (code, _(label))) for code, label in states.LABELS.items()]
)
ObligationKind = models.TextChoices(
    "ObligationKind", [(code.upper(), (code, _(label))) for code, label in rules.LABELS.items()]
)


@scoped(org="org", person=("members__person",))
class Dispatch(models.Model):
    """One training the school sends teachers to (派遣), from request to reimbursement."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("编号"))
    title = models.CharField(_("培训名称"), max_length=200)
    organiser = models.CharField(_("主办单位"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    place = models.CharField(_("培训地点"), max_length=200)
    cross_province = models.BooleanField(_("跨省"), default=False)
    start_date = models.DateField(_("开始日期"))
    start_half = models.CharField(_("开始"), max_length=2, choices=Half.choices, default=Half.AM)
    end_date = models.DateField(_("结束日期"))
    end_half = models.CharField(_("结束"), max_length=2, choices=Half.choices, default=Half.PM)
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    credits = models.DecimalField(_("学分"), max_digits=6, decimal_places=1, default=0)
    professional = models.BooleanField(_("专业科目培训"), default=True)
    cost_estimate = models.DecimalField(
        _("预计费用（元）"), max_digits=10, decimal_places=2, default=0
    )
    reimbursable = models.BooleanField(_("报销费用"), default=True)
    state = models.CharField(
        _("状态"), max_length=24, choices=State.choices, default=states.REQUESTED
    )
    request_comment = models.TextField(_("申请说明"), blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)
    requested_by = models.ForeignKey(
        Person,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("外出培训派遣")
        verbose_name_plural = _("外出培训派遣")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "number"], name="dispatch_serial_once")
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.title}"

    @property
    def serial(self) -> str:
        return f"{self.year}-派-{self.number:04d}"

    @property
    def state_label(self) -> str:
        return states.LABELS[self.state]

    @property
    def span(self) -> tuple:
        return (self.start_date, self.start_half, self.end_date, self.end_half)

    @property
    def days(self) -> float:
        """Length in days, half-days counted (1–2 天调课, 3 天及以上代课)."""
        halves = (self.end_date - self.start_date).days * 2 + 2
        halves -= self.start_half == Half.PM
        halves -= self.end_half == Half.AM
        return halves / 2


@scoped(org="dispatch__org", person="person")
class DispatchTeacher(models.Model):
    """A teacher sent on a dispatch, with their own return and attendance."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.PROTECT, related_name="dispatches"
    )
    returned_at = models.DateTimeField(_("返校时间"), null=True, blank=True)
    attendance_confirmed_at = models.DateTimeField(_("确认出勤"), null=True, blank=True)
    training_record = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reimbursed_at = models.DateTimeField(_("报销时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("派出教师")
        verbose_name_plural = _("派出教师")
        ordering = ["dispatch", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "person"], name="dispatch_teacher_once")
        ]

    def __str__(self) -> str:
        return f"{self.dispatch} · {self.person}"


def obligation_path(instance: Obligation, filename: str) -> str:
    d = instance.dispatch
    return f"dispatch/{d.org_id}/{d.pk}/{instance.pk or 'new'}/{filename}"


@scoped(org="dispatch__org", person="person")
class Obligation(models.Model):
    """A follow-up the teacher owes after the training (返校汇报、心得、汇报课…)."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="obligations")
    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ObligationKind.choices)
    label = models.CharField(_("名称"), max_length=100)
    min_chars = models.PositiveIntegerField(_("最少字数"), null=True, blank=True)
    due_date = models.DateField(_("截止日期"))
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("工作记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("文件"), upload_to=obligation_path, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    met_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("后续任务")
        verbose_name_plural = _("后续任务")
        ordering = ["dispatch", "person__name", "due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.person} · {self.label}"

    @property
    def is_met(self) -> bool:
        return self.met_at is not None


@scoped(org="dispatch__org", person=("person",))
class NoticePart(models.Model):
    """One 联 of the four-part notice (四联培训通知), with its receiver's acknowledgement."""

    class Part(models.IntegerChoices):
        TEACHER = 1, _("第一联 培训教师本人")
        ACADEMIC = 2, _("第二联 教务处")
        GRADE = 3, _("第三联 年级组")
        ARCHIVE = 4, _("第四联 教科室留存")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="notice_parts")
    part = models.PositiveSmallIntegerField(_("联"), choices=Part.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("通知联")
        verbose_name_plural = _("通知联")
        ordering = ["dispatch", "part", "pk"]

    def __str__(self) -> str:
        return f"{self.dispatch.serial} {self.get_part_display()}"

    @property
    def receiver(self) -> str:
        if self.part == self.Part.TEACHER and self.person_id:
            return self.person.name
        if self.part == self.Part.GRADE:
            return self.group.name if self.group_id else _("年级组")
        return {2: _("教务处"), 4: _("教科室")}.get(self.part, "")


@scoped(org="dispatch__org", person=("dispatch__members__person",))
class Transition(models.Model):
    """The log shown on the page: who moved the dispatch, from what to what, when, why."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(max_length=24, blank=True)
    target = models.CharField(max_length=24)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispatch_id}: {self.source} → {self.target}"

    @property
    def target_label(self) -> str:
        return states.LABELS.get(self.target, self.target)
