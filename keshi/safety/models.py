"""不良事件上报 (adverse-event reports) of a hospital (#24 item 3).

A report is confidential: besides the system admin only its reporter, the heads (组长/副组长)
of the 科室 it was reported from and the hospital's 医务科 (office staff of the report's own
org) read it — see :func:`keshi.safety.selectors.reports_for`. Colleagues, the 院长, the
upper authority and other hospitals do not.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scoped


class Category(models.TextChoices):
    MEDICAL = "medical", _("医疗")
    NURSING = "nursing", _("护理")
    DRUG = "drug", _("药品")
    DEVICE = "device", _("医疗器械")
    INFECTION = "infection", _("院内感染")
    FALL = "fall", _("跌倒/坠床")
    BLOOD = "blood", _("输血")
    OTHER = "other", _("其他")


class Severity(models.TextChoices):
    """The national grading of medical-safety events (I 级最重)."""

    I = "1", _("Ⅰ级（警告事件）")  # noqa: E741 -- the grade's own name
    II = "2", _("Ⅱ级（不良后果事件）")
    III = "3", _("Ⅲ级（未造成后果事件）")
    IV = "4", _("Ⅳ级（隐患事件）")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已上报")
    ACCEPTED = "accepted", _("医务科已受理")
    CLOSED = "closed", _("已处理完毕")


@scoped(org="org", person="reporter")
class IncidentReport(models.Model):
    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="incident_reports"
    )
    department = models.ForeignKey(
        Group,
        verbose_name=_("科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_reports",
    )
    reporter = models.ForeignKey(
        Person, verbose_name=_("上报人"), on_delete=models.PROTECT, related_name="incident_reports"
    )
    occurred_on = models.DateField(_("发生日期"))
    place = models.CharField(_("发生地点"), max_length=100, blank=True)
    category = models.CharField(_("事件类别"), max_length=12, choices=Category.choices)
    severity = models.CharField(_("事件等级"), max_length=1, choices=Severity.choices)
    title = models.CharField(_("事件简述"), max_length=200)
    description = models.TextField(_("事件经过"))
    measures = models.TextField(_("已采取的措施"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    handling = models.TextField(_("医务科处理意见"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上报时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("不良事件报告")
        verbose_name_plural = _("不良事件报告")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.occurred_on} · {self.title}"
