from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.org.models import Org, Person
from keshi.org.scoping import scoped


class Unit(models.TextChoices):
    LESSON = "节", _("节")
    PIECE = "篇", _("篇")
    CHAR = "字", _("字")
    HOUR = "学时", _("学时")
    CREDIT = "学分", _("学分")
    TIME = "次", _("次")


class ActivityKindQuerySet(models.QuerySet):
    def offered_to(self, org: Org | None) -> "ActivityKindQuerySet":
        """The kinds meant for ``org``'s kind of org: those with no audience, and those whose
        audience is its kind (a hospital's 业务学习 stays out of a school's pickers), and the
        org's own kinds whatever their audience."""
        if org is None:
            return self.filter(audience="")
        return self.filter(models.Q(audience="") | models.Q(audience=org.kind) | models.Q(org=org))


@scoped(org="org", public_in_org=True)
class ActivityKind(models.Model):
    """听课、反思、论文、培训…: what can be recorded. Data, not code.

    Built-in kinds have ``org`` empty and are shared by every org; an org adds its own.
    ``fields`` describes the kind's own inputs: a list of
    ``{"name", "label", "type": text|textarea|int|decimal|date|url|choice|person, "required",
    "choices"}``; their values live in ``Activity.data``.
    """

    org = models.ForeignKey(
        Org,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activity_kinds",
    )
    code = models.SlugField(_("代码"), max_length=40)
    label = models.CharField(_("名称"), max_length=50)
    unit = models.CharField(_("计量单位"), max_length=4, choices=Unit.choices, default=Unit.PIECE)
    has_text = models.BooleanField(_("有正文（计字数）"), default=False)
    has_observed = models.BooleanField(_("有被听课人"), default=False)
    needs_review = models.BooleanField(_("需审核"), default=False)
    needs_report = models.BooleanField(_("需提交汇报（无汇报视为未完成）"), default=False)
    fields = models.JSONField(_("自定义字段"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)
    audience = models.CharField(
        _("适用单位类型"),
        max_length=20,
        choices=Org.Kind.choices,
        blank=True,
        help_text=_("留空为所有单位；如“医院”只在医院的记录类型中出现。"),
    )

    history = HistoricalRecords()
    objects = ActivityKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("记录类型")
        verbose_name_plural = _("记录类型")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="activitykind_unique_code"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(org__isnull=True),
                name="activitykind_unique_builtin",
            ),
        ]

    def __str__(self) -> str:
        return self.label


@scoped(org="org", person="person")
class Activity(models.Model):
    """One recorded piece of work (记录)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")

    # Records in these states count towards requirements.
    COUNTED = (Status.SUBMITTED, Status.APPROVED)

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="activities"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("教师"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("日期"), db_index=True)
    title = models.CharField(_("标题/课题"), max_length=200, blank=True)
    quantity = models.DecimalField(_("数量"), max_digits=8, decimal_places=2, default=1)
    credits = models.DecimalField(_("学分"), max_digits=6, decimal_places=2, default=0)
    text = models.TextField(_("正文"), blank=True)
    chars = models.PositiveIntegerField(_("字数"), default=0)
    observed = models.ForeignKey(
        Person,
        verbose_name=_("被听课教师"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observed_in",
    )
    data = models.JSONField(_("其他信息"), default=dict, blank=True)
    complete = models.BooleanField(_("材料齐全"), default=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
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
        verbose_name = _("工作记录")
        verbose_name_plural = _("工作记录")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["kind", "date", "person"], name="activity_kind_date_person"),
            models.Index(fields=["person", "date"], name="activity_person_date"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.kind} · {self.date}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.activity.org_id}/{instance.activity_id}/{filename}"


@scoped(org="activity__org", person="activity__person")
class Attachment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


@scoped(org="activity__org", person=("activity__observed", "activity__person"))
class Feedback(models.Model):
    """听课反馈: what an observation (an :class:`Activity` of a kind with 被听课人) gives back.

    The observer's side: the instrument (a checks ``Rubric``, frozen into ``rubric_data`` the way
    an inspection freezes it) with its item ``scores`` and the total, percentage and level
    computed by ``keshi.checks.scoring``; and ``private_notes`` (仅自己可见的备注), which only the
    observer ever sees. The 评课意见 themselves stay in ``Activity.data["comments"]``.

    The observed teacher's side: 已阅 (``acknowledged_at``) and a 回复.

    Visibility is not the scoping helper's alone: see ``keshi.records.feedback_selectors``.
    """

    activity = models.OneToOneField(
        Activity, verbose_name=_("听课记录"), on_delete=models.CASCADE, related_name="feedback"
    )
    rubric = models.ForeignKey(
        "checks.Rubric",
        verbose_name=_("评价量表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rubric_data = models.JSONField(_("量表（评分时）"), default=dict, blank=True, editable=False)
    scores = models.JSONField(_("各项得分"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_total = models.DecimalField(
        _("满分"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(
        _("得分率"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    level = models.CharField(_("等级"), max_length=20, blank=True)
    private_notes = models.TextField(_("仅自己可见的备注"), blank=True, max_length=5000)
    acknowledged_at = models.DateTimeField(_("已阅时间"), null=True, blank=True)
    reply = models.TextField(_("回复"), blank=True, max_length=2000)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("听课反馈")
        verbose_name_plural = _("听课反馈")

    def __str__(self) -> str:
        return str(self.activity)

    @property
    def scored(self) -> bool:
        return self.percent is not None


@scoped(org="org", person="observer")
class ObservationAssignment(models.Model):
    """听课任务: one observer is to observe one teacher's lesson between ``start`` and ``due``.

    Made from a draw (推门听课: drawn teacher × observer; 示范课: a drawn teacher observes the
    open class) by ``keshi.checks.draw_work``. Done when the observer records an observation of
    the teacher dated in the window (``activity``, see keshi.records.assignment_services).
    Private to the observer (and, as always, their group leads and the office): a 推门 visit is
    not announced to the observed teacher.
    """

    class Purpose(models.TextChoices):
        DROP_IN = "drop_in", _("推门听课")
        DEMO = "demo", _("示范课听课")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="observation_tasks"
    )
    purpose = models.CharField(
        _("类型"), max_length=10, choices=Purpose.choices, default=Purpose.DROP_IN
    )
    draw = models.ForeignKey(
        "checks.Draw",
        verbose_name=_("依据的抽签"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observation_assignments",
    )
    observer = models.ForeignKey(
        Person,
        verbose_name=_("听课教师"),
        on_delete=models.PROTECT,
        related_name="observation_tasks",
    )
    teacher = models.ForeignKey(
        Person, verbose_name=_("授课教师"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("开始日期"))
    due = models.DateField(_("截止日期"))
    lesson = models.CharField(_("课次"), max_length=200, blank=True)
    open_class = models.ForeignKey(
        "groupwork.OpenClass",
        verbose_name=_("公开课"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("听课记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("听课任务")
        verbose_name_plural = _("听课任务")
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "observer", "teacher"], name="assignment_once_per_draw"
            ),
            models.CheckConstraint(
                condition=models.Q(due__gte=models.F("start")), name="assignment_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.observer} → {self.teacher} · {self.get_purpose_display()}"

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def state(self, today) -> str:
        """``done`` 已完成, ``overdue`` 逾期 or ``open`` 待完成 on ``today``."""
        if self.done:
            return "done"
        return "overdue" if today > self.due else "open"
