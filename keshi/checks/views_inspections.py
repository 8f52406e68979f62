"""Inspection pages: create/edit, detail with roll-ups and 整改, the scoring grid, the plan-and-
run transitions and the .xlsx export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.calendar.selectors import current_term
from keshi.checks import selectors, services
from keshi.checks.exports import inspection_xlsx
from keshi.checks.forms import CloseForm, InspectionForm, RectificationForm, add_errors
from keshi.checks.models import Inspection, Rectification
from keshi.checks.views import managed_org, tab_context
from keshi.checks.views_rectifications import close_with_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _inspection_or_404(request, pk: int) -> Inspection:
    inspection = selectors.inspection_for(request.user, pk)
    if inspection is None:
        raise Http404(_("没有这次检查，或您无权查看。"))
    return inspection


def _managed_or_403(request, pk: int) -> Inspection:
    inspection = _inspection_or_404(request, pk)
    if not selectors.may_manage_inspection(request.user, inspection):
        raise PermissionDenied(_("只有教科室可以管理检查。"))
    return inspection


@login_required
def inspection_edit(request, pk: int | None = None):
    org = managed_org(request)
    inspection = _managed_or_403(request, pk) if pk else None
    if inspection is not None:
        org = inspection.org
        initial = {
            f: getattr(inspection, f)
            for f in (
                "title",
                "kind",
                "target",
                "rubric",
                "term",
                "start",
                "end",
                "classes",
                "subjects",
                "draw",
                "notes",
            )
        }
        initial |= {
            "people": inspection.people.all(),
            "groups": inspection.groups.all(),
            "inspectors": inspection.inspectors.all(),
        }
    else:
        today = timezone.localdate()
        initial = {
            "term": current_term(org),
            "start": today,
            "kind": request.GET.get("kind", "midterm"),
        }
        if draw_id := request.GET.get("draw"):
            initial["draw"] = draw_id
    form = InspectionForm(request.POST or None, user=request.user, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.save_inspection(
                org=org, by=request.user, inspection=inspection, **form.values()
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("检查已保存。"))
            return redirect("checks:inspection", inspection.pk)
    context = tab_context(request, "inspections")
    context.update(
        form=form,
        inspection=inspection,
        heading=_("修改检查") if inspection else _("新建检查"),
        intro=_(
            "计划 → 进行中 → 已完成：保存后可随时开始评分；开始时评分表会被固定，之后修改评分表不影响本次结果。"
        ),
        back_url=reverse("checks:index"),
    )
    return render(request, "checks/inspection_form.html", context)


@login_required
def inspection_detail(request, pk: int):
    inspection = _inspection_or_404(request, pk)
    results = list(selectors.results_for(request.user, inspection=inspection))
    manages = selectors.may_manage_inspection(request.user, inspection)
    context = tab_context(request, "inspections")
    context.update(
        inspection=inspection,
        criteria=inspection.criteria_list(),
        results=results,
        by_group=selectors.rollup_by_group(results),
        by_teacher=selectors.rollup_by_teacher(results),
        manages=manages,
        may_score=selectors.may_score(request.user, inspection),
        targets_count=len(selectors.scoring_targets(inspection)),
        rectifications=selectors.rectifications_for(request.user, inspection=inspection),
        rect_counts=selectors.rectification_counts(
            selectors.rectifications_for(request.user, inspection=inspection),
            timezone.localdate(),
        ),
        rect_form=RectificationForm(org=inspection.org) if manages else None,
        close_form=CloseForm() if manages else None,
        today=timezone.localdate(),
    )
    return render(request, "checks/inspection_detail.html", context)


@login_required
def inspection_score(request, pk: int):
    inspection = _inspection_or_404(request, pk)
    if not selectors.may_score(request.user, inspection):
        raise PermissionDenied(_("您不是这次检查的检查人，或检查已完成。"))
    criteria = inspection.criteria_list()
    targets = selectors.scoring_targets(inspection)
    existing = {(r.group_id or r.person_id): r for r in inspection.results.all()}
    errors: dict[str, str] = {}
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        rows = {
            t.pk: {
                "scores": {c.key: posted.get(f"s-{t.pk}-{c.key}", "").strip() for c in criteria},
                "findings": posted.get(f"f-{t.pk}", ""),
            }
            for t in targets
        }
        try:
            saved = services.record_scores(inspection=inspection, by=request.user, rows=rows)
        except ValidationError as exc:
            errors = (
                {k: "；".join(v) for k, v in exc.message_dict.items()}
                if hasattr(exc, "error_dict")
                else {"": "；".join(exc.messages)}
            )
        else:
            messages.success(request, _("已保存 %(n)s 条评分。") % {"n": len(saved)})
            return redirect("checks:inspection", inspection.pk)
    grid = []
    for t in targets:
        result = existing.get(t.pk)
        cells = []
        for c in criteria:
            if posted is not None:
                value = posted.get(f"s-{t.pk}-{c.key}", "")
            else:
                value = result.scores.get(c.key, "") if result else ""
            cells.append({"name": f"s-{t.pk}-{c.key}", "value": value, "max": c.max})
        findings = (
            posted.get(f"f-{t.pk}", "")
            if posted is not None
            else (result.findings if result else "")
        )
        grid.append(
            {
                "target": t,
                "cells": cells,
                "findings": findings,
                "result": result,
                "error": errors.get(str(t.pk), ""),
            }
        )
    context = tab_context(request, "inspections")
    context.update(
        inspection=inspection,
        criteria=criteria,
        grid=grid,
        errors=errors,
        levels=inspection.levels_list(),
    )
    return render(request, "checks/inspection_score.html", context)


@login_required
@require_POST
def inspection_transition(request, pk: int, action: str):
    inspection = _managed_or_403(request, pk)
    operations = {
        "start": services.start_inspection,
        "complete": services.complete_inspection,
        "reopen": services.reopen_inspection,
    }
    if action not in operations:
        raise Http404()
    try:
        operations[action](inspection=inspection)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("状态已更新：%(s)s。") % {"s": inspection.get_status_display()})
    return redirect("checks:inspection", inspection.pk)


@login_required
@require_POST
def rectification_add(request, pk: int):
    inspection = _managed_or_403(request, pk)
    form = RectificationForm(request.POST, org=inspection.org)
    if form.is_valid():
        result = None
        if result_id := request.POST.get("result"):
            result = inspection.results.filter(pk=result_id).first()
        try:
            services.add_rectification(inspection=inspection, result=result, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已添加整改事项。"))
    else:
        messages.error(
            request,
            _("整改事项未保存：")
            + "；".join(
                f"{form.fields[f].label}：{e[0]}"
                for f, e in form.errors.items()
                if f in form.fields
            ),
        )
    return redirect("checks:inspection", inspection.pk)


@login_required
@require_POST
def rectification_close(request, pk: int, item: int):
    inspection = _managed_or_403(request, pk)
    rectification = Rectification.objects.filter(inspection=inspection, pk=item).first()
    if rectification is None:
        raise Http404()
    close_with_form(request, rectification)
    return redirect("checks:inspection", inspection.pk)


@login_required
def inspection_export(request, pk: int):
    inspection = _inspection_or_404(request, pk)
    results = list(selectors.results_for(request.user, inspection=inspection))
    content = inspection_xlsx(inspection, results)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{inspection.title}-评分结果.xlsx"
    )
    return response
