"""Exams (期中、期末、月考…), their subjects, classes and students, scores, and the papers' 命题
and 审核. Every row belongs to an org through its exam or class (keshi.org.scoping).

Students are minimal rows (学号, 姓名, class): no more personal data than a score sheet has.
A paper (PaperAssignment and its versions) is confidential until the exam starts; who may open
it is decided in :mod:`keshi.exams.selectors`, not by the group-lead rule of ``visible``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.calendar.models import Term
from keshi.org.models import Org, Person
from keshi.org.scoping import scoped

FRACTION = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


@scoped(org="org", public_in_org=True)
class Exam(models.Model):
    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("期中")
        FINAL = "final", _("期末")
        MONTHLY = "monthly", _("月考")
        UNIT = "unit", _("单元测")
        DISTRICT = "district", _("区统考")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="exams"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("学期"), on_delete=models.PROTECT, related_name="exams"
    )
    name = models.CharField(_("考试名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    grade = models.CharField(_("年级"), max_length=20, help_text=_("如 初一、高二"))
    start_date = models.DateField(_("开考日期"))
    end_date = models.DateField(_("结束日期"))
    scores_imported_at = models.DateTimeField(_("成绩导入时间"), null=True, blank=True)
    office_notes = models.TextField(_("质量分析意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        ordering = ["-start_date", "-pk"]

    def __str__(self) -> str:
        return self.name


@scoped(org="exam__org", public_in_org=True)
class ExamSubject(models.Model):
    """A subject of an exam; the thresholds are fractions of the full mark."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="subjects")
    subject = models.CharField(_("学科"), max_length=50)
    full_mark = models.DecimalField(
        _("满分"), max_digits=6, decimal_places=1, default=100, validators=[MinValueValidator(1)]
    )
    pass_ratio = models.DecimalField(
        _("及格线（满分的比例）"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.6"),
        validators=FRACTION,
    )
    excellent_ratio = models.DecimalField(
        _("优秀线（满分的比例）"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.85"),
        validators=FRACTION,
    )
    low_ratio = models.DecimalField(
        _("低分线（满分的比例）"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.4"),
        validators=FRACTION,
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考试科目")
        verbose_name_plural = _("考试科目")
        ordering = ["exam", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "subject"], name="exam_subject_once")
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.subject}"


@scoped(org="org", public_in_org=True)
class SchoolClass(models.Model):
    """A class of a grade in a term (初一(1)班), named as the timetable and score sheets name it."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(
        Term, verbose_name=_("学期"), on_delete=models.CASCADE, related_name="+"
    )
    grade = models.CharField(_("年级"), max_length=20)
    name = models.CharField(_("班级"), max_length=50)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        ordering = ["term", "grade", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="school_class_once")]

    def __str__(self) -> str:
        return self.name


@scoped(org="school_class__org", person="person", public_in_org=True)
class ClassTeacher(models.Model):
    """任课教师: who teaches a class a subject this term."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="teachers")
    subject = models.CharField(_("学科"), max_length=50)
    person = models.ForeignKey(
        Person, verbose_name=_("任课教师"), on_delete=models.CASCADE, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任课教师")
        verbose_name_plural = _("任课教师")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "subject"], name="class_teacher_once")
        ]

    def __str__(self) -> str:
        return f"{self.school_class} · {self.subject}"


@scoped(org="org")
class Student(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("班级"), on_delete=models.CASCADE, related_name="students"
    )
    student_no = models.CharField(_("学号"), max_length=40)
    name = models.CharField(_("姓名"), max_length=50)

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        ordering = ["school_class", "student_no"]
        constraints = [
            models.UniqueConstraint(fields=["term", "student_no"], name="student_no_once")
        ]

    def __str__(self) -> str:
        return f"{self.student_no} {self.name}"


@scoped(org="subject__exam__org")
class Score(models.Model):
    class Status(models.TextChoices):
        SAT = "sat", _("参考")
        ABSENT = "absent", _("缺考")
        CHEATED = "cheated", _("作弊")

    subject = models.ForeignKey(ExamSubject, on_delete=models.CASCADE, related_name="scores")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("分数"), max_digits=6, decimal_places=1, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SAT)

    class Meta:
        verbose_name = _("成绩")
        verbose_name_plural = _("成绩")
        constraints = [models.UniqueConstraint(fields=["subject", "student"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.student} · {self.subject.subject}"


@scoped(org="subject__exam__org")
class PaperAssignment(models.Model):
    """命题 of one subject's paper: who sets it, who reviews it, by when, and where it stands."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待提交")
        SUBMITTED = "submitted", _("已提交")
        COMMENTED = "commented", _("审核意见")
        REVISED = "revised", _("已修改")
        FINAL = "final", _("定稿")

    subject = models.OneToOneField(ExamSubject, on_delete=models.CASCADE, related_name="paper")
    setter = models.ForeignKey(
        Person, verbose_name=_("命题人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        Person, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+"
    )
    submit_due = models.DateField(_("命题截止"), null=True, blank=True)
    review_due = models.DateField(_("审核截止"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("命题")
        verbose_name_plural = _("命题")
        ordering = ["subject__exam", "subject__position", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_status_display()}"


def paper_path(instance: PaperVersion, filename: str) -> str:
    exam = instance.assignment.subject.exam
    return f"exams/{exam.org_id}/{exam.pk}/{instance.assignment_id}/{filename}"


@scoped(org="assignment__subject__exam__org")
class PaperVersion(models.Model):
    """One uploaded version of a paper, with the reviewer's words on it."""

    assignment = models.ForeignKey(
        PaperAssignment, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    file = models.FileField(_("文件"), upload_to=paper_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("试卷版本")
        verbose_name_plural = _("试卷版本")
        ordering = ["assignment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="paper_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} v{self.number}"


@scoped(org="exam__org", public_in_org=True)
class QualityMeeting(models.Model):
    """An exam's 质量分析会: a 例会 that meets once (keshi.groupwork), for the whole grade
    (``subject`` blank, scheduled by the office) or for one subject (its 教研组长)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="quality_meetings")
    subject = models.CharField(_("学科"), max_length=50, blank=True)
    session = models.OneToOneField(
        "groupwork.Session", on_delete=models.CASCADE, related_name="quality_meeting"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("质量分析会")
        verbose_name_plural = _("质量分析会")
        ordering = ["exam", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "subject"], name="quality_meeting_once")
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.subject or _('全年级')}"
