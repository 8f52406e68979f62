from django import forms
from django.utils.translation import gettext_lazy as _

from keshi.web.forms import BootstrapMixin


class ManualEntryForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("教师"), queryset=None)
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    points = forms.DecimalField(label=_("分值（扣分填负数）"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("事由"), max_length=200)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
