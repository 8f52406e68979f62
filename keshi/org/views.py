"""Pages for people, groups and the org tree. Every query goes through keshi.org.scoping."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keshi.org import selectors
from keshi.org.models import Group, Org, Person, Tag
from keshi.org.scoping import can_manage_org, can_read_org, scope_for, visible
from keshi.web.params import query_id

PAGE_SIZE = 25


def _require_browse(user) -> None:
    """People and group lists are for those who read more than themselves."""
    scope = scope_for(user)
    if not (scope.is_admin or scope.read_paths or scope.lead_group_ids):
        raise PermissionDenied


class _OrgGroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Group) -> str:
        return f"{obj.org.name} · {obj.name}" if self.show_org else obj.name


class PeopleFilterForm(forms.Form):
    ACTIVE = [
        ("1", gettext_lazy("在职")),
        ("0", gettext_lazy("不在职")),
        ("all", gettext_lazy("全部")),
    ]

    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=50)
    org = forms.ModelChoiceField(
        Org.objects.none(),
        label=gettext_lazy("单位"),
        required=False,
        empty_label=gettext_lazy("全部单位"),
    )
    group = _OrgGroupChoice(
        Group.objects.none(),
        label=gettext_lazy("组"),
        required=False,
        empty_label=gettext_lazy("全部组"),
    )
    tag = forms.ModelChoiceField(
        Tag.objects.none(),
        label=gettext_lazy("标签"),
        required=False,
        empty_label=gettext_lazy("全部标签"),
    )
    subject = forms.ChoiceField(label=gettext_lazy("学科"), required=False)
    active = forms.ChoiceField(label=gettext_lazy("状态"), choices=ACTIVE, required=False)
    years_min = forms.IntegerField(
        label=gettext_lazy("教龄不少于"), min_value=0, max_value=70, required=False
    )
    years_max = forms.IntegerField(
        label=gettext_lazy("教龄不超过"), min_value=0, max_value=70, required=False
    )
    missing = forms.BooleanField(label=gettext_lazy("缺出生日期或任教起始日期"), required=False)
    sort = forms.ChoiceField(choices=[(k, k) for k in selectors.PEOPLE_SORTS], required=False)

    def __init__(self, user, data) -> None:
        super().__init__(data)
        orgs = selectors.readable_orgs(user)
        self.fields["org"].queryset = orgs
        self.show_org = orgs.count() > 1
        groups = visible(user, Group.objects.select_related("org")).order_by(
            "org__path", "kind", "name"
        )
        if not self.show_org:
            self.fields["org"].widget = forms.HiddenInput()
        self.fields["q"].widget.attrs["placeholder"] = _("姓名、工号、学科、手机")
        self.fields["group"].queryset = groups
        self.fields["group"].show_org = self.show_org
        people = visible(user, Person.objects.all())
        self.fields["tag"].queryset = Tag.objects.filter(people__in=people).distinct()
        self.fields["subject"].choices = [("", _("全部学科"))] + [
            (s, s) for s in selectors.subjects(user)
        ]
        # Not web.forms.BootstrapMixin: it validates in __init__, before the scoped querysets
        # above are in place.
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped rather than failing the page."""
        self.is_valid()
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if v is not None and v != "" and v is not False
        }
        active = data.pop("active", "1")
        data["active"] = None if active == "all" else active == "1"
        return data


def _filtered_people(request):
    _require_browse(request.user)
    form = PeopleFilterForm(request.user, request.GET)
    filters = form.filters()
    return form, filters, selectors.people_list(request.user, **filters)


@login_required
def people(request):
    form, filters, qs = _filtered_people(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for p in page.object_list:
        p.years = p.teaching_years(today)
    scope = scope_for(request.user)
    filtered = any(k not in ("sort", "active") for k in filters) or filters["active"] is not True
    return render(
        request,
        "org/people.html",
        {
            "form": form,
            "page": page,
            "filtered": filtered,
            "show_org": form.show_org,
            "sort": filters.get("sort", "name"),
            "can_import": scope.manages,
        },
    )


EXPORT_COLUMNS = [
    gettext_lazy("单位"),
    gettext_lazy("工号"),
    gettext_lazy("姓名"),
    gettext_lazy("性别"),
    gettext_lazy("学科"),
    gettext_lazy("职称"),
    gettext_lazy("教研组"),
    gettext_lazy("教龄"),
    gettext_lazy("标签"),
    gettext_lazy("在职"),
]


@login_required
def people_export(request):
    """The filtered people list as .xlsx (every page, same columns as the list)."""
    from openpyxl import Workbook

    from keshi.documents import xlsx

    _form, _filters, qs = _filtered_people(request)
    today = timezone.localdate()
    wb = Workbook()
    ws = wb.active
    ws.title = _("人员")
    xlsx.append(ws, [str(c) for c in EXPORT_COLUMNS])
    for p in qs:
        xlsx.append(
            ws,
            [
                p.org.name,
                p.staff_no,
                p.name,
                p.get_gender_display(),
                p.subject,
                p.title,
                "、".join(m.group.name for m in p.subject_memberships),
                p.teaching_years(today),
                "、".join(t.name for t in p.tags.all()),
                _("是") if p.active else _("否"),
            ],
        )
    for letter, width in zip("ABCDEFGHIJ", (16, 10, 10, 6, 8, 12, 14, 6, 24, 6), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    response = HttpResponse(
        xlsx.to_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"{_('人员名单')}-{today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def person(request, pk: int):
    user = request.user
    qs = visible(user, Person.objects.select_related("org", "user").prefetch_related("tags"))
    obj = get_object_or_404(qs, pk=pk)
    today = timezone.localdate()
    show_trail = can_manage_org(user, obj.org)
    return render(
        request,
        "org/person.html",
        {
            "person": obj,
            "today": today,
            "age": obj.age(today),
            "teaching_years": obj.teaching_years(today),
            "memberships": selectors.person_groups(user, obj),
            "mentorships": selectors.person_mentorships(user, obj),
            "is_self": obj.pk == scope_for(user).person_id,
            "show_login": show_trail or obj.pk == scope_for(user).person_id,
            "trail": selectors.person_audit_trail(obj) if show_trail else None,
        },
    )


@login_required
def groups(request):
    _require_browse(request.user)
    user = request.user
    orgs = selectors.readable_orgs(user)
    org = orgs.filter(pk=org_id).first() if (org_id := query_id(request, "org")) else None
    kind = request.GET.get("kind", "")
    kind = kind if kind in Group.Kind.values else ""
    q = request.GET.get("q", "")[:50]
    qs = selectors.groups_list(user, q=q, kind=kind, org=org)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/groups.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": Group.Kind.choices,
            "org": org,
            "orgs": orgs if orgs.count() > 1 else [],
            "filtered": bool(q or kind or org),
        },
    )


@login_required
def group(request, pk: int):
    user = request.user
    obj = get_object_or_404(visible(user, Group.objects.select_related("org", "parent")), pk=pk)
    scope = scope_for(user)
    # A plain teacher sees that the group exists (groups are public in the org) but not who
    # is in it: memberships are private rows.
    show_members = can_read_org(user, obj.org) or obj.pk in scope.lead_group_ids
    show_trail = can_manage_org(user, obj.org)
    return render(
        request,
        "org/group.html",
        {
            "group": obj,
            "members": selectors.group_members(user, obj) if show_members else None,
            "member_count": selectors.groups_list(user).get(pk=obj.pk).member_count,
            "children": selectors.groups_list(user).filter(parent=obj),
            "trail": selectors.group_audit_trail(obj) if show_trail else None,
        },
    )


@login_required
def tree(request):
    scope = scope_for(request.user)
    if not (scope.is_admin or scope.read_paths):
        raise PermissionDenied
    return render(request, "org/tree.html", {"roots": selectors.org_tree(request.user)})
