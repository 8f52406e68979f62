from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.org.models import Org, Person
from keshi.org.scoping import scoped
from keshi.research import lifecycle


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    SCHOOL = "school", _("校级")


# Reviewed by district staff rather than the school's office.
DISTRICT_REVIEWED = (Level.NATIONAL, Level.PROVINCE, Level.CITY, Level.DISTRICT)

Status = models.TextChoices(
    "Status", [(code.upper(), (code, _(label))) for code, label in lifecycle.LABELS.items()]
)
StageName = models.TextChoices(
    "StageName",
    [(code.upper(), (code, _(lifecycle.LABELS[code]))) for code in lifecycle.ALL_STAGES],
)


class Kind(models.TextChoices):
    """What a project is, and so which lifecycle it follows (keshi.research.lifecycle.FLOWS)."""

    RESEARCH = "research", _("课题")
    NEW_TECH = "new_tech", _("新技术新项目")  # a hospital's: 申报 → 评估 → 开展 → 总结


@scoped(org="org", person=("leader", "members"))
class ResearchProject(models.Model):
    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="research_projects"
    )
    kind = models.CharField(
        _("项目类型"), max_length=10, choices=Kind.choices, default=Kind.RESEARCH
    )
    title = models.CharField(_("课题名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    leader = models.ForeignKey(
        Person, verbose_name=_("主持人"), on_delete=models.PROTECT, related_name="led_projects"
    )
    members = models.ManyToManyField(
        Person,
        verbose_name=_("成员"),
        through="ProjectMember",
        related_name="research_projects",
        blank=True,
    )
    funding = models.DecimalField(
        _("经费（元）"), max_digits=12, decimal_places=2, default=0, blank=True
    )
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("计划结题日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=lifecycle.DECLARED
    )
    finished = models.BooleanField(_("已结题"), default=False)
    status_reason = models.TextField(_("延期/撤项原因"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("课题")
        verbose_name_plural = _("课题")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def district_reviewed(self) -> bool:
        return self.level in DISTRICT_REVIEWED

    @property
    def flow(self) -> lifecycle.Lifecycle:
        return lifecycle.FLOWS[self.kind]


@scoped(org="project__org", person="person")
class ProjectMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("主持人")
        CORE = "core", _("核心成员")
        MEMBER = "member", _("成员")

    project = models.ForeignKey(
        ResearchProject, on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, verbose_name=_("教师"), on_delete=models.PROTECT)
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("课题成员")
        verbose_name_plural = _("课题成员")
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="research_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


@scoped(org="project__org", person=("project__leader", "project__members"))
class Stage(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待审")
        PASSED = "passed", _("通过")
        RETURNED = "returned", _("退回")

    project = models.ForeignKey(ResearchProject, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("阶段"), max_length=20, choices=StageName.choices)
    due_date = models.DateField(_("截止日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(
        _("审核结论"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.TextField(_("审核意见"), blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("课题阶段")
        verbose_name_plural = _("课题阶段")
        ordering = ["project", "pk"]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_stage_display()}"

    @property
    def required_documents(self) -> tuple[str, ...]:
        return self.project.flow.required_documents.get(self.stage, ())


def document_path(instance: StageDocument, filename: str) -> str:
    project = instance.stage.project
    return f"research/{project.org_id}/{project.pk}/{instance.stage_id}/{filename}"


@scoped(org="stage__project__org", person=("stage__project__leader", "stage__project__members"))
class StageDocument(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="documents")
    label = models.CharField(_("材料"), max_length=50)
    file = models.FileField(_("文件"), upload_to=document_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("课题材料")
        verbose_name_plural = _("课题材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
