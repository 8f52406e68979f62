from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.org.models import Org
from keshi.org.scoping import scoped


@scoped(org="org", public_in_org=True)
class SchoolYear(models.Model):
    """学年: 1 September of ``start_year`` to 31 August of the next year (by default); a
    hospital's 年度 is the calendar year ``start_year`` (1 January – 31 December), with one term
    covering it (:attr:`is_calendar_year`)."""

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="school_years"
    )
    start_year = models.PositiveSmallIntegerField(_("起始年份"))
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学年")
        verbose_name_plural = _("学年")
        ordering = ["org", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["org", "start_year"], name="schoolyear_unique"),
        ]

    def __str__(self) -> str:
        if self.is_calendar_year:
            return _("%(year)d年度") % {"year": self.start_year}
        # gettext: a hospital says 年度 (keshi.org.glossary)
        return _("%(start)d—%(end)d学年") % {"start": self.start_year, "end": self.start_year + 1}

    @property
    def is_calendar_year(self) -> bool:
        """A 年度 (1 January – 31 December of ``start_year``), as a hospital keeps, not a 学年.

        Read from the dates, so a year keeps its shape whatever its org is called later."""
        if not self.start_year:
            return False
        return (self.start, self.end) == (
            date(self.start_year, 1, 1),
            date(self.start_year, 12, 31),
        )

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开始日期。")})
        if self.org_id and self.start and self.end:
            clash = (
                SchoolYear.objects.filter(
                    org_id=self.org_id, start__lte=self.end, end__gte=self.start
                )
                .exclude(pk=self.pk)
                .first()
            )
            if clash:
                raise ValidationError(
                    _("与%(other)s（%(start)s至%(end)s）的日期重叠。")
                    % {"other": clash, "start": clash.start, "end": clash.end}
                )


@scoped(org="school_year__org", public_in_org=True)
class Term(models.Model):
    """学期. Teaching weeks are numbered 第1周… from the Monday of the week holding ``start``."""

    class Number(models.IntegerChoices):
        FIRST = 1, _("第一学期")
        SECOND = 2, _("第二学期")

    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("学年"), on_delete=models.CASCADE, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("学期"), choices=Number.choices)
    start = models.DateField(_("开学日期"))
    end = models.DateField(_("结束日期"))
    # 关闭学期: read-only from then on (keshi.calendar.closing); reopening clears both, and
    # the history table keeps who closed and reopened it when.
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关闭人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学期")
        verbose_name_plural = _("学期")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="term_unique"),
        ]

    def __str__(self) -> str:
        if self.school_year.is_calendar_year:
            return str(self.school_year)  # the year's only term: "2026年度"
        return f"{self.school_year}{self.get_number_display()}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def clean(self) -> None:
        if not (self.start and self.end):
            return
        if self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开学日期。")})
        try:
            year = self.school_year  # may be unsaved: an admin inline of a new school year
        except SchoolYear.DoesNotExist:
            return
        if self.start < year.start or self.end > year.end:
            raise ValidationError(
                _("学期必须在%(year)s之内（%(start)s至%(end)s）。")
                % {"year": year, "start": year.start, "end": year.end}
            )
        clash = (
            Term.objects.filter(
                school_year__org_id=year.org_id, start__lte=self.end, end__gte=self.start
            )
            .exclude(pk=self.pk)
            .select_related("school_year")
            .first()
        )
        if clash:
            raise ValidationError(
                _("与%(other)s（%(start)s至%(end)s）的日期重叠。")
                % {"other": clash, "start": clash.start, "end": clash.end}
            )


@scoped(org="term__school_year__org", public_in_org=True)
class TermDocument(models.Model):
    """A term-end document (工作总结…) as generated when the term was closed: a closed term
    serves this copy instead of regenerating it from data that may have changed since."""

    term = models.ForeignKey(
        Term, verbose_name=_("学期"), on_delete=models.CASCADE, related_name="documents"
    )
    key = models.CharField(_("文档"), max_length=100)  # e.g. "summary:plan=12"
    name = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("内容"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("学期存档文档")
        verbose_name_plural = _("学期存档文档")
        ordering = ["term", "key"]
        constraints = [
            models.UniqueConstraint(fields=["term", "key"], name="termdocument_unique"),
        ]

    def __str__(self) -> str:
        return self.name


@scoped(org="org", public_in_org=True)
class DayOverride(models.Model):
    """An admin correction to the national holiday calendar: a day off or a 调休 working day.

    ``org`` empty means it applies everywhere (e.g. a year ``chinese-calendar`` does not cover
    yet); otherwise only to that org and the orgs below it.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    org = models.ForeignKey(
        Org,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="day_overrides",
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("说明"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["org", "date"], name="dayoverride_unique"),
            # NULL orgs never compare equal, so global rows need their own constraint.
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(org__isnull=True),
                name="dayoverride_unique_global",
                violation_error_message=_("该日期已有全局的节假日调整。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
