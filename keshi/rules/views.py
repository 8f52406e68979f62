"""Compliance pages: 我的任务, the matrix with its drill-down, trend data and export, and the
schools compared. Reads go through keshi.rules.selectors, which go through keshi.org.scoping."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term, shown_week, terms_of_org
from keshi.dispatch import selectors as dispatch_selectors
from keshi.org.models import Group, Org, Person, Tag
from keshi.org.scoping import scope_for, visible
from keshi.rules import exports, selectors, selectors_groups
from keshi.rules.models import Requirement
from keshi.rules.status import LABELS, Status
from keshi.web.params import parse_id, query_id

PAGE_SIZE = 30
SECTIONS = [
    ("week", gettext_lazy("本周")),
    ("month", gettext_lazy("本月")),
    ("term", gettext_lazy("本学期")),
    ("year", gettext_lazy("本学年")),
]


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# ---- 我的任务 ---------------------------------------------------------------------------------


@login_required
def my_tasks(request):
    user = request.user
    scope = scope_for(user)
    staff = scope.is_admin or bool(scope.read_paths)
    today = timezone.localdate()
    at = today
    if staff and request.GET.get("at"):
        at = _date(request.GET["at"]) or today
        if at == today and request.GET["at"] != today.isoformat():
            messages.error(request, _("日期格式应为 年-月-日，如 2026-11-26。"))
    asked = request.GET.get("person")
    person_id = query_id(request, "person") if asked else scope.person_id
    if not (asked or person_id):
        return render(request, "rules/my_tasks.html", {"no_person": True, "at": at})
    people = visible(user, Person.objects.select_related("org"))
    person = get_object_or_404(people, pk=person_id)
    term = current_term(person.org, at)
    ctx = {"person": person, "at": at, "term": term, "own": person.pk == scope.person_id}
    ctx["staff"] = staff
    ctx["dispatch_panel"] = dispatch_selectors.task_panel(person, at)
    if term is not None:
        tasks = selectors_groups.my_tasks(user, person=person, term=term, at=at)
        ctx["tasks"] = tasks
        ctx["week"] = shown_week(term, at)
        ctx["sections"] = [
            (label, items) for key, label in SECTIONS if (items := tasks.section(key))
        ]
        ctx["open_count"] = len(tasks.top)
        ctx["has_requirements"] = bool(tasks.items) or (
            selectors.requirements_of(user, person.org).exists()
        )
    return render(request, "rules/my_tasks.html", ctx)


@login_required
def group_standing(request, pk: int):
    """A group's standing on the requirements owed by groups (按组考核): loaded into the group's
    page (a partial for htmx, a page otherwise). Another org's group is 404; a member who does
    not lead it gets 403, like the member list."""
    group = get_object_or_404(visible(request.user, Group.objects.select_related("org")), pk=pk)
    if not selectors_groups.may_read_standing(request.user, group):
        raise PermissionDenied
    at = timezone.localdate()
    term = current_term(group.org, at)
    tasks = (
        selectors_groups.group_tasks(request.user, group=group, term=term, at=at) if term else []
    )
    ctx = {"group": group, "term": term, "at": at, "tasks": tasks}
    partial = request.headers.get("HX-Request") == "true"
    return render(
        request, "rules/_group_standing.html" if partial else "rules/group_standing.html", ctx
    )


# ---- the matrix -------------------------------------------------------------------------------


class MatrixFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=50)
    group = forms.ModelChoiceField(
        Group.objects.none(), label=gettext_lazy("组"), required=False,
        empty_label=gettext_lazy("全部组"),
    )  # fmt: skip
    tag = forms.ModelChoiceField(
        Tag.objects.none(), label=gettext_lazy("标签"), required=False,
        empty_label=gettext_lazy("全部标签"),
    )  # fmt: skip
    requirement = forms.ModelChoiceField(
        Requirement.objects.none(), label=gettext_lazy("要求"), required=False,
        empty_label=gettext_lazy("全部要求"),
    )  # fmt: skip
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False)
    term = forms.ModelChoiceField(
        Term.objects.none(), label=gettext_lazy("学期"), required=False, empty_label=None
    )
    at = forms.DateField(label=gettext_lazy("统计日"), required=False)

    def __init__(self, user, org: Org, data) -> None:
        super().__init__(data)
        scope = scope_for(user)
        groups = visible(user, Group.objects.filter(org=org)).order_by("kind", "name")
        if not (scope.is_admin or scope.read_paths):
            groups = groups.filter(pk__in=scope.lead_group_ids)
        self.fields["group"].queryset = groups
        people = visible(user, Person.objects.filter(org=org))
        self.fields["tag"].queryset = Tag.objects.filter(people__in=people).distinct()
        self.fields["requirement"].queryset = selectors.requirements_of(user, org)
        self.fields["status"].choices = [("", _("全部状态"))] + [
            (s.value, LABELS[s]) for s in Status
        ]
        self.fields["term"].queryset = terms_of_org(user, org)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )
        self.fields["at"].widget.input_type = "date"

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped rather than failing the page."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def _matrix_org(request, orgs: list[Org] | None = None) -> Org | None:
    """The school whose matrix is asked for: one the user reads whole, or a lead's own."""
    user = request.user
    scope = scope_for(user)
    orgs = selectors.matrix_orgs(user) if orgs is None else orgs
    wanted = request.GET.get("org")
    if wanted:
        found = [o for o in orgs if str(o.pk) == wanted]
        if not found and scope.lead_group_ids and str(scope.person_org_id) == wanted:
            return Org.objects.get(pk=scope.person_org_id)
        if not found:
            raise Http404
        return found[0]
    if len(orgs) == 1:
        return orgs[0]
    if not orgs and scope.lead_group_ids:
        return Org.objects.get(pk=scope.person_org_id)
    return None


def _matrix_args(request, org: Org) -> tuple[MatrixFilterForm, dict]:
    form = MatrixFilterForm(request.user, org, request.GET)
    filters = form.filters()
    today = timezone.localdate()
    at = filters.pop("at", None)
    term = filters.pop("term", None) or current_term(org, at or today)
    if at is None and term is not None:
        at = min(today, term.end) if today >= term.start else today
    if "requirement" in filters:
        filters["requirement"] = filters["requirement"].pk
    at = at or today
    shown = request.GET.copy()  # the form shows the term and date in effect
    shown["at"] = at.isoformat()
    if term is not None:
        shown["term"] = str(term.pk)
    form.data = shown
    return form, {"org": org, "term": term, "at": at, **filters}


@login_required
def compliance(request):
    scope = scope_for(request.user)
    orgs = selectors.matrix_orgs(request.user)
    org = _matrix_org(request, orgs)
    if org is None:
        if len(orgs) > 1:
            return _schools(request, orgs)
        if scope.person_id:
            return redirect("rules:my_tasks")
        return render(request, "rules/compliance.html", {"no_org": True})
    form, args = _matrix_args(request, org)
    ctx = {"form": form, "org": org, "term": args["term"], "at": args["at"]}
    ctx["orgs"] = orgs
    ctx["clear_url"] = f"{reverse('rules:compliance')}?org={org.pk}"
    ctx["filtered"] = any(k in args for k in ("q", "group", "tag", "requirement", "status"))
    if args["term"] is not None:
        matrix = selectors.compliance_matrix(request.user, **args)
        ctx["matrix"] = matrix
        ctx["page"] = Paginator(matrix.rows, PAGE_SIZE).get_page(request.GET.get("page"))
        ctx["week"] = shown_week(args["term"], args["at"])
        at_iso = args["at"].isoformat()
        ctx["cell_base"] = (
            f"{reverse('rules:compliance_cell')}?org={org.pk}&term={args['term'].pk}&at={at_iso}"
        )
        ctx["tasks_base"] = f"{reverse('rules:my_tasks')}?at={at_iso}&person="
        for row in ctx["page"].object_list:
            row.cells_html = _cells_html(
                row.cells, f"{ctx['cell_base']}&person={row.person.pk}&requirement="
            )
        ctx["statuses"] = [(s.value, LABELS[s], selectors.STATUS_CSS[s]) for s in Status]
        ctx["summary_statuses"] = [
            (s, LABELS[s], selectors.STATUS_CSS[s]) for s in selectors.SUMMARY_STATUSES
        ]
        ctx["group_matrix"] = selectors_groups.group_matrix(
            request.user, org=org, term=args["term"], at=args["at"]
        )
        ctx["summary"] = [
            (r, [(s.value, counts[s], selectors.STATUS_CSS[s]) for s in selectors.SUMMARY_STATUSES])
            for r, counts in matrix.summary
        ]
    return render(request, "rules/compliance.html", ctx)


_CELL = (
    '<td class="cell {}" title="{}"><a href="{}" hx-get="{}" hx-target="#drill-body" '
    'data-bs-toggle="modal" data-bs-target="#drill">{}</a></td>'
)


def _cells_html(cells: list[selectors.Shown | None], base: str) -> str:
    """A matrix row's cells, built here rather than in the template: 30 rows × a dozen cells
    were a fifth of the page's time in the template engine."""
    na = format_html('<td class="cell text-secondary" title="{}">—</td>', _("不适用"))
    parts = []
    for c in cells:
        if c is None:
            parts.append(na)
            continue
        url = f"{base}{c.cell.requirement_id}"
        parts.append(format_html(_CELL, c.css, c.label, url, url, c.text))
    return mark_safe("".join(parts))  # every part went through format_html


def _schools(request, orgs: list[Org]):
    at = _date(request.GET.get("at")) or timezone.localdate()
    names, rows = selectors.schools_compared(request.user, orgs=orgs, at=at)
    shown = [
        {
            "row": row,
            "shares": _shares(row.overall),
            "by_name": [selectors.good_share(row.by_name.get(n, {})) for n in names],
        }
        for row in rows
    ]
    chart = {
        "schools": [row.org.name for row in rows],
        "series": [
            {"name": LABELS[s], "status": s.value, "data": [x["shares"][i] for x in shown]}
            for i, s in enumerate(selectors.SUMMARY_STATUSES)
        ],
    }
    return render(
        request,
        "rules/compliance_schools.html",
        {"names": names, "rows": shown, "at": at, "chart": chart,
         "labels": [LABELS[s] for s in selectors.SUMMARY_STATUSES]},
    )  # fmt: skip


def _shares(counts: dict) -> list[float | None]:
    total = sum(counts.get(s, 0) for s in selectors.SUMMARY_STATUSES)
    if not total:
        return [None] * len(selectors.SUMMARY_STATUSES)
    return [round(100 * counts.get(s, 0) / total, 1) for s in selectors.SUMMARY_STATUSES]


def _org_or_404(request) -> Org:
    org = _matrix_org(request)
    if org is None:
        raise Http404
    return org


@login_required
def compliance_cell(request):
    """The records behind one cell (a partial for htmx, a page otherwise)."""
    org = _org_or_404(request)
    _form, args = _matrix_args(request, org)
    if args["term"] is None:
        raise Http404
    person = get_object_or_404(
        selectors.matrix_people(request.user, org=org, at=args["at"]),
        pk=query_id(request, "person"),
    )
    requirement = get_object_or_404(
        selectors.requirements_of(request.user, org), pk=query_id(request, "requirement")
    )
    detail = selectors.cell_detail(
        request.user,
        person=person,
        requirement=requirement,
        term=args["term"],
        at=args["at"],
        period_start=_date(request.GET.get("period")),
    )
    ctx = {"detail": detail, "org": org, "term": args["term"], "at": args["at"]}
    cap = selectors.is_cap(requirement)
    ctx["shown"] = selectors.Shown(detail.cell, cap) if detail.cell else None
    ctx["period_label"] = (
        selectors.period_label(requirement.period, detail.cell.period, args["term"])
        if detail.cell
        else ""
    )
    ctx["unit"] = selectors.unit(detail.requirement)
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "rules/_cell.html" if partial else "rules/cell.html", ctx)


@login_required
def compliance_trend(request):
    """Share of people met or on track per teaching week, per requirement (for ECharts)."""
    org = _org_or_404(request)
    _form, args = _matrix_args(request, org)
    if args["term"] is None:
        return JsonResponse({"weeks": [], "series": []})
    people = list(
        selectors.matrix_people(
            request.user,
            org=org,
            at=args["at"],
            group=args.get("group"),
            tag=args.get("tag"),
            q=args.get("q", ""),
        )
    )
    offered = list(selectors.requirements_of(request.user, org))
    ticked = {i for i in (parse_id(v) for v in request.GET.getlist("line")) if i}
    if args.get("requirement"):
        ticked = ticked or {args["requirement"]}
    drawn = [r for r in offered if r.pk in ticked] if ticked else offered
    lines = selectors.trend(
        request.user, term=args["term"], at=args["at"], people=people, requirements=drawn
    )
    if not ticked:  # by default the first rules that have a period over to show
        lines = ([line for line in lines if line.points] or lines)[: selectors.TREND_LINES]
    lines = lines[: selectors.TREND_LINES]
    series = [
        {
            "id": line.requirement.pk,
            "name": line.name,
            "data": [[p.end.isoformat(), p.share] for p in line.points],
        }
        for line in lines
    ]
    return JsonResponse(
        {
            "series": series,
            "requirements": [{"id": r.pk, "name": r.name} for r in offered],
            "selected": [line.requirement.pk for line in lines],
            "limit": selectors.TREND_LINES,
        }
    )


@login_required
def compliance_export(request):
    org = _org_or_404(request)
    _form, args = _matrix_args(request, org)
    if args["term"] is None:
        raise Http404
    matrix = selectors.compliance_matrix(request.user, **args)
    data = exports.matrix_xlsx(matrix)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"达标情况-{org.name}-{args['at']:%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
