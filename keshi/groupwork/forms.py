from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.calendar.models import Term
from keshi.groupwork import selectors
from keshi.groupwork.models import (
    WEEKDAYS,
    WEEKS_OF_MONTH,
    Audience,
    Every,
    Material,
    OpenClass,
    Session,
    TrainingProject,
)
from keshi.org.models import Group, Org, Person
from keshi.records.forms import MultipleFileField, date_widget
from keshi.records.models import Activity
from keshi.records.selectors import activity_for
from keshi.web.forms import BootstrapMixin, default_to_current_term


def time_widget() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.subject}）" if obj.subject else obj.name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class RecurrenceFields(forms.Form):
    """每周 / 每两周 (from week N) / 每月第N个星期X, the weekday and the time and place."""

    every = forms.ChoiceField(
        label=_("周期"), choices=Every.choices, initial=Every.WEEK, required=False
    )
    weekday = forms.TypedChoiceField(label=_("星期"), choices=WEEKDAYS, coerce=int, initial=2)
    first_week = forms.IntegerField(
        label=_("从第几周开始"),
        required=False,
        min_value=1,
        max_value=30,
        initial=1,
        help_text=_("每周、每两周：从这个教学周起；每两周的单双周由它决定。"),
    )
    week_of_month = forms.TypedChoiceField(
        label=_("每月第几个"),
        required=False,
        choices=WEEKS_OF_MONTH,
        coerce=int,
        empty_value=1,
        initial=1,
        help_text=_("每月：当月第几个所选星期几，如“第一个星期一”。遇节假日当次跳过。"),
    )
    start_time = forms.TimeField(label=_("开始时间"), widget=time_widget())
    end_time = forms.TimeField(label=_("结束时间"), widget=time_widget())

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("结束时间必须晚于开始时间。"))
        data["every"] = data.get("every") or Every.WEEK  # the fields are optional: 每周, 第1周起
        data["first_week"] = data.get("first_week") or 1
        data["week_of_month"] = data.get("week_of_month") or 1
        return data


class ScheduleForm(BootstrapMixin, RecurrenceFields):
    group = forms.ModelChoiceField(Group.objects.none(), label=_("教研组"))
    term = forms.ModelChoiceField(Term.objects.none(), label=_("学期"))
    place = forms.CharField(label=_("固定地点"), max_length=100)
    plan = forms.CharField(
        label=_("本学期活动计划"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("三落实：计划、组织、内容落实。可逐周列出主题，生成后在每次活动中修改。"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = selectors.managed_groups(user).order_by("org__path", "kind", "name")
        self.fields["group"].queryset = groups
        org_ids = groups.values("org_id")
        terms = Term.objects.filter(school_year__org_id__in=org_ids).select_related("school_year")
        self.fields["term"].queryset = terms.order_by("-start")
        default_to_current_term(self.fields["term"])
        self.order_fields(["group", "term", "every", "weekday", "first_week", "week_of_month"])

    def clean(self):
        data = super().clean()
        group, term = data.get("group"), data.get("term")
        if group and term and term.school_year.org_id != group.org_id:
            self.add_error("term", _("学期不属于该组所在单位。"))
        return data


class SessionForm(BootstrapMixin, forms.ModelForm):
    host = PersonChoice(Person.objects.none(), label=_("主持人"), required=False)

    class Meta:
        model = Session
        fields = ["topic", "host", "date", "start_time", "end_time", "place", "minutes"]
        widgets = {
            "date": date_widget(),
            "start_time": time_widget(),
            "end_time": time_widget(),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = selectors.org_people(org)
        self.fields["topic"].required = True

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("结束时间必须晚于开始时间。"))
        return data


class NewSessionForm(SessionForm):
    group = forms.ModelChoiceField(Group.objects.none(), label=_("教研组"))

    class Meta(SessionForm.Meta):
        fields = ["group", *SessionForm.Meta.fields]

    def __init__(self, *args, user, org: Org, **kwargs) -> None:
        super().__init__(*args, org=org, **kwargs)
        self.fields["group"].queryset = selectors.managed_groups(user).filter(org=org)
        self.order_fields(["group", *SessionForm.Meta.fields])


class AttendanceForm(forms.Form):
    people = PeopleChoice(
        Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="",
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = candidates


class FilesForm(forms.Form):
    files = MultipleFileField(label=_("附件（方案、课件、照片、纪要扫描件）"))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    group = forms.ModelChoiceField(Group.objects.none(), label=_("教研组"), required=False)

    def __init__(self, *args, groups=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups
        self.fields["q"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["group"].widget.attrs["class"] = "form-select form-select-sm"


class ProjectForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TrainingProject
        fields = ["title", "start", "end", "hours", "credits", "organiser", "description"]
        widgets = {
            "start": date_widget(),
            "end": date_widget(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        hours = data.get("hours")
        if hours is not None and hours <= 0:
            self.add_error("hours", _("学时必须大于0。"))
        credits = data.get("credits")
        if credits is not None and credits < 0:
            self.add_error("credits", _("学分不能为负数。"))
        return data


class MaterialForm(forms.Form):
    item = forms.ChoiceField(choices=Material.choices, widget=forms.HiddenInput)
    file = MultipleFileField(label=_("上传文件"), required=False)
    activity = forms.IntegerField(label=_("或关联记录编号"), required=False, min_value=1)

    def __init__(self, *args, user, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.org = user, org

    def clean_activity(self) -> Activity | None:
        pk = self.cleaned_data.get("activity")
        if not pk:
            return None
        activity = activity_for(self.user, pk)
        if activity is None or activity.org_id != self.org.pk:
            raise forms.ValidationError(_("没有这条记录，或它不属于本单位。"))
        return activity

    def clean(self):
        data = super().clean()
        files, activity = data.get("file") or [], data.get("activity")
        if not self.errors and bool(files) == bool(activity):
            raise forms.ValidationError(_("请上传一个文件，或填写一条关联记录的编号（二选一）。"))
        if len(files) > 1:
            raise forms.ValidationError(_("每项材料只能上传一个文件。"))
        return data


class GrantForm(forms.Form):
    override_reason = forms.CharField(
        label=_("材料不全仍发放的理由"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class OpenClassForm(BootstrapMixin, forms.ModelForm):
    teacher = PersonChoice(Person.objects.none(), label=_("授课教师"))
    required_groups = forms.ModelMultipleChoiceField(
        Group.objects.none(),
        label=_("须参加的组"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    required_people = PeopleChoice(
        Person.objects.none(),
        label=_("须参加的教师"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("按住 Ctrl 可多选。须参加者缺席会列入缺勤统计。"),
    )

    class Meta:
        model = OpenClass
        fields = [
            "teacher",
            "kind",
            "level",
            "topic",
            "subject",
            "class_name",
            "date",
            "period",
            "place",
            "required_groups",
            "required_people",
            "absence_note",
        ]
        widgets = {"date": date_widget()}

    def __init__(self, *args, user, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = selectors.open_class_teachers(user).filter(org=org)
        self.fields["required_groups"].queryset = Group.objects.filter(org=org).order_by(
            "kind", "name"
        )
        self.fields["required_people"].queryset = selectors.org_people(org)

    def clean_period(self):
        period = self.cleaned_data.get("period")
        if period is not None and not 1 <= period <= 12:
            raise forms.ValidationError(_("节次应在1到12之间。"))
        return period


class MeetingForm(BootstrapMixin, RecurrenceFields):
    """A 例会 and its slot for a term; ``initial`` may come from a plan's 行事历 clause."""

    name = forms.CharField(
        label=_("例会名称"), max_length=100, help_text=_("如 行政碰头会、组长会")
    )
    audience = forms.ChoiceField(label=_("参会人员"), choices=Audience.choices)
    people = PeopleChoice(
        Person.objects.none(),
        label=_("指定人员"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "参会人员选“指定人员”时必选，按住 Ctrl 可多选；选各组组长时按当前组长自动列入。"
        ),
    )
    chair = PersonChoice(Person.objects.none(), label=_("主持人（负责点名）"), required=False)
    term = forms.ModelChoiceField(Term.objects.none(), label=_("学期"))
    place = forms.CharField(label=_("地点"), max_length=100)

    field_order = ["name", "audience", "people", "chair", "term", "every", "weekday"]

    def __init__(self, *args, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = selectors.org_people(org)
        self.fields["people"].queryset = people
        self.fields["chair"].queryset = people
        self.fields["term"].queryset = Term.objects.filter(school_year__org=org).order_by("-start")
        default_to_current_term(self.fields["term"])
        self.fields["weekday"].initial = 0

    def clean(self):
        data = super().clean()
        if data.get("audience") == Audience.PEOPLE and not data.get("people"):
            self.add_error("people", _("请选择参会的人员。"))
        return data


class MembersForm(forms.Form):
    people = PeopleChoice(
        Person.objects.none(),
        label=_("参会人员"),
        widget=forms.SelectMultiple(attrs={"size": 10, "class": "form-select"}),
    )

    def __init__(self, *args, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = selectors.org_people(org)
