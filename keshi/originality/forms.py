from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.originality.models import Flag
from keshi.web.forms import BootstrapMixin


class ResolveForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (Flag.Status.ACCEPTED, _("可接受（引用）")),
            (Flag.Status.CONFIRMED, _("确认雷同")),
            (Flag.Status.OPEN, _("重新打开")),
        ],
    )
    reason = forms.CharField(label=_("理由"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == Flag.Status.ACCEPTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("标为可接受（引用）时须写明理由。"))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class CorpusForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("所属单位"), queryset=None, empty_label=None)
    files = MultipleFileField(
        label=_("范文文件"), help_text=_("可多选；支持 .txt 和 .docx，每个不超过 5 MB。")
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def clean_files(self):
        files = self.cleaned_data["files"]
        for f in files:
            if not f.name.lower().endswith((".txt", ".docx")):
                raise forms.ValidationError(
                    _("“%(name)s”不是 .txt 或 .docx 文件。") % {"name": f.name}
                )
            if f.size > 5 * 1024 * 1024:
                raise forms.ValidationError(_("“%(name)s”超过 5 MB。") % {"name": f.name})
        return files


class SettingsForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("单位"), queryset=None, empty_label=None)
    threshold = forms.IntegerField(
        label=_("标记阈值（%）"),
        min_value=10,
        max_value=100,
        help_text=_("相似度达到此百分比的记录会被标记，默认 50。"),
    )
    district_wide = forms.BooleanField(label=_("与全区各校比对"), required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
