from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from keshi.calendar.models import Term
from keshi.exams.kinds import SECTIONS
from keshi.exams.models import Exam, ExamSubject
from keshi.org.models import Person
from keshi.records.uploads import UploadLimits, UploadRejected, check_upload
from keshi.web.forms import BootstrapMixin, default_to_current_term

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SUBJECT_LINE = re.compile(r"^\s*(\S+?)\s*[:：\s]\s*(\d+(?:\.\d)?)\s*$")


def _people(org):
    return Person.objects.filter(org=org, active=True).order_by("name")


class ExamForm(BootstrapMixin, forms.ModelForm):
    subjects = forms.CharField(
        label=_("科目与满分"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一个科目：科目名 满分，如“语文 150”；满分不写为 100"),
        error_messages={"required": _("请至少填写一个科目")},
    )

    class Meta:
        model = Exam
        fields = ["term", "name", "kind", "grade", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(school_year__org=org).order_by("-start")
        default_to_current_term(self.fields["term"])
        self.fields["term"].error_messages["required"] = _("请选择学期")
        for name in ("name", "kind", "grade", "start_date", "end_date"):
            self.fields[name].error_messages["required"] = _("请填写%(f)s") % {
                "f": self.fields[name].label
            }

    def clean_subjects(self) -> list[tuple[str, Decimal]]:
        out: dict[str, Decimal] = {}
        for number, line in enumerate(self.cleaned_data["subjects"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _SUBJECT_LINE.match(line)
            try:
                name, full = (
                    (match[1], Decimal(match[2])) if match else (line.strip(), Decimal(100))
                )
            except InvalidOperation:
                raise forms.ValidationError(_("第%(n)s行的满分不是数字") % {"n": number}) from None
            if " " in name or len(name) > 50:
                raise forms.ValidationError(
                    _("第%(n)s行应为“科目名 满分”，如“语文 150”") % {"n": number}
                )
            if full <= 0 or full > 1000:
                raise forms.ValidationError(_("第%(n)s行的满分应在 1–1000 之间") % {"n": number})
            if name in out:
                raise forms.ValidationError(_("科目“%(s)s”重复") % {"s": name})
            out[name] = full
        if not out:
            raise forms.ValidationError(_("请至少填写一个科目"))
        return list(out.items())

    def clean(self):
        data = super().clean()
        start, end, term = data.get("start_date"), data.get("end_date"), data.get("term")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开考日期"))
        if start and term and not (term.start <= start <= term.end):
            self.add_error("start_date", _("开考日期不在所选学期内"))
        return data


class SubjectForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ExamSubject
        fields = ["full_mark", "pass_ratio", "excellent_ratio", "low_ratio"]
        help_texts = {"pass_ratio": _("0–1 之间的小数，如 0.6 表示满分的 60%")}

    def clean(self):
        data = super().clean()
        low, ok, top = data.get("low_ratio"), data.get("pass_ratio"), data.get("excellent_ratio")
        if None not in (low, ok, top) and not (low <= ok <= top):
            self.add_error("pass_ratio", _("应满足 低分线 ≤ 及格线 ≤ 优秀线"))
        return data


class ClassesForm(BootstrapMixin, forms.Form):
    names = forms.CharField(
        label=_("班级"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，或用逗号、顿号分隔，如 初一(1)班"),
        error_messages={"required": _("请填写班级名称")},
    )

    def clean_names(self) -> list[str]:
        return [n for n in re.split(r"[\n,，、;；]+", self.cleaned_data["names"]) if n.strip()]


class TeachersForm(BootstrapMixin, forms.Form):
    """One 任课教师 choice per subject of the exam."""

    def __init__(self, *args, org, subjects: list[str], initial_people: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for index, subject in enumerate(subjects):
            self.fields[f"s{index}"] = forms.ModelChoiceField(
                label=subject,
                queryset=_people(org),
                required=False,
                initial=initial_people.get(subject),
                empty_label=_("（未安排）"),
            )
        self.subjects = subjects

    def teachers(self) -> dict:
        return {s: self.cleaned_data[f"s{i}"] for i, s in enumerate(self.subjects)}


class AssignForm(BootstrapMixin, forms.Form):
    setter = forms.ModelChoiceField(
        label=_("命题人"),
        queryset=Person.objects.none(),
        error_messages={"required": _("请选择命题人")},
    )
    reviewer = forms.ModelChoiceField(
        label=_("审核人"),
        queryset=Person.objects.none(),
        error_messages={"required": _("请选择审核人")},
    )
    submit_due = forms.DateField(label=_("命题截止"), required=False, widget=DATE)
    review_due = forms.DateField(label=_("审核截止"), required=False, widget=DATE)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["setter"].queryset = _people(org)
        self.fields["reviewer"].queryset = _people(org)

    def clean(self):
        data = super().clean()
        if data.get("setter") and data.get("setter") == data.get("reviewer"):
            self.add_error("reviewer", _("审核人不能是命题人本人"))
        s, r = data.get("submit_due"), data.get("review_due")
        if s and r and r < s:
            self.add_error("review_due", _("审核截止不能早于命题截止"))
        return data


class VersionForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("试卷文件"), error_messages={"required": _("请选择文件")})
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = upload.read()
        try:
            content_type = check_upload(
                upload.name,
                content,
                max_bytes=settings.KESHI_MAX_UPLOAD_BYTES,
                limits=UploadLimits.from_settings(settings),
            )
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload.name, content, content_type


class ReviewForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("revise", _("退回修改")), ("final", _("定稿"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审核结论")},
    )
    comment = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "revise" and not data.get("comment", "").strip():
            self.add_error("comment", _("退回修改时请写明审核意见"))
        return data


class ScoreUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("成绩表（.xlsx）"),
        help_text=_("每班一个工作表（表名为班级），或一个工作表带“班级”列；须有学号、姓名和科目列"),
        error_messages={"required": _("请选择文件")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KESHI_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件过大"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("只能导入 .xlsx 文件"))
        return upload


class NotesForm(BootstrapMixin, forms.Form):
    office_notes = forms.CharField(
        label=_("质量分析意见（写入报告）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PaperAnalysisForm(BootstrapMixin, forms.Form):
    subject = forms.ChoiceField(label=_("学科"), error_messages={"required": _("请选择学科")})

    def __init__(self, *args, subjects: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(s, s) for s in subjects]
        for name, label in SECTIONS:
            self.fields[name] = forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": _("请填写%(f)s") % {"f": label}},
            )


class QualityMeetingForm(BootstrapMixin, forms.Form):
    """The 质量分析会 of an exam: for the grade or a subject (the choices the user may take)."""

    subject = forms.ChoiceField(label=_("范围"))
    title = forms.CharField(
        label=_("会议名称"),
        max_length=200,
        required=False,
        help_text=_("留空则为“《考试名》质量分析会”（按学科时含学科名）"),
    )
    day = forms.DateField(
        label=_("日期"), widget=DATE, error_messages={"required": _("请填写会议日期")}
    )
    start_time = forms.TimeField(
        label=_("开始时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("结束时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)

    def __init__(self, *args, subjects: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects
