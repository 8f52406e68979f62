"""Admin for school years (terms inline) and holiday overrides, narrowed by the scoping helper.

Superusers see everything. Office staff who also have ``is_staff`` see and change the rows of
their orgs; global overrides (org empty) stay with superusers.
"""

from datetime import date

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from keshi.calendar import services
from keshi.calendar.models import DayOverride, SchoolYear, Term
from keshi.org.models import Org
from keshi.org.scoping import manageable, scope_for


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return manageable(request.user, super().get_queryset(request))

    def _office(self, request) -> bool:
        return request.user.is_active and bool(scope_for(request.user).manage_paths)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._office(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._office(request)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self._office(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._office(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or self._office(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "org":
            kwargs["queryset"] = manageable(request.user, Org.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TermInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        spans = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("start") or not data.get("end"):
                continue
            for start, end in spans:
                if data["start"] <= end and start <= data["end"]:
                    raise ValidationError(_("两个学期的日期不能重叠。"))
            spans.append((data["start"], data["end"]))


class TermInline(admin.TabularInline):
    model = Term
    formset = TermInlineFormSet
    extra = 0
    fields = ["number", "start", "end"]

    def has_add_permission(self, request, obj=None):
        return ScopedAdmin._office(self, request) or super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return ScopedAdmin._office(self, request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return ScopedAdmin._office(self, request) or super().has_delete_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return ScopedAdmin._office(self, request) or super().has_view_permission(request, obj)


class SchoolYearForm(forms.ModelForm):
    class Meta:
        model = SchoolYear
        fields = ["org", "start_year", "start", "end"]
        help_texts = {
            "start": _("留空则为起始年份的9月1日（医院：1月1日）。"),
            "end": _("留空则为次年8月31日（医院：当年12月31日）。"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].required = False
        self.fields["end"].required = False

    def clean(self):
        data = super().clean()
        year = data.get("start_year")
        if year:
            org = data.get("org")
            if org is not None and services.uses_calendar_years(org):
                start, end = services.calendar_year_dates(year)
            else:
                start, end = date(year, 9, 1), date(year + 1, 8, 31)
            data["start"] = data.get("start") or start
            data["end"] = data.get("end") or end
        return data


@admin.register(SchoolYear)
class SchoolYearAdmin(ScopedAdmin):
    form = SchoolYearForm
    inlines = [TermInline]
    list_display = ["__str__", "org", "start", "end"]
    list_filter = ["org"]
    list_select_related = ["org"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        year = form.instance
        if not change and not year.terms.exists():
            # No term entered: add both with the usual dates (a 年度: its one term, the year).
            dates = services.default_term_dates(year.start_year)
            shape = (dates.first, dates.second)
            if year.is_calendar_year:
                shape = ((year.start, year.end),)
            for number, (start, end) in zip(Term.Number, shape, strict=False):
                term = Term(school_year=year, number=number, start=start, end=end)
                term.full_clean()
                term.save()


@admin.register(DayOverride)
class DayOverrideAdmin(ScopedAdmin):
    list_display = ["date", "kind", "name", "org"]
    list_filter = ["kind", "org"]
    date_hierarchy = "date"
    search_fields = ["name"]
    list_select_related = ["org"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.is_superuser:
            form.base_fields["org"].required = True
        form.base_fields["org"].help_text = _(
            "留空表示全国通用（如 chinese-calendar 尚未收录的年份）。"
        )
        return form
