"""Pages: the year at a glance, one indicator, the entry grid, the import, departments
compared, and 从计划指标创建. Reads go through ``selectors`` (scoped), writes through
``services``."""

from __future__ import annotations

import base64
from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.indicators import measure, report, selectors, services
from keshi.indicators.forms import IndicatorForm, YearTargetForm, setup_groups
from keshi.indicators.imports import import_figures, read_figures
from keshi.indicators.views_report import last_month
from keshi.org.models import Group, Org
from keshi.org.scoping import can_manage_org, scope_for
from keshi.web.forms import add_validation_error
from keshi.web.params import query_id

STATUS_CSS = {
    measure.Status.MET: "ind-met",
    measure.Status.MISSED: "ind-missed",
    measure.Status.OPEN: "ind-open",
    measure.Status.NO_DATA: "ind-nodata",
    measure.Status.NO_BASELINE: "ind-nodata",
}
SESSION_KEY = "indicator_import"
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _org(request) -> tuple[Org, list[Org]]:
    orgs = selectors.indicator_orgs(request.user)
    if not orgs:
        raise Http404
    wanted = request.GET.get("org") or request.POST.get("org")
    if wanted:
        org = next((o for o in orgs if str(o.pk) == wanted or o.code == wanted), None)
        if org is None:
            raise Http404
        return org, orgs
    home = scope_for(request.user).person_org_id
    return next((o for o in orgs if o.pk == home), orgs[0]), orgs


def _cells(row: selectors.Row) -> list[tuple]:
    return [(j, STATUS_CSS[j.status], measure.LABELS[j.status]) for j in row.months]


@login_required
def index(request):
    org, orgs = _org(request)
    year, at = _year(request), timezone.localdate()
    indicators = list(
        selectors.readable_indicators(request.user).filter(org__path__startswith=org.path)
    )
    rows = selectors.rows_for(indicators, year, at)
    rates = selectors.reporting(indicators, year, at)
    by_group: dict[int, list] = defaultdict(list)
    for row in rows:
        by_group[row.indicator.group_id].append(
            (row, _cells(row), STATUS_CSS[row.ytd.status], measure.LABELS[row.ytd.status])
        )
    departments = [(rates[g].group, rates[g], by_group[g]) for g in by_group]
    departments.sort(key=lambda d: d[0].name)
    manager = can_manage_org(request.user, org)
    enter_groups = set(
        selectors.enterable_indicators(request.user).values_list("group_id", flat=True)
    )
    report_month = last_month(year, at) or 0  # the monthly report: months that have ended
    report_groups = set()
    if report_month:
        report_groups = set(
            report.report_groups(request.user).filter(org=org).values_list("pk", flat=True)
        )
    return render(
        request,
        "indicators/index.html",
        {
            "org": org,
            "orgs": orgs,
            "year": year,
            "years": [year - 1, year, year + 1],
            "months": range(1, 13),
            "departments": departments,
            "manager": manager,
            "can_set_up": setup_groups(request.user).filter(org=org).exists(),
            "enter_groups": enter_groups,
            "report_groups": report_groups,
            "report_months": range(1, report_month + 1),
            "targets": selectors.pending_targets(request.user, org) if manager else [],
            "groups": selectors.department_choices(request.user, org) if manager else [],
            "legend": [(STATUS_CSS[s], measure.LABELS[s]) for s in list(measure.Status)[:4]],
            "due_day": selectors.due_day(),
        },
    )


@login_required
def detail(request, pk: int):
    indicator = get_object_or_404(selectors.readable_indicators(request.user), pk=pk)
    year, at = _year(request), timezone.localdate()
    row = selectors.rows_for([indicator], year, at)[0]
    target = indicator.target_of(year)
    chart = {
        "months": [f"{m}月" for m in range(1, 13)],
        "actual": [_num(j.actual) for j in row.months],
        "last_year": [_num(j.actual) for j in row.last_year],
        "targets": [_num(j.target) for j in row.months],
        "target": None if target.growth is not None else _num(target.target),
        "unit": indicator.display_unit,
        "year": year,
        "names": [f"{year}年", f"{year - 1}年", _("目标")],
    }
    grid = selectors.actuals_grid([indicator], year)
    table = [
        (j, last, STATUS_CSS[j.status], measure.LABELS[j.status], grid.get((indicator.pk, m)))
        for m, (j, last) in enumerate(zip(row.months, row.last_year, strict=True), start=1)
    ]
    periods = [(p, STATUS_CSS[p.status], measure.LABELS[p.status]) for p in row.periods]
    return render(
        request,
        "indicators/detail.html",
        {
            "indicator": indicator,
            "year": year,
            "row": row,
            "target_text": indicator.target_text(year),
            "year_targets": indicator.year_targets.all(),
            "year_target_form": YearTargetForm(
                initial={
                    "year": year,
                    "comparator": target.comparator,
                    "target": target.target,
                    "growth": target.growth,
                }
            ),
            "table": table,
            "periods": periods if indicator.period != "month" else [],
            "ytd_css": STATUS_CSS[row.ytd.status],
            "ytd_label": measure.LABELS[row.ytd.status],
            "chart": chart,
            "can_enter": selectors.can_enter(request.user, indicator),
            "can_set_up": setup_groups(request.user).filter(pk=indicator.group_id).exists(),
            "alerts": indicator.alerts.all()[:5],
        },
    )


def _num(value) -> float | None:
    return None if value is None else float(value)


@login_required
def entry(request):
    enterable = selectors.enterable_indicators(request.user).filter(active=True)
    group_ids = sorted(set(enterable.values_list("group_id", flat=True)))
    if not group_ids:
        raise Http404
    groups = list(Group.objects.filter(pk__in=group_ids).select_related("org").order_by("name"))
    wanted = request.GET.get("group") or request.POST.get("group")
    group = next((g for g in groups if str(g.pk) == wanted), groups[0]) if groups else None
    if wanted and str(group.pk) != wanted:
        raise Http404
    year = _year(request)
    indicators = list(enterable.filter(group=group).prefetch_related("year_targets"))
    errors: dict = {}
    posted: dict = {}
    if request.method == "POST":
        cells = defaultdict(dict)
        for key, text in request.POST.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] in ("value", "numerator", "denominator"):
                try:
                    cells[(int(parts[1]), int(parts[2]))][parts[0]] = text
                except ValueError:
                    continue
                posted[key] = text
        try:
            saved = services.save_grid(
                user=request.user, year=year, cells=dict(cells), indicators=indicators
            )
        except PermissionDenied:
            raise Http404 from None
        if not saved.errors:
            messages.success(
                request,
                _("已保存：新增 %(c)d 项，修改 %(u)d 项，清除 %(d)d 项。")
                % {"c": saved.created, "u": saved.updated, "d": saved.deleted},
            )
            return redirect(f"{reverse('indicators:entry')}?group={group.pk}&year={year}")
        errors = {f"{f}-{pk}-{m}": msg for (pk, m, f), msg in saved.errors.items()}
        messages.error(request, _("有 %d 处填写有误，未保存任何数据，请按提示修改。") % len(errors))
    grid = selectors.actuals_grid(indicators, year)
    today = timezone.localdate()
    rows = []
    for ind in indicators:
        fields = ("numerator", "denominator") if ind.is_rate else ("value",)
        months = []
        for m in range(1, 13):
            actual = grid.get((ind.pk, m))
            inputs = []
            for f in fields:
                name = f"{f}-{ind.pk}-{m}"
                stored = getattr(actual, f) if actual else None
                value = posted.get(name, measure.fmt(stored) if stored is not None else "")
                inputs.append((f, name, value, errors.get(name)))
            future = date(year, m, 1) > today
            months.append((m, inputs, future))
        rows.append((ind, ind.target_text(year), fields, months))
    return render(
        request,
        "indicators/entry.html",
        {"group": group, "groups": groups, "year": year, "rows": rows, "months": range(1, 13)},
    )


@login_required
def import_upload(request):
    org, orgs = _org(request)
    if not can_manage_org(request.user, org):
        raise Http404
    context = {"org": org, "orgs": orgs}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("请选择要导入的文件。")
        elif upload.size > MAX_IMPORT_BYTES:
            context["error"] = _("文件过大（上限 2 MB）。")
        else:
            data = upload.read()
            result = read_figures(upload.name, data, org=org)
            if not result.errors:
                request.session[SESSION_KEY] = {
                    "org": org.pk,
                    "name": upload.name,
                    "data": base64.b64encode(data).decode(),
                }
            context |= {"result": result, "name": upload.name}
    return render(request, "indicators/import.html", context)


@login_required
@require_POST
def import_confirm(request):
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.error(request, _("导入已过期，请重新上传文件。"))
        return redirect("indicators:import")
    org = get_object_or_404(Org, pk=stored["org"])
    if not can_manage_org(request.user, org):
        raise Http404
    data = base64.b64decode(stored["data"])
    result = import_figures(stored["name"], data, org=org, by=request.user)
    request.session.pop(SESSION_KEY, None)
    if result.errors:
        messages.error(request, _("文件有错误，未导入任何数据。"))
        return render(
            request,
            "indicators/import.html",
            {"org": org, "result": result, "name": stored["name"]},
        )
    messages.success(
        request,
        _("导入完成：新增 %(c)d 条，更新 %(u)d 条。") % {"c": result.created, "u": result.updated},
    )
    return redirect(f"{reverse('indicators:index')}?org={org.pk}")


@login_required
def compare(request):
    org, orgs = _org(request)
    year, at = _year(request), timezone.localdate()
    indicators = list(
        selectors.readable_indicators(request.user).filter(org__path__startswith=org.path)
    )
    rows = selectors.rows_for(indicators, year, at)
    by_name: dict[str, list] = defaultdict(list)
    for row in rows:
        by_name[row.indicator.name].append(row)
    blocks = []
    for name, group_rows in sorted(by_name.items()):
        chart = {
            "name": name,
            "departments": [
                f"{r.indicator.org.name}·{r.indicator.group.name}"
                if r.indicator.org_id != org.pk
                else r.indicator.group.name
                for r in group_rows
            ],  # fmt: skip
            "values": [_num(r.ytd.actual) for r in group_rows],
            "targets": [_num(r.ytd.target) for r in group_rows],
            "target_name": _("目标"),
            "unit": group_rows[0].indicator.display_unit,
        }
        table = [(r, STATUS_CSS[r.ytd.status], measure.LABELS[r.ytd.status]) for r in group_rows]
        blocks.append((name, table, chart, f"cmp-{len(blocks) + 1}"))
    return render(
        request,
        "indicators/compare.html",
        {
            "org": org,
            "orgs": orgs,
            "year": year,
            "blocks": blocks,
            "manager": can_manage_org(request.user, org),
            "enter_groups": {
                r.indicator.group_id for r in rows if selectors.can_enter(request.user, r.indicator)
            },
        },
    )


@login_required
@require_POST
def from_target(request, pk: int):
    org, _orgs = _org(request)
    if not can_manage_org(request.user, org):
        raise Http404
    suggestion = get_object_or_404(selectors.pending_targets(request.user, org), pk=pk)
    group = (
        selectors.department_choices(request.user, org)
        .filter(pk=query_id(request, "group"))
        .first()
    )
    if group is None:
        messages.error(request, _("请选择指标所属的科室。"))
    else:
        try:
            indicator = services.indicator_from_target(suggestion, group=group, by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("已创建指标“%(n)s”（%(t)s）。")
                % {"n": indicator.name, "t": indicator.target_text()},
            )
    return redirect(f"{reverse('indicators:index')}?org={org.pk}")


def _setup_form(request, indicator=None):
    return IndicatorForm(request.user, request.POST or None, instance=indicator)


def _save_setup(request, form: IndicatorForm, indicator=None):
    values = dict(form.cleaned_data)
    group = values.pop("group")
    try:
        if indicator is None:
            return services.create_indicator(group=group, by=request.user, **values)
        return services.update_indicator(
            indicator=indicator, by=request.user, group=group, **values
        )
    except ValidationError as exc:
        add_validation_error(form, exc)
    return None


@login_required
def indicator_new(request):
    if not setup_groups(request.user).exists():
        raise PermissionDenied
    form = _setup_form(request)
    if request.method == "POST" and form.is_valid() and (indicator := _save_setup(request, form)):
        messages.success(request, _("已创建指标“%(n)s”。") % {"n": indicator.name})
        return redirect("indicators:detail", pk=indicator.pk)
    return render(request, "indicators/setup.html", {"form": form, "indicator": None})


def _set_up_indicator(request, pk: int):
    indicator = get_object_or_404(selectors.readable_indicators(request.user), pk=pk)
    if not setup_groups(request.user).filter(pk=indicator.group_id).exists():
        raise PermissionDenied
    return indicator


@login_required
def indicator_edit(request, pk: int):
    indicator = _set_up_indicator(request, pk)
    form = _setup_form(request, indicator)
    if request.method == "POST" and form.is_valid() and _save_setup(request, form, indicator):
        messages.success(request, _("已保存指标“%(n)s”。") % {"n": indicator.name})
        return redirect("indicators:detail", pk=indicator.pk)
    return render(request, "indicators/setup.html", {"form": form, "indicator": indicator})


@login_required
@require_POST
def indicator_retire(request, pk: int):
    """停用 (or 重新启用): a retired indicator keeps its figures but is no longer asked for."""
    indicator = _set_up_indicator(request, pk)
    active = request.POST.get("active") == "1"
    services.update_indicator(indicator=indicator, by=request.user, active=active)
    done = _("已重新启用“%(n)s”。") if active else _("已停用“%(n)s”，历史数据保留。")
    messages.success(request, done % {"n": indicator.name})
    return redirect("indicators:detail", pk=indicator.pk)


@login_required
@require_POST
def year_target_set(request, pk: int):
    indicator = _set_up_indicator(request, pk)
    form = YearTargetForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_year_target(indicator=indicator, by=request.user, **data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("已设定%(y)d年目标：%(t)s。")
                % {"y": data["year"], "t": indicator.target_text(data["year"])},
            )
        return redirect(f"{reverse('indicators:detail', args=[pk])}?year={data['year']}")
    problems = [f"{form.fields[f].label}：{'；'.join(e)}" for f, e in form.errors.items()]
    messages.error(request, _("年度目标未保存：") + "；".join(problems))
    return redirect("indicators:detail", pk=pk)


@login_required
@require_POST
def year_target_remove(request, pk: int, year: int):
    if not 2000 <= year <= 2100:
        raise Http404
    indicator = _set_up_indicator(request, pk)
    if services.remove_year_target(indicator=indicator, by=request.user, year=year):
        messages.success(request, _("已删除%(y)d年目标，该年按默认目标考核。") % {"y": year})
    return redirect(f"{reverse('indicators:detail', args=[pk])}?year={year}")
