from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.calendar.models import Term
from keshi.org.models import Org
from keshi.org.scoping import scoped


@scoped(org="org", public_in_org=True)
class WeekSchedule(models.Model):
    """The office's 每周工作安排 for one teaching week: its notes per day and whether it is
    published. What is on that week is read live from the plans, groupwork, checks, dispatch and
    cover apps, so a cover arranged after publishing shows at once."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(
        Term, verbose_name=_("学期"), on_delete=models.CASCADE, related_name="+"
    )
    week = models.PositiveSmallIntegerField(_("周次"))
    notes = models.JSONField(_("每日备注"), default=dict, blank=True)  # "2026-11-30" → text
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("每周工作安排")
        verbose_name_plural = _("每周工作安排")
        ordering = ["term", "week"]
        constraints = [
            models.UniqueConstraint(fields=["org", "term", "week"], name="weekly_once_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.term} 第{self.week}周"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
