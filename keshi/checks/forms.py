from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keshi.calendar.models import Term
from keshi.checks import selectors, services
from keshi.checks.models import Draw, Inspection, Rubric
from keshi.org.models import Group, Org, Person
from keshi.web.forms import BootstrapMixin, default_to_current_term

EVIDENCE_ACCEPT = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RubricForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    purpose = forms.ChoiceField(label=_("用途"), choices=Rubric.Purpose.choices)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criteria = forms.CharField(
        label=_("评分项目"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}),
        help_text=_("每行一项：<code>名称 | 满分 | 权重（可省，默认按满分） | 说明（可省）</code>"),
    )
    levels = forms.CharField(
        label=_("等级"),
        required=False,
        help_text=_("按得分率划分，如 <code>优 90、良 80、中 60、差 0</code>；可留空"),
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if "criteria" in data:
            try:
                services.parse_rubric(data["criteria"], data.get("levels", ""))
            except ValidationError as exc:
                add_errors(self, exc)
        return data


class InspectionForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Inspection.Kind.choices)
    target = forms.ChoiceField(label=_("评分对象"), choices=Inspection.Target.choices)
    rubric = forms.ModelChoiceField(label=_("评分表"), queryset=Rubric.objects.none())
    term = forms.ModelChoiceField(label=_("学期"), queryset=Term.objects.none(), required=False)
    start = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("被检查组"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("按教师评分时，所选组的成员都会列入评分表"),
    )
    people = forms.ModelMultipleChoiceField(
        label=_("被检查教师"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按住 Ctrl 可多选"),
    )
    classes = forms.CharField(
        label=_("班级"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个，如 初一(3)班"),
    )
    subjects = forms.CharField(
        label=_("学科"),
        required=False,
        max_length=200,
        help_text=_("用顿号分隔，如 语文、数学、英语"),
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("检查人"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("检查人可以打开评分表录入分数"),
    )
    draw = forms.ModelChoiceField(
        label=_("依据的抽签"), queryset=Draw.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(org=org, active=True).order_by("name")
        self.fields["people"].queryset = people
        self.fields["inspectors"].queryset = people
        self.fields["groups"].queryset = Group.objects.filter(org=org).order_by("kind", "name")
        self.fields["rubric"].queryset = selectors.rubrics_for(user, active_only=True).filter(
            Q(org__isnull=True) | Q(org=org)
        )
        self.fields["term"].queryset = Term.objects.filter(school_year__org=org).order_by("-start")
        default_to_current_term(self.fields["term"])
        self.fields["draw"].queryset = selectors.draws_for(user).filter(
            org=org, revealed_at__isnull=False
        )

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        return {
            "people": list(data.pop("people")),
            "groups": list(data.pop("groups")),
            "inspectors": list(data.pop("inspectors")),
            **data,
        }


class RectificationForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("整改要求"), max_length=300)
    responsible = forms.ModelChoiceField(label=_("责任人"), queryset=Person.objects.none())
    due = forms.DateField(
        label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Person.objects.filter(org=org, active=True).order_by(
            "name"
        )


class CloseForm(BootstrapMixin, forms.Form):
    closed_on = forms.DateField(
        label=_("完成日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    closure_note = forms.CharField(label=_("整改情况"), max_length=300)
    evidence = forms.FileField(
        label=_("佐证材料"),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        help_text=_("一个文件：图片（JPG、PNG）、PDF、Word 或 Excel，不超过 %(mb)s MB")
        % {"mb": settings.KESHI_MAX_UPLOAD_BYTES // (1024 * 1024)},
    )

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        if upload.size > settings.KESHI_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("“%(name)s”过大，单个文件不能超过 %(mb)s MB")
                % {"name": upload.name, "mb": settings.KESHI_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        data = upload.read()
        try:
            services.check_evidence(upload.name, data)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["evidence"]) from None
        return upload.name, data


class DrawForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    population_kind = forms.ChoiceField(label=_("抽签对象"), choices=Draw.Population.choices)
    population = forms.CharField(
        label=_("抽签范围"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一项，顺序即公布的顺序；至少两项，不能重复"),
    )
    k = forms.IntegerField(label=_("抽取数量"), min_value=1, max_value=200, initial=3)
    drawer = forms.ModelChoiceField(
        label=_("抽签人"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("如年级主任；留空则由教科室抽签"),
    )

    def __init__(self, *args, user, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drawer"].queryset = selectors.drawer_choices(user, org)

    def population_items(self) -> list[str]:
        return _lines(self.cleaned_data["population"])


class PairForm(BootstrapMixin, forms.Form):
    grade = forms.CharField(label=_("年级"), max_length=20, help_text=_("如 初一、高二"))
    subjects = forms.CharField(
        label=_("学科（抽教案）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个；已按本校教师的任教学科预填"),
    )
    k_subjects = forms.IntegerField(label=_("抽几个学科"), min_value=1, initial=3)
    classes = forms.CharField(
        label=_("班级（抽作业）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个，如 初一(1)班"),
    )
    k_classes = forms.IntegerField(label=_("抽几个班级"), min_value=1, initial=3)
    drawer = forms.ModelChoiceField(
        label=_("抽签人（年级主任）"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, user, org: Org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drawer"].queryset = selectors.drawer_choices(user, org)


class RedrawForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("重抽原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulletinForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("刊名"), max_length=100, initial=_("教科研信息"))
    number = forms.IntegerField(label=_("期号"), min_value=1)
    issue_date = forms.DateField(
        label=_("日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    editor = forms.CharField(label=_("编辑"), max_length=50, required=False)
    inspections = forms.ModelMultipleChoiceField(
        label=_("编入检查结果"),
        queryset=Inspection.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    draws = forms.ModelMultipleChoiceField(
        label=_("编入抽签结果"),
        queryset=Draw.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activities = forms.MultipleChoiceField(
        label=_("编入教研活动（近 60 天）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    news = forms.CharField(
        label=_("动态"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每条动态第一行为小标题，下面是正文；条与条之间空一行"),
    )

    def __init__(self, *args, user, org: Org, activity_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspections"].queryset = (
            selectors.inspections_for(user)
            .filter(org=org)
            .exclude(status=Inspection.Status.PLANNED)
        )
        self.fields["draws"].queryset = selectors.draws_for(user).filter(
            org=org, revealed_at__isnull=False
        )
        self.fields["activities"].choices = activity_choices
        if not activity_choices:
            self.fields["activities"].help_text = _("近期没有可编入的教研活动")
        if not self.fields["draws"].queryset.exists():
            self.fields["draws"].help_text = _("还没有已抽签的结果")
        if not self.fields["inspections"].queryset.exists():
            self.fields["inspections"].help_text = _("还没有进行中或已完成的检查")
        for name in ("inspections", "draws", "activities"):
            self.fields[name].widget.attrs["class"] = "list-unstyled"

    def clean(self):
        data = super().clean()
        if not (
            data.get("inspections")
            or data.get("draws")
            or data.get("activities")
            or (data.get("news") or "").strip()
        ):
            raise ValidationError(_("请至少选择一项内容或写一条动态。"))
        return data


class ItemForm(BootstrapMixin, forms.Form):
    heading = forms.CharField(label=_("小标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
