from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.calendar.models import Term
from keshi.checks import scoring
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scoped

USER = settings.AUTH_USER_MODEL


@scoped(org="org", public_in_org=True)
class Rubric(models.Model):
    """评分表/检查表/观察量表. Built-ins have ``org`` empty and are shared by every org.

    ``criteria``: ``[{"key", "name", "max", "weight"?, "note"}]``; ``levels``:
    ``[{"label", "min"}]`` with ``min`` a percentage (see keshi.checks.scoring).
    """

    class Purpose(models.TextChoices):
        INSPECTION = "inspection", _("检查")
        OBSERVATION = "observation", _("课堂观察")
        APPRAISAL = "appraisal", _("考评/评比")
        OTHER = "other", _("其他")

    org = models.ForeignKey(
        Org,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rubrics",
    )
    code = models.SlugField(_("代码"), max_length=40, blank=True)
    name = models.CharField(_("名称"), max_length=100)
    purpose = models.CharField(
        _("用途"), max_length=20, choices=Purpose.choices, default=Purpose.INSPECTION
    )
    description = models.TextField(_("说明"), blank=True)
    criteria = models.JSONField(_("评分项目"), default=list)
    levels = models.JSONField(_("等级"), default=list, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["org_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(org__isnull=True) & ~models.Q(code=""),
                name="rubric_unique_builtin",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def builtin(self) -> bool:
        return self.org_id is None

    def criteria_list(self) -> list[scoring.Criterion]:
        return [scoring.Criterion.from_json(c) for c in self.criteria]

    def levels_list(self) -> list[scoring.Level]:
        return [scoring.Level.from_json(lv) for lv in self.levels]

    def max_total(self) -> Decimal:
        return sum((c.max for c in self.criteria_list()), Decimal(0))


@scoped(org="org", person="drawer", public_in_org=True)
class Draw(models.Model):
    """抽签 by commit–reveal (keshi.checks.lottery). The seed is stored from the start but shown
    only once ``revealed_at`` is set."""

    class Population(models.TextChoices):
        SUBJECTS = "subjects", _("学科")
        CLASSES = "classes", _("班级")
        TEACHERS = "teachers", _("教师")
        GROUPS = "groups", _("教研组")
        OTHER = "other", _("其他")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="draws"
    )
    title = models.CharField(_("名称"), max_length=100)
    population_kind = models.CharField(
        _("抽签对象"), max_length=20, choices=Population.choices, default=Population.OTHER
    )
    population = models.JSONField(_("抽签范围"), default=list)
    k = models.PositiveSmallIntegerField(_("抽取数量"))
    commitment = models.CharField(_("承诺值（种子的 SHA-256）"), max_length=64)
    seed = models.CharField(_("种子"), max_length=64)
    result = models.JSONField(_("抽中"), default=list, blank=True)
    drawer = models.ForeignKey(
        Person,
        verbose_name=_("抽签人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="draws",
        help_text=_("如年级主任；教科室人员也可代为抽签"),
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("发起人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_at = models.DateTimeField(_("公布承诺时间"))
    drawn_by = models.ForeignKey(
        USER,
        verbose_name=_("抽签操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revealed_at = models.DateTimeField(_("抽签并公开种子时间"), null=True, blank=True)
    redraw_of = models.OneToOneField(
        "self",
        verbose_name=_("重抽自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redrawn_as",
    )
    redraw_reason = models.CharField(_("重抽原因"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("抽签")
        verbose_name_plural = _("抽签")
        ordering = ["-committed_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None


@scoped(org="org", person="inspectors")
class Inspection(models.Model):
    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("全面检查（期中）")
        FINAL = "final", _("全面检查（期末）")
        MONTHLY = "monthly", _("月查")
        SPOT = "spot", _("抽查")
        PREP = "prep", _("集体备课检查")
        HOMEWORK = "homework", _("作业检查")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        IN_PROGRESS = "in_progress", _("进行中")
        COMPLETED = "completed", _("已完成")

    class Target(models.TextChoices):
        PEOPLE = "people", _("按教师评分")
        GROUPS = "groups", _("按组评分")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    term = models.ForeignKey(
        Term,
        verbose_name=_("学期"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    target = models.CharField(
        _("评分对象"), max_length=10, choices=Target.choices, default=Target.PEOPLE
    )
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("评分表"), on_delete=models.PROTECT, related_name="inspections"
    )
    # The rubric as it was when scoring started: later edits of the rubric leave results alone.
    rubric_data = models.JSONField(default=dict, blank=True, editable=False)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    people = models.ManyToManyField(
        Person, verbose_name=_("被检查教师"), blank=True, related_name="inspected_in"
    )
    groups = models.ManyToManyField(
        Group, verbose_name=_("被检查组"), blank=True, related_name="inspections"
    )
    classes = models.TextField(_("班级"), blank=True, help_text=_("每行一个，如 初一(3)班"))
    subjects = models.CharField(_("学科"), max_length=200, blank=True, help_text=_("用顿号分隔"))
    inspectors = models.ManyToManyField(
        Person, verbose_name=_("检查人"), blank=True, related_name="inspecting"
    )
    draw = models.ForeignKey(
        Draw,
        verbose_name=_("依据的抽签"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[people, groups, inspectors])

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return self.title

    def frozen_rubric(self) -> dict:
        return self.rubric_data or {
            "name": self.rubric.name,
            "criteria": self.rubric.criteria,
            "levels": self.rubric.levels,
        }

    def criteria_list(self) -> list[scoring.Criterion]:
        return [scoring.Criterion.from_json(c) for c in self.frozen_rubric()["criteria"]]

    def levels_list(self) -> list[scoring.Level]:
        return [scoring.Level.from_json(lv) for lv in self.frozen_rubric()["levels"]]


@scoped(org="inspection__org", person="person")
class InspectionResult(models.Model):
    """The score of one inspected teacher (or group) against the inspection's rubric."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey(
        Person,
        verbose_name=_("教师"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_results",
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_results",
    )
    scores = models.JSONField(_("各项得分"), default=dict)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2)
    percent = models.DecimalField(_("得分率"), max_digits=5, decimal_places=2)
    level = models.CharField(_("等级"), max_length=20, blank=True)
    findings = models.TextField(_("检查意见"), blank=True)
    scored_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["inspection", "group__name", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "person"], name="result_unique_person"),
            models.UniqueConstraint(fields=["inspection", "group"], name="result_unique_group"),
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) ^ models.Q(group__isnull=True),
                name="result_person_xor_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.person or self.group}"

    @property
    def subject_name(self) -> str:
        return str(self.person or self.group)


def evidence_path(instance: "Rectification", filename: str) -> str:
    return f"rectifications/{instance.inspection.org_id}/{instance.inspection_id}/{filename}"


@scoped(org="inspection__org", person="responsible")
class Rectification(models.Model):
    """整改: what must be fixed, by whom (责任人, notified when it is added), by when; closed
    with a date, a note and an evidence file."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="rectifications"
    )
    result = models.ForeignKey(
        InspectionResult,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectifications",
    )
    text = models.CharField(_("整改要求"), max_length=300)
    responsible = models.ForeignKey(
        Person, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="rectifications"
    )
    due = models.DateField(_("整改期限"))
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    closure_note = models.CharField(_("整改情况"), max_length=300, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 佐证材料: closing needs one file (image/PDF/Word/Excel), checked by
    # keshi.records.uploads.check_upload and readable only through the evidence view.
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("佐证材料文件名"), max_length=200, blank=True)
    evidence_type = models.CharField(_("佐证材料类型"), max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(_("佐证材料大小"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["closed_on", "due", "pk"]

    def __str__(self) -> str:
        return self.text

    def overdue(self, today: date) -> bool:
        return self.closed_on is None and self.due < today


@scoped(org="org", public_in_org=True)
class Bulletin(models.Model):
    """简报 / 教科研信息, 第N期. Teachers see published issues only."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="bulletins"
    )
    number = models.PositiveIntegerField(_("期号"))
    title = models.CharField(_("标题"), max_length=100, default=_("教科研信息"))
    issue_date = models.DateField(_("日期"))
    editor = models.CharField(_("编辑"), max_length=50, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="bulletin_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} 第{self.number}期"


@scoped(org="bulletin__org", public_in_org=True)
class BulletinItem(models.Model):
    """One piece of a bulletin: a snapshot of its source (editable), optionally with a table."""

    class Source(models.TextChoices):
        INSPECTION = "inspection", _("检查结果")
        DRAW = "draw", _("抽签")
        ACTIVITY = "activity", _("教研活动")
        AWARD = "award", _("获奖")
        NEWS = "news", _("动态")

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.NEWS)
    source_id = models.PositiveIntegerField(null=True, blank=True)
    heading = models.CharField(_("小标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    table = models.JSONField(default=dict, blank=True)  # {"header": [...], "rows": [[...]]}
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("简报条目")
        verbose_name_plural = _("简报条目")
        ordering = ["bulletin", "position", "pk"]

    def __str__(self) -> str:
        return self.heading
