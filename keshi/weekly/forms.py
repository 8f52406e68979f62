from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.weekly.services import NOTE_CHARS
from keshi.weekly.sheet import Day


class NotesForm(forms.Form):
    """One note per day shown on the sheet, named by the day's ISO date."""

    def __init__(self, *args, days: list[Day], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.days = days
        for day in days:
            self.fields[day.key] = forms.CharField(
                label=f"{day.date.month}月{day.date.day}日 {day.weekday}",
                required=False,
                initial=day.note,
                max_length=NOTE_CHARS,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                error_messages={"max_length": _("备注不能超过%(limit_value)d字。")},
            )

    def notes(self) -> dict:
        return {day.date: self.cleaned_data.get(day.key, "") for day in self.days}
