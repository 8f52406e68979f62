"""Timetable, absences and the cover (调课/代课/班主任代理) arranged for them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.calendar.models import Term
from keshi.org.models import Org, Person
from keshi.org.scoping import scoped


class Half(models.TextChoices):
    AM = "am", _("上午")
    PM = "pm", _("下午")


WEEKDAY_LABELS = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}


@scoped(org="org", public_in_org=True)
class CoverSettings(models.Model):
    """Which 节次 are morning, afternoon and evening self-study for an org.

    Periods 1..morning_last are 上午, ..afternoon_last 下午, ..evening_last 晚自习 (counted with
    the afternoon half-day: a teacher away in the afternoon is also away in the evening).
    """

    org = models.OneToOneField(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="cover_settings"
    )
    morning_last = models.PositiveSmallIntegerField(_("上午最后一节"), default=4)
    afternoon_last = models.PositiveSmallIntegerField(_("下午最后一节"), default=8)
    evening_last = models.PositiveSmallIntegerField(
        _("晚自习最后一节"), default=8, help_text=_("与下午最后一节相同表示没有晚自习。")
    )
    makeup_weekday = models.PositiveSmallIntegerField(
        _("调休上班日按星期几的课表"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("课表设置")
        verbose_name_plural = _("课表设置")

    def __str__(self) -> str:
        return f"{self.org} 课表设置"

    def clean(self) -> None:
        if not (1 <= self.morning_last < self.afternoon_last <= self.evening_last <= 20):
            raise ValidationError(
                _("节次设置须满足：1 ≤ 上午最后一节 < 下午最后一节 ≤ 晚自习最后一节 ≤ 20。")
            )

    @property
    def max_period(self) -> int:
        return max(self.afternoon_last, self.evening_last)

    def half_of(self, period: int) -> str:
        return Half.AM if period <= self.morning_last else Half.PM


@scoped(org="org", person="person", public_in_org=False)
class TimetableEntry(models.Model):
    """One weekly lesson: who teaches which class what, on which weekday and 节次."""

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="timetable_entries"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("学期"), on_delete=models.CASCADE, related_name="timetable_entries"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.CASCADE, related_name="timetable_entries"
    )
    weekday = models.PositiveSmallIntegerField(
        _("星期"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    period = models.PositiveSmallIntegerField(_("节次"), validators=[MinValueValidator(1)])
    class_name = models.CharField(_("班级"), max_length=50)
    subject = models.CharField(_("学科"), max_length=50)
    room = models.CharField(_("教室"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("课表")
        verbose_name_plural = _("课表")
        ordering = ["term", "person", "weekday", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "person", "weekday", "period"], name="timetable_person_slot"
            )
        ]
        indexes = [models.Index(fields=["term", "class_name"])]

    def __str__(self) -> str:
        return f"{self.weekday_label}第{self.period}节 {self.class_name}{self.subject}"

    @property
    def weekday_label(self) -> str:
        return WEEKDAY_LABELS.get(self.weekday, str(self.weekday))


@scoped(org="org", person="person")
class HomeroomDuty(models.Model):
    """班主任: ``person`` is the homeroom teacher of ``class_name`` in ``term``."""

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="homeroom_duties"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("学期"), on_delete=models.CASCADE, related_name="homeroom_duties"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("班主任"), on_delete=models.CASCADE, related_name="homeroom_duties"
    )
    class_name = models.CharField(_("班级"), max_length=50)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("班主任")
        verbose_name_plural = _("班主任")
        ordering = ["term", "class_name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "class_name"], name="homeroom_unique_class")
        ]

    def __str__(self) -> str:
        return f"{self.class_name} 班主任 {self.person}"


@scoped(org="org", person="person")
class Absence(models.Model):
    """A person away from ``start_date`` (half ``start_half``) to ``end_date`` (``end_half``).

    ``reference`` ties the row to where it came from: ``dispatch:<pk>`` for a training dispatch,
    ``manual:<pk>`` (or blank) for one entered by hand.
    """

    class Kind(models.TextChoices):
        TRAINING = "training", _("外出培训")
        SICK = "sick", _("病假")
        PERSONAL = "personal", _("事假")
        MEETING = "meeting", _("会议/公务")
        OTHER = "other", _("其他")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="absences"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.CASCADE, related_name="absences"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("事由"), max_length=200)
    start_date = models.DateField(_("开始日期"))
    start_half = models.CharField(_("开始"), max_length=2, choices=Half.choices, default=Half.AM)
    end_date = models.DateField(_("结束日期"))
    end_half = models.CharField(_("结束"), max_length=2, choices=Half.choices, default=Half.PM)
    reference = models.CharField(_("来源"), max_length=50, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("外出/请假")
        verbose_name_plural = _("外出/请假")
        ordering = ["-start_date", "start_half", "person", "pk"]
        indexes = [models.Index(fields=["org", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.title}（{self.span_label}）"

    @property
    def span_label(self) -> str:
        start = f"{self.start_date:%m-%d}{Half(self.start_half).label}"
        end = f"{self.end_date:%m-%d}{Half(self.end_half).label}"
        return start if start == end else f"{start}至{end}"

    def clean(self) -> None:
        if (
            self.start_date
            and self.end_date
            and (self.end_date, self.end_half) < (self.start_date, self.start_half)
        ):
            raise ValidationError({"end_date": _("结束时间不能早于开始时间。")})
        if self.person_id and self.org_id and self.person.org_id != self.org_id:
            raise ValidationError({"person": _("该教师不属于本单位。")})

    def covers_slot(self, day, half: str) -> bool:
        return (self.start_date, self.start_half) <= (day, half) <= (self.end_date, self.end_half)


@scoped(org="org", person=("cover_person", "absence__person"))
class Cover(models.Model):
    """Who takes an absent teacher's lesson on a date (调课/代课), or their class (班主任代理).

    A lesson on a date is covered at most once while live: the unique constraint is on
    (entry, date) among proposed/confirmed rows.
    """

    class Kind(models.TextChoices):
        SWAP = "swap", _("调课")
        SUBSTITUTE = "substitute", _("代课")
        HOMEROOM = "homeroom", _("班主任代理")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已婉拒")
        CANCELLED = "cancelled", _("已取消")

    LIVE = (Status.PROPOSED, Status.CONFIRMED)

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    absence = models.ForeignKey(
        Absence, verbose_name=_("外出/请假"), on_delete=models.CASCADE, related_name="covers"
    )
    kind = models.CharField(_("方式"), max_length=20, choices=Kind.choices)
    entry = models.ForeignKey(
        TimetableEntry,
        verbose_name=_("课"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="covers",
    )
    date = models.DateField(_("日期"), null=True, blank=True)
    homeroom = models.ForeignKey(
        HomeroomDuty,
        verbose_name=_("班主任工作"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="covers",
    )
    cover_person = models.ForeignKey(
        Person, verbose_name=_("代课/调课教师"), on_delete=models.PROTECT, related_name="covers"
    )
    # 调课 as an exchange: the colleague's lesson (same class) that the absent teacher takes back.
    swap_entry = models.ForeignKey(
        TimetableEntry,
        verbose_name=_("换回的课"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    swap_date = models.DateField(_("换回日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    warnings = models.TextField(_("冲突提示（已确认）"), blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调代课")
        verbose_name_plural = _("调代课")
        ordering = ["date", "entry__period", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "date"],
                condition=models.Q(status__in=["proposed", "confirmed"]),
                name="cover_one_live_per_lesson",
            ),
            models.UniqueConstraint(
                fields=["absence", "homeroom"],
                condition=models.Q(status__in=["proposed", "confirmed"]),
                name="cover_one_live_homeroom",
            ),
        ]
        indexes = [models.Index(fields=["cover_person", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cover_person}"
