from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.checks import scoring
from keshi.checks.models import Rubric
from keshi.contests import aggregate
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scoped

USER = settings.AUTH_USER_MODEL


@scoped(org="org", public_in_org=True)
class Contest(models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper", _("论文")
        REFLECTION = "reflection", _("反思")
        LESSON = "lesson", _("优质课")
        DESIGN = "design", _("教学设计")
        GROUP = "group", _("优秀教研组")
        STAR = "star", _("明星教师")
        NEWCOMER = "newcomer", _("教坛新秀")
        SUBJECT = "subject", _("学科竞赛")

    class Phase(models.TextChoices):
        SIGNUP = "signup", _("报名")
        SUBMIT = "submit", _("提交")
        REVIEW = "review", _("评审")
        NOTICE = "notice", _("公示")
        RESULT = "result", _("结果")

    class Aggregation(models.TextChoices):
        MEAN = aggregate.MEAN, _("平均分")
        TRIMMED = aggregate.TRIMMED_MEAN, _("去掉最高分和最低分后的平均分")

    LEVELS = (
        ("first", _("一等奖")),
        ("second", _("二等奖")),
        ("third", _("三等奖")),
        ("merit", _("优秀奖")),
    )

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="contests"
    )
    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("评分表"), on_delete=models.PROTECT, related_name="contests"
    )
    phase = models.CharField(_("阶段"), max_length=10, choices=Phase.choices, default=Phase.SIGNUP)
    signup_start = models.DateField(_("报名开始"), null=True, blank=True)
    submit_start = models.DateField(_("提交开始"), null=True, blank=True)
    review_start = models.DateField(_("评审开始"), null=True, blank=True)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    result_date = models.DateField(_("结果发布"), null=True, blank=True)
    aggregation = models.CharField(
        _("汇总方式"), max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    judges_per_entry = models.PositiveSmallIntegerField(_("每件作品评委数"), default=3)
    quota_first = models.PositiveSmallIntegerField(_("一等奖名额"), default=1)
    quota_second = models.PositiveSmallIntegerField(_("二等奖名额"), default=2)
    quota_third = models.PositiveSmallIntegerField(_("三等奖名额"), default=3)
    quota_merit = models.PositiveSmallIntegerField(_("优秀奖名额"), default=0)
    rubric_data = models.JSONField(
        _("冻结的评分表"), default=dict, blank=True, editable=False
    )  # {"name", "criteria", "levels"}, copied when judging starts
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评比")
        verbose_name_plural = _("评比")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title

    def quotas(self) -> list[tuple[str, int]]:
        """(label, quota) per award level, for display."""
        return [(str(label), getattr(self, f"quota_{key}")) for key, label in self.LEVELS]

    def quota_keys(self) -> list[tuple[str, int]]:
        """(level key, quota) per award level, as stored in ``Entry.award``."""
        return [(key, getattr(self, f"quota_{key}")) for key, _label in self.LEVELS]

    @property
    def rubric_frozen(self) -> bool:
        return bool(self.rubric_data)

    def criteria_list(self) -> list[scoring.Criterion]:
        """The frozen criteria once judging started, else the rubric's current ones."""
        if self.rubric_data:
            return [scoring.Criterion.from_json(c) for c in self.rubric_data["criteria"]]
        return self.rubric.criteria_list()

    def levels_list(self) -> list[scoring.Level]:
        if self.rubric_data:
            return [scoring.Level.from_json(lv) for lv in self.rubric_data.get("levels", [])]
        return self.rubric.levels_list()

    @property
    def has_rounds(self) -> bool:
        """学科竞赛: 报名 → 预赛 → 复赛 → 成绩发布, scored per round instead of by judges."""
        return self.kind == self.Kind.SUBJECT

    @property
    def published(self) -> bool:
        return self.phase in (self.Phase.NOTICE, self.Phase.RESULT)


def entry_path(instance: "Entry", filename: str) -> str:
    return f"contests/{instance.contest_id}/{instance.code}/{filename}"


@scoped(org="contest__org", person="person")
class Entry(models.Model):
    """参评作品. Judges know it by ``code`` only; the author is a person or a group."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(_("作品编号"), max_length=12, unique=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("作者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest_entries",
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("参评组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest_entries",
    )
    title = models.CharField(_("题目"), max_length=200)
    document = models.FileField(_("作品文件"), upload_to=entry_path, blank=True)
    document_name = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    score = models.DecimalField(
        _("最终得分"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    award = models.CharField(_("奖项"), max_length=10, blank=True, choices=Contest.LEVELS)
    recommended_from = models.ForeignKey(
        "self",
        verbose_name=_("推荐自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommended_as",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("参评作品")
        verbose_name_plural = _("参评作品")
        ordering = ["contest", "rank", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) ^ models.Q(group__isnull=True),
                name="entry_person_xor_group",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def author_name(self) -> str:
        return str(self.person or self.group)


@scoped(org="entry__contest__org", person="judge")
class Assignment(models.Model):
    """One judge on one entry, with the judge's scores once given."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(
        Person, verbose_name=_("评委"), on_delete=models.PROTECT, related_name="contest_assignments"
    )
    scores = models.JSONField(_("各项得分"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评委分配")
        verbose_name_plural = _("评委分配")
        ordering = ["entry__code", "judge__name"]
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.judge}"

    @property
    def scored(self) -> bool:
        return self.total is not None


@scoped(org="contest__org", public_in_org=True)
class Round(models.Model):
    """A round of a 学科竞赛 (预赛, 复赛…). Closing it fixes who goes on: the top ``advance_top``
    (ties at the cut all go on) or everyone at or above ``advance_line``."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    name = models.CharField(_("名称"), max_length=20)
    advance_top = models.PositiveIntegerField(_("晋级人数（前 N 名）"), null=True, blank=True)
    advance_line = models.DecimalField(
        _("晋级分数线（含）"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    closed = models.BooleanField(_("已结束"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("竞赛轮次")
        verbose_name_plural = _("竞赛轮次")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="round_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.contest} · {self.name}"


@scoped(org="round__contest__org", person="entry__person")
class RoundScore(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="round_scores")
    score = models.DecimalField(_("成绩"), max_digits=8, decimal_places=2, null=True, blank=True)
    advanced = models.BooleanField(_("晋级"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("竞赛成绩")
        verbose_name_plural = _("竞赛成绩")
        ordering = ["round", "entry__code"]
        constraints = [models.UniqueConstraint(fields=["round", "entry"], name="round_score_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.entry} · {self.score}"
