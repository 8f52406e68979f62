from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.web.forms import BootstrapMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchoolYearForm(BootstrapMixin, forms.Form):
    start_year = forms.IntegerField(
        label=_("学年起始年份"),
        min_value=2000,
        max_value=2100,
        help_text=_("如 2025 表示 2025—2026学年（2025年9月1日至2026年8月31日）。"),
    )
    first_start = forms.DateField(
        label=_("第一学期开学日期"),
        required=False,
        widget=DATE,
        help_text=_("留空则取九月的第一个星期一。"),
    )
    first_end = forms.DateField(
        label=_("第一学期结束日期"),
        required=False,
        widget=DATE,
        help_text=_("留空则取春节前至少一周的星期日（不晚于1月31日）。"),
    )
    second_start = forms.DateField(
        label=_("第二学期开学日期"),
        required=False,
        widget=DATE,
        help_text=_("留空则取春节两周后的第一个星期一。"),
    )
    second_end = forms.DateField(
        label=_("第二学期结束日期"),
        required=False,
        widget=DATE,
        help_text=_("留空则取七月的第一个星期日。"),
    )


class CalendarYearForm(BootstrapMixin, forms.Form):
    """A hospital's 年度: the calendar year, one term covering it — only the year to ask."""

    start_year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        help_text=_("如 2026 表示 2026年度（2026年1月1日至12月31日）。"),
    )


class NextCalendarYearForm(forms.Form):
    """The next 年度 has fixed dates (1月1日–12月31日): nothing to ask."""


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE)


class NextTermForm(BootstrapMixin, forms.Form):
    """The dates of the next term of the same school year (proposed, editable)."""

    start = _date(_("开学日期"))
    end = _date(_("结束日期"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开学日期。"))
        return data


class NextYearForm(BootstrapMixin, forms.Form):
    """The dates of both terms of the next school year (proposed, editable)."""

    first_start = _date(_("第一学期开学日期"))
    first_end = _date(_("第一学期结束日期"))
    second_start = _date(_("第二学期开学日期"))
    second_end = _date(_("第二学期结束日期"))

    def clean(self):
        data = super().clean()
        for start, end in (("first_start", "first_end"), ("second_start", "second_end")):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, _("结束日期不能早于开学日期。"))
        return data


class ReopenForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("重新开放的原因"),
        max_length=80,
        required=False,
        help_text=_("写入审计记录，如“补录期末检查记录”。"),
    )
