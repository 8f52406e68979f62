from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.calendar.ages import full_years
from keshi.org.scoping import scoped


@scoped(org="", public_in_org=True)
class Org(models.Model):
    """A tenant: a district office, a school, a hospital. Orgs form a tree."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("区教育局/教科室")
        SCHOOL = "school", _("学校")
        KINDERGARTEN = "kindergarten", _("幼儿园")
        HOSPITAL = "hospital", _("医院")
        OTHER = "other", _("其他")

    code = models.SlugField(_("单位代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.SCHOOL)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path "/1/5/": subtree queries are one indexed prefix match.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            super().save(update_fields=["path"])
            if old:
                for child in self.children.all():
                    child.save()

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def subtree(self) -> models.QuerySet["Org"]:
        return Org.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list["Org"]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        by_id = Org.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


@scoped(org="org", public_in_org=True)
class Group(models.Model):
    """科室、教研组、备课组、年级组、课题组: any set of people inside an org."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("科室")
        SUBJECT = "subject", _("教研组")
        PREP = "prep", _("备课组")
        GRADE = "grade", _("年级组")
        RESEARCH = "research", _("课题组")
        OTHER = "other", _("其他")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.SUBJECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    subject = models.CharField(_("学科"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组")
        verbose_name_plural = _("组")
        ordering = ["org", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="group_unique_name")]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A label on a person: 骨干教师 levels, 学科带头人, 135教师, 新教师, 青年教师…"""

    name = models.CharField(_("名称"), max_length=50, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@scoped(org="org", person="pk")
class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    staff_no = models.CharField(_("工号"), max_length=40, blank=True)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    work_start = models.DateField(_("参加工作时间"), null=True, blank=True)
    teaching_start = models.DateField(_("任教起始日期"), null=True, blank=True)
    subject = models.CharField(_("任教学科"), max_length=50, blank=True)
    title = models.CharField(_("职称"), max_length=50, blank=True)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=30, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="people")
    active = models.BooleanField(_("在职"), default=True)
    history = HistoricalRecords(m2m_fields=[tags])

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["org", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "staff_no"],
                condition=~Q(staff_no=""),
                name="person_unique_staff_no",
                violation_error_message=_("本单位已有人使用该工号。"),
            )
        ]
        indexes = [models.Index(fields=["org", "name"])]

    def __str__(self) -> str:
        return self.name

    def age(self, at: date | None = None) -> int | None:
        """周岁 at ``at`` (today by default)."""
        if not self.birth_date:
            return None
        return full_years(self.birth_date, at or date.today())

    def teaching_years(self, at: date | None = None) -> int | None:
        """教龄: completed years since teaching started (else since starting work)."""
        start = self.teaching_start or self.work_start
        if not start:
            return None
        return full_years(start, at or date.today())


class DatedQuerySet(models.QuerySet):
    def current(self, at: date | None = None) -> "DatedQuerySet":
        at = at or date.today()
        return self.filter(
            Q(start__isnull=True) | Q(start__lte=at), Q(end__isnull=True) | Q(end__gte=at)
        )


@scoped(org="group__org", person="person")
class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("组长")
        DEPUTY = "deputy", _("副组长")
        MEMBER = "member", _("成员")

    LEAD_ROLES = (Role.LEAD, Role.DEPUTY)

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("组"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    start = models.DateField(_("起始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("组成员")
        verbose_name_plural = _("组成员")
        ordering = ["group", "role", "person__name"]

    def __str__(self) -> str:
        return f"{self.group} · {self.person} · {self.get_role_display()}"


@scoped(org="org", person=("mentor", "mentee"))
class Mentorship(models.Model):
    """师徒结对 (青蓝工程)."""

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="mentorships"
    )
    mentor = models.ForeignKey(
        Person, verbose_name=_("师傅"), on_delete=models.CASCADE, related_name="mentees_set"
    )
    mentee = models.ForeignKey(
        Person, verbose_name=_("徒弟"), on_delete=models.CASCADE, related_name="mentors_set"
    )
    subject = models.CharField(_("学科"), max_length=50, blank=True)
    start = models.DateField(_("起始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("师徒结对")
        verbose_name_plural = _("师徒结对")
        ordering = ["org", "mentor__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="mentorship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"
