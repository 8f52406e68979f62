"""The list component: ``{% filter_bar %}`` and the paginator block.

A list page extends ``web/list_page.html`` (title, actions, filter bar, table, pagination and
empty state in one place, cards on a phone) and fills its blocks; ``{% filter_bar form %}``
renders a FilterSet's form (or any Django form) as the bar above the list.
"""

from django import forms, template

from keshi.web.filters import style_widgets

register = template.Library()


@register.inclusion_tag("web/filter_bar.html", takes_context=True)
def filter_bar(context, form, clear_url: str = "", filtered: bool = False, keep=("sort",)):
    """The filter bar: every visible field with its label, 筛选 and 清除筛选, errors in Chinese.

    ``form`` is a FilterSet or a form; parameters in ``keep`` that are in the query string
    (a sort order) are carried along as hidden fields."""
    if hasattr(form, "form") and not isinstance(form, forms.BaseForm):
        filterset = form
        form = filterset.form
        filtered = filtered or filterset.filtered
        keep = getattr(filterset, "keep", keep)
    style_widgets(form)
    request = context.get("request")
    fields = [f for f in form.visible_fields() if f.name not in keep]
    kept = []
    if request is not None:
        kept = [(name, request.GET.get(name)) for name in keep if request.GET.get(name)]
    return {
        "form": form,
        "fields": fields,
        "kept": kept,
        "clear_url": clear_url or (request.path if request is not None else ""),
        "filtered": filtered,
    }


@register.simple_tag
def field_is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
