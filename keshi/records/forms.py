"""Forms for records. The record form is built from the kind: its own ``fields`` become inputs
whose values go to ``Activity.data``."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keshi.org.models import Group, Person
from keshi.records import feedback_forms, pending, selectors
from keshi.records.models import Activity, ActivityKind, Unit
from keshi.records.uploads import ACCEPT, UploadLimits, UploadRejected, check_upload, megabytes
from keshi.web.forms import BootstrapMixin, date_widget
from keshi.web.params import parse_id

FIELD_TYPES = ("text", "textarea", "int", "decimal", "date", "url", "choice", "person")
DATA_PREFIX = "f_"
EARLIEST = date(2000, 1, 1)
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_TRUE = {"1", "是", "y", "yes", "true", "必填", "required"}


def _bootstrap(form: forms.Form, small: bool = False) -> None:
    """Bootstrap classes for forms whose fields are set up after BootstrapMixin ran."""
    size = " form-control-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select" + (" form-select-sm" if small else "")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs["class"] = "form-control" + size


def mark_invalid(form: forms.Form) -> None:
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            if name == "observed" and "observed" not in form.fields:
                target = None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)
    mark_invalid(form)


# ---- files ----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        checked, errors = [], []
        limit = settings.KESHI_MAX_UPLOAD_BYTES
        limits = UploadLimits.from_settings(settings)
        for upload in files:
            if upload.size > limit:
                errors.append(
                    _("“%(name)s”过大，单个附件不能超过 %(mb)s")
                    % {"name": upload.name, "mb": megabytes(limit)}
                )
                continue
            content = upload.read()
            try:
                content_type = check_upload(upload.name, content, max_bytes=limit, limits=limits)
            except UploadRejected as exc:
                errors.append(str(exc))
                continue
            checked.append((upload.name, content, content_type))
        self.passed = checked  # kept when another file or field fails (records.pending)
        if errors:
            raise ValidationError(errors)
        return checked


# ---- the record form ------------------------------------------------------------------------


def _data_field(spec: dict) -> forms.Field:
    kind = spec.get("type", "text")
    options = {"label": spec.get("label") or spec["name"], "required": bool(spec.get("required"))}
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **options)
    if kind == "int":
        return forms.IntegerField(min_value=0, max_value=100000, **options)
    if kind == "decimal":
        return forms.DecimalField(max_digits=10, decimal_places=2, min_value=0, **options)
    if kind == "date":
        return forms.DateField(widget=date_widget(), **options)
    if kind == "url":
        return forms.URLField(max_length=500, assume_scheme="https", **options)
    if kind == "choice":
        choices = [("", "—")] + [(c, c) for c in spec.get("choices") or []]
        return forms.ChoiceField(choices=choices, **options)
    return forms.CharField(max_length=200, **options)


def _to_json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    return value


class ActivityForm(forms.Form):
    """One record (or, with ``bulk``, the same record for many people) of one kind."""

    person = forms.ModelChoiceField(
        Person.objects.none(), label=gettext_lazy("教师"), empty_label=None
    )
    people = forms.ModelMultipleChoiceField(
        Person.objects.none(),
        label=gettext_lazy("参加人员"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请至少选择一位教师。")},
    )
    date = forms.DateField(label=gettext_lazy("日期"), widget=date_widget())
    quantity = forms.DecimalField(
        label=gettext_lazy("数量"), max_digits=8, decimal_places=2, initial=1
    )
    credits = forms.DecimalField(
        label=gettext_lazy("学分"), max_digits=6, decimal_places=2, required=False, min_value=0
    )
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200, required=False)
    observed = forms.IntegerField(
        label=gettext_lazy("被听课教师"),
        widget=forms.HiddenInput,
        error_messages={"required": gettext_lazy("请搜索并选择被听课教师。")},
    )
    text = forms.CharField(
        label=gettext_lazy("正文"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=50000,
        error_messages={"required": gettext_lazy("请填写正文。")},
    )
    files = MultipleFileField(
        label=gettext_lazy("附件"),
        required=False,
        help_text=gettext_lazy("可选多个文件：PDF、Word、Excel、PowerPoint、JPG、PNG。"),
    )
    pending = forms.CharField(required=False, widget=forms.HiddenInput)  # see records.pending

    def __init__(
        self,
        *args,
        user,
        kind: ActivityKind,
        bulk: bool = False,
        instance: Activity | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.kind, self.instance = user, kind, instance
        self.observed_person: Person | None = None
        people = selectors.recordable_people(user).filter(org_id__in=self._kind_orgs())
        if bulk:
            del self.fields["person"]
            self.fields["people"].queryset = people
            self.fields["people"].label_from_instance = lambda p: p.name
        else:
            del self.fields["people"]
            if instance is not None or not selectors.records_for_others(user):
                del self.fields["person"]
            else:
                self.fields["person"].queryset = people
                self.fields["person"].initial = selectors.scope_for(user).person_id
        self.fields["date"].initial = timezone.localdate()
        self.fields["quantity"].label = _("数量（%(unit)s）") % {"unit": kind.get_unit_display()}
        if kind.unit not in (Unit.HOUR, Unit.CREDIT) and kind.code != "training":
            del self.fields["credits"]
        names = {f.get("name") for f in kind.fields}
        if "topic" in names:
            del self.fields["title"]
        elif kind.code in {"paper", "reflection", "reading", "lesson_plan", "blog"}:
            self.fields["title"].required = True
        if not kind.has_observed or bulk:
            del self.fields["observed"]
        if not kind.has_text:
            del self.fields["text"]
        if bulk:
            del self.fields["files"]
        for spec in kind.fields:
            self.fields[DATA_PREFIX + spec["name"]] = _data_field(spec)
        if "files" in self.fields:  # attachments last
            self.fields["files"] = self.fields.pop("files")
        if "observed" in self.fields:  # 听课反馈: instrument scores, private notes
            org = instance.org if instance else kind.org or selectors.home_org_for(user)
            feedback_forms.add_fields(self, org=org, instance=instance, user=user)
        if instance is not None:
            self._initial_from(instance)
        elif "observed" in self.fields and self.initial.get("observed"):
            self.observed_person = selectors.directory_person(user, self.initial["observed"])
            if self.observed_person is None:
                self.initial.pop("observed")
        _bootstrap(self)
        if "text" in self.fields:
            self.fields["text"].widget.attrs["data-count-chars"] = "1"

    def _kind_orgs(self) -> list[int]:
        if self.kind.org_id:
            return [self.kind.org_id]
        return list(selectors.recordable_people(self.user).values_list("org_id", flat=True))

    def _initial_from(self, a: Activity) -> None:
        self.initial.update(
            date=a.date,
            quantity=a.quantity.normalize(),
            credits=a.credits.normalize(),
            title=a.title,
            text=a.text,
            observed=a.observed_id,
        )
        for spec in self.kind.fields:
            self.initial[DATA_PREFIX + spec["name"]] = a.data.get(spec["name"])
        self.observed_person = a.observed

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate() + timedelta(days=1):
            raise ValidationError(_("日期不能晚于今天。"))
        if value < EARLIEST:
            raise ValidationError(_("日期过早，请检查。"))
        return value

    def clean_quantity(self):
        value = self.cleaned_data["quantity"]
        if value <= 0:
            raise ValidationError(_("数量必须大于0。"))
        return value

    def clean_text(self):
        value = self.cleaned_data["text"]
        if not value.strip():
            raise ValidationError(_("请填写正文。"))
        return value

    def person_shown(self) -> Person | None:
        """Whom the record is for before the form is valid (the 计入 panel): the person picked,
        else the recorder."""
        if "person" not in self.fields:
            return self.target_person() if "people" not in self.fields else None
        value = self.data.get("person") if self.is_bound else self.initial.get("person")
        pk = parse_id(str(value or self.fields["person"].initial or ""))
        return self.fields["person"].queryset.filter(pk=pk).first() if pk else None

    def target_person(self) -> Person | None:
        if self.instance is not None:
            return self.instance.person
        if "person" in self.fields:
            return self.cleaned_data.get("person")
        return (
            selectors.recordable_people(self.user)
            .filter(pk=selectors.scope_for(self.user).person_id)
            .first()
        )

    def clean(self):
        data = super().clean()
        if "observed" in self.fields and data.get("observed"):
            person = self.target_person()
            org = person.org if person else None
            self.observed_person = selectors.directory_person(self.user, data["observed"], org=org)
            if self.observed_person is None:
                self.add_error("observed", _("请从搜索结果中选择本单位的教师。"))
            elif person is not None and self.observed_person.pk == person.pk:
                self.add_error("observed", _("不能登记听自己的课。"))
        if "rubric" in self.fields:
            feedback_forms.clean(self)
        if "files" in self.fields and "files" in data:  # kept from a submission with errors
            data["files"] = self._pending() + data["files"]
        if not self.fields.get("people") and self.target_person() is None:
            raise ValidationError(_("您没有对应的教师档案，请选择要为其登记的教师。"))
        return data

    def full_clean(self) -> None:
        super().full_clean()
        mark_invalid(self)
        self.pending_token, self.pending_names = "", []
        if self.is_bound and self.errors and "files" in self.fields:
            kept = self.cleaned_data.get("files")
            if kept is None:  # a file was refused: keep the others
                kept = self._pending() + getattr(self.fields["files"], "passed", [])
            self.pending_token = pending.stash(self.user, kept)
            self.pending_names = [name for name, _content, _type in kept]

    def _pending(self) -> list:
        return pending.unstash(self.user, self.data.get("pending", ""))

    def values(self) -> dict:
        """Keyword arguments for services.record_activity / update_activity."""
        d = self.cleaned_data
        extra = {}
        for spec in self.kind.fields:
            value = d.get(DATA_PREFIX + spec["name"])
            if value not in (None, ""):
                extra[spec["name"]] = _to_json(value)
        return {
            "on": d["date"],
            "title": d.get("title") or (extra.get("topic") or ""),
            "quantity": d["quantity"],
            "credits": d.get("credits") or 0,
            "text": d.get("text", ""),
            "observed": self.observed_person if "observed" in self.fields else None,
            "data": extra,
        }

    def feedback_values(self) -> dict:
        return feedback_forms.values(self)

    def instrument_items(self) -> list:
        return feedback_forms.items(self)

    def data_fields(self) -> list:
        return [self[n] for n in self.fields if n.startswith(DATA_PREFIX)]


# ---- review ---------------------------------------------------------------------------------


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("通过")), ("return", gettext_lazy("退回"))],
        label=gettext_lazy("审核结果"),
    )
    comment = forms.CharField(label=gettext_lazy("审核意见"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("退回时请填写原因。"))
        return data


# ---- kinds ----------------------------------------------------------------------------------


def parse_field_lines(text: str) -> list[dict]:
    """“name|label|type|required|choices” per line; choices split by 、 or commas."""
    fields, errors, seen = [], [], set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        parts += [""] * (5 - len(parts))
        name, label, kind, required, choices = parts[:5]
        where = _("第%(n)s行") % {"n": number}
        if not _NAME.fullmatch(name):
            errors.append(f"{where}：" + _("字段名须为小写英文字母开头的字母、数字或下划线"))
            continue
        if name in seen:
            errors.append(f"{where}：" + _("字段名“%(name)s”重复") % {"name": name})
        seen.add(name)
        kind = kind or "text"
        if kind not in FIELD_TYPES:
            errors.append(
                f"{where}：" + _("类型应为 %(types)s 之一") % {"types": "、".join(FIELD_TYPES)}
            )
        spec = {"name": name, "label": label or name, "type": kind}
        if required.lower() in _TRUE:
            spec["required"] = True
        options = [c for c in re.split(r"[、,，;；]", choices) if c.strip()]
        if kind == "choice":
            if not options:
                errors.append(f"{where}：" + _("选择类型须列出选项"))
            spec["choices"] = [c.strip() for c in options]
        fields.append(spec)
    if errors:
        raise ValidationError(errors)
    return fields


def format_field_lines(fields: list[dict]) -> str:
    lines = []
    for f in fields:
        parts = [f["name"], f.get("label", ""), f.get("type", "text")]
        parts.append("必填" if f.get("required") else "")
        parts.append("、".join(f.get("choices") or []))
        lines.append("|".join(parts).rstrip("|"))
    return "\n".join(lines)


class KindForm(BootstrapMixin, forms.Form):
    label = forms.CharField(label=gettext_lazy("名称"), max_length=50)
    code = forms.CharField(
        label=gettext_lazy("代码"),
        max_length=40,
        help_text=gettext_lazy("英文小写字母、数字、下划线，如 home_visit；保存后不宜修改。"),
    )
    unit = forms.ChoiceField(label=gettext_lazy("计量单位"), choices=Unit.choices)
    has_text = forms.BooleanField(label=gettext_lazy("有正文（计字数）"), required=False)
    has_observed = forms.BooleanField(label=gettext_lazy("有被听课教师"), required=False)
    needs_review = forms.BooleanField(label=gettext_lazy("需审核"), required=False)
    needs_report = forms.BooleanField(
        label=gettext_lazy("需提交汇报（无汇报视为未完成）"), required=False
    )
    fields_text = forms.CharField(
        label=gettext_lazy("自定义字段"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "font-monospace"}),
        help_text=gettext_lazy(
            "每行一个字段：字段名|显示名|类型|必填|选项。类型：text 单行、textarea 多行、int 整数、"
            "decimal 小数、date 日期、url 链接、choice 选择（选项用“、”分隔）。"
            "例：level|级别|choice|必填|校级、区级、市级"
        ),
    )
    position = forms.IntegerField(
        label=gettext_lazy("排序"), min_value=0, max_value=1000, initial=100
    )
    active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not _CODE.fullmatch(code):
            raise ValidationError(_("代码须为小写英文字母开头的字母、数字或下划线。"))
        return code

    def clean_fields_text(self):
        return parse_field_lines(self.cleaned_data["fields_text"])

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d["fields"] = d.pop("fields_text")
        return d


# ---- list filters and import ----------------------------------------------------------------


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=50)
    kind = forms.ModelChoiceField(
        ActivityKind.objects.none(),
        label=gettext_lazy("类型"),
        required=False,
        empty_label=gettext_lazy("全部类型"),
    )
    person = forms.ModelChoiceField(
        Person.objects.none(),
        label=gettext_lazy("教师"),
        required=False,
        empty_label=gettext_lazy("全部教师"),
    )
    group = forms.ModelChoiceField(
        Group.objects.none(),
        label=gettext_lazy("组"),
        required=False,
        empty_label=gettext_lazy("全部组"),
    )
    start = forms.DateField(
        label=gettext_lazy("起始日期"),
        required=False,
        widget=date_widget(),
    )
    end = forms.DateField(
        label=gettext_lazy("截止日期"),
        required=False,
        widget=date_widget(),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态"))] + list(Activity.Status.choices),
    )

    def __init__(self, user, data) -> None:
        super().__init__(data)
        org = selectors.home_org_for(user)
        self.fields["kind"].queryset = selectors.kinds_for_org(org, active_only=False)
        people = selectors.listable_people(user)
        self.may_pick_person = people.count() > 1
        self.fields["person"].queryset = people
        self.fields["group"].queryset = selectors.listable_groups(user)
        self.may_pick_group = self.fields["group"].queryset.exists()
        for name, shown in (("person", self.may_pick_person), ("group", self.may_pick_group)):
            if not shown:
                self.fields[name].widget = forms.HiddenInput()
        self.fields["q"].widget.attrs["placeholder"] = _("标题或正文")
        _bootstrap(self, small=True)

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped rather than failing the page."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


IMPORT_SUFFIXES = (".xlsx", ".csv")


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("记录文件"),
        help_text=gettext_lazy(".xlsx 或 .csv；第一张含“姓名”或“工号”列的表。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_SUFFIXES)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_SUFFIXES):
            raise ValidationError(_("只能上传 .xlsx 或 .csv 文件"))
        if upload.size > settings.KESHI_MAX_UPLOAD_BYTES:
            limit = settings.KESHI_MAX_UPLOAD_BYTES // (1024 * 1024)
            raise ValidationError(_("文件过大（上限 %(mb)s MB）") % {"mb": limit})
        return upload
