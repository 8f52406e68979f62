"""教研活动 (schedules and sessions), 校本研修 projects with the 六个一 checklist, open classes.

Attendance rows carry the activity record they produced (``activity``), which is what makes
closing, granting and re-closing idempotent: a row with a record gets no second one.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.calendar.models import Term
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scoped
from keshi.records.kinds import LEVELS
from keshi.records.models import Activity

WEEKDAYS = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
]


def new_signin_key() -> str:
    """The per-object secret that QR sign-in tokens are signed with (keshi.groupwork.signin)."""
    return secrets.token_urlsafe(24)


def signin_key_field():
    """Never shown, never in a form, not kept in the history: a new one voids every code."""
    return models.CharField(max_length=32, default=new_signin_key, editable=False)


class Every(models.TextChoices):
    """How often a schedule repeats; the codes are the plan extractor's periods."""

    WEEK = "week", _("每周")
    TWO_WEEKS = "2weeks", _("每两周")
    MONTH = "month", _("每月")


WEEKS_OF_MONTH = [(1, _("第一个")), (2, _("第二个")), (3, _("第三个")), (4, _("第四个"))]


class SignIn(models.TextChoices):
    LIST = "list", _("组长点名")
    QR = "qr", _("扫码签到")


@scoped(org="org", public_in_org=True)
class Schedule(models.Model):
    """A group's fixed slot for a term (两固定: time and place): its weekday every teaching week
    from ``first_week``, every other one, or the ``week_of_month``-th of each month."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        Group, verbose_name=_("教研组"), on_delete=models.CASCADE, related_name="schedules"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("学期"), on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=WEEKDAYS)
    every = models.CharField(_("周期"), max_length=8, choices=Every.choices, default=Every.WEEK)
    first_week = models.PositiveSmallIntegerField(_("从第几周开始"), default=1)
    week_of_month = models.PositiveSmallIntegerField(
        _("每月第几个"), choices=WEEKS_OF_MONTH, default=1
    )
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=100)
    plan = models.TextField(_("活动计划"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("教研活动安排")
        verbose_name_plural = _("教研活动安排")
        ordering = ["group__name", "weekday"]

    def __str__(self) -> str:
        return f"{self.group} · {self.when} {self.start_time:%H:%M} {self.place}"

    @property
    def when(self) -> str:
        """每周三 / 每两周星期三 / 每月第一个星期一."""
        if self.every == Every.MONTH:
            return _("每月%(n)s%(day)s") % {
                "n": self.get_week_of_month_display(),
                "day": self.get_weekday_display(),
            }
        return f"{self.get_every_display()}{self.get_weekday_display()}"


class Audience(models.TextChoices):
    """Who a 例会 is for: named people, or the org's group leads (kept in step by a refresh)."""

    PEOPLE = "people", _("指定人员（如行政班子）")
    GROUP_LEADS = "group_leads", _("各组组长（教研组、备课组、年级组）")
    SUBJECT_LEADS = "subject_leads", _("各教研组组长（学科主任）")


@scoped(org="org", public_in_org=True)
class Meeting(models.Model):
    """例会: 行政碰头会, 组长会, 学科主任会. Its body is a group of kind 其他 whose memberships are
    the attendees, so schedules, sessions, sign-in and attendance statistics work as for a
    教研组; a meeting's sessions give no activity record and set no quota."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField(
        Group, verbose_name=_("参会人员组"), on_delete=models.CASCADE, related_name="meeting"
    )
    audience = models.CharField(
        _("参会人员"), max_length=16, choices=Audience.choices, default=Audience.PEOPLE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("例会")
        verbose_name_plural = _("例会")
        ordering = ["group__name"]

    def __str__(self) -> str:
        return self.group.name


@scoped(org="org", public_in_org=True)
class Session(models.Model):
    """One 教研活动 on one day. Closed sessions count: attendees have their records."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        Group, verbose_name=_("教研组"), on_delete=models.CASCADE, related_name="sessions"
    )
    schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("活动安排"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    date = models.DateField(_("日期"), db_index=True)
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    end_time = models.TimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    topic = models.CharField(_("主题"), max_length=200, blank=True)
    host = models.ForeignKey(
        Person,
        verbose_name=_("主持人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes = models.TextField(_("活动纪要"), blank=True)
    closed_at = models.DateTimeField(_("结束时间（签到关闭）"), null=True, blank=True)
    signin_key = signin_key_field()
    history = HistoricalRecords(excluded_fields=["signin_key"])

    class Meta:
        verbose_name = _("教研活动")
        verbose_name_plural = _("教研活动")
        ordering = ["-date", "-start_time", "-pk"]

    def __str__(self) -> str:
        return f"{self.group} · {self.date} · {self.topic or _('（未定主题）')}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


@scoped(org="session__org", person="person")
class SessionAttendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.CASCADE, related_name="+"
    )
    method = models.CharField(_("签到方式"), max_length=4, choices=SignIn.choices)
    signed_at = models.DateTimeField(_("签到时间"), auto_now_add=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("教研活动签到")
        verbose_name_plural = _("教研活动签到")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="session_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.person}"


def session_file_path(instance: SessionFile, filename: str) -> str:
    return f"groupwork/{instance.session.org_id}/session-{instance.session_id}/{filename}"


@scoped(org="session__org", public_in_org=True)
class SessionFile(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to=session_file_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


# ---- 校本研修 ------------------------------------------------------------------------------


class Material(models.TextChoices):
    """六个一."""

    PLAN = "plan", _("活动方案")
    SIGNIN = "signin", _("签到表")
    RECORD = "record", _("活动记录")
    NEWS = "news", _("新闻报道")
    HOMEWORK = "homework", _("教师作业")
    EVALUATION = "evaluation", _("评价表")


@scoped(org="org", public_in_org=True)
class TrainingProject(models.Model):
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("研修主题"), max_length=200)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    credits = models.DecimalField(_("学分"), max_digits=6, decimal_places=2, default=0)
    organiser = models.CharField(_("组织者"), max_length=100)
    description = models.TextField(_("内容简介"), blank=True)
    granted_at = models.DateTimeField(_("学时发放时间"), null=True, blank=True)
    override_reason = models.CharField(_("材料不全仍发放的理由"), max_length=300, blank=True)
    signin_key = signin_key_field()
    history = HistoricalRecords(excluded_fields=["signin_key"])

    class Meta:
        verbose_name = _("校本研修")
        verbose_name_plural = _("校本研修")
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return self.title


@scoped(org="project__org", person="person")
class TrainingAttendance(models.Model):
    project = models.ForeignKey(
        TrainingProject, on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.CASCADE, related_name="+"
    )
    method = models.CharField(_("签到方式"), max_length=4, choices=SignIn.choices)
    signed_at = models.DateTimeField(_("签到时间"), auto_now_add=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("校本研修签到")
        verbose_name_plural = _("校本研修签到")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="training_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.person}"


def material_path(instance: TrainingMaterial, filename: str) -> str:
    return f"groupwork/{instance.project.org_id}/training-{instance.project_id}/{filename}"


@scoped(org="project__org", public_in_org=True)
class TrainingMaterial(models.Model):
    """One of the 六个一: an uploaded file or a link to a record (one row per item)."""

    project = models.ForeignKey(TrainingProject, on_delete=models.CASCADE, related_name="materials")
    item = models.CharField(_("材料"), max_length=12, choices=Material.choices)
    file = models.FileField(_("文件"), upload_to=material_path, blank=True)
    name = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("大小"), default=0)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("关联记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("六个一材料")
        verbose_name_plural = _("六个一材料")
        constraints = [
            models.UniqueConstraint(fields=["project", "item"], name="training_material_once")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_item_display()}"

    @property
    def present(self) -> bool:
        return bool(self.file) or self.activity_id is not None


# ---- open classes -------------------------------------------------------------------------


class OpenClassKind(models.TextChoices):
    OPEN = "公开课", _("公开课")
    DEMO = "示范课", _("示范课")
    REPORT = "汇报课", _("汇报课")
    RESEARCH = "研究课", _("研究课")


DEFAULT_ABSENCE_NOTE = "每缺一次按旷课一节论处"


@scoped(org="org", public_in_org=True)
class OpenClass(models.Model):
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        Person, verbose_name=_("授课教师"), on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("日期"), db_index=True)
    period = models.PositiveSmallIntegerField(_("节次"))
    class_name = models.CharField(_("班级"), max_length=50)
    subject = models.CharField(_("学科"), max_length=50, blank=True)
    topic = models.CharField(_("课题"), max_length=200)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    kind = models.CharField(
        _("类型"), max_length=4, choices=OpenClassKind.choices, default=OpenClassKind.OPEN
    )
    level = models.CharField(
        _("级别"), max_length=4, choices=[(v, v) for v in LEVELS], default="校级"
    )
    required_groups = models.ManyToManyField(
        Group, verbose_name=_("须参加的组"), blank=True, related_name="+"
    )
    required_people = models.ManyToManyField(
        Person, verbose_name=_("须参加的教师"), blank=True, related_name="+"
    )
    absence_note = models.CharField(
        _("缺席说明"), max_length=100, blank=True, default=DEFAULT_ABSENCE_NOTE
    )
    closed_at = models.DateTimeField(_("考勤结束"), null=True, blank=True)
    teacher_activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signin_key = signin_key_field()
    history = HistoricalRecords(
        m2m_fields=[required_groups, required_people], excluded_fields=["signin_key"]
    )

    class Meta:
        verbose_name = _("公开课")
        verbose_name_plural = _("公开课")
        ordering = ["-date", "-period", "-pk"]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.kind} · {self.topic}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


@scoped(org="open_class__org", person="person")
class OpenClassAttendance(models.Model):
    open_class = models.ForeignKey(OpenClass, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.CASCADE, related_name="+"
    )
    method = models.CharField(_("签到方式"), max_length=4, choices=SignIn.choices)
    signed_at = models.DateTimeField(_("签到时间"), auto_now_add=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公开课听课签到")
        verbose_name_plural = _("公开课听课签到")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["open_class", "person"], name="open_class_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.open_class} · {self.person}"
