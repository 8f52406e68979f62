"""不良事件 pages. A report the user may not read is a 404 (never a 403, which would confirm it
exists); writes go through keshi.safety.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.org.scoping import scope_for
from keshi.records.forms import add_errors
from keshi.safety import selectors, services
from keshi.safety.forms import HandleForm, ReportFilter, ReportForm

PAGE_SIZE = 20


def _report_or_404(user, pk: int):
    report = selectors.report_for(user, pk)
    if report is None:
        raise Http404(_("没有这份报告，或您无权查看。"))
    return report


@login_required
def index(request):
    rows = selectors.reports_for(request.user).select_related("department", "reporter")
    filters = ReportFilter(request.GET, queryset=rows)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    return render(
        request,
        "safety/index.html",
        {
            "page": page,
            "filters": filters,
            "may_report": selectors.reporter_of(request.user) is not None,
            "handles": bool(scope.manage_paths) or scope.is_admin,
        },
    )


@login_required
def new(request):
    reporter = selectors.reporter_of(request.user)
    if reporter is None:
        raise PermissionDenied(_("只有医院的职工本人可以上报不良事件。"))
    form = ReportForm(request.POST or None, reporter=reporter)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_incident(
                reporter=reporter, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已上报。本报告只有您、科主任和医务科可以查看。"))
            return redirect("safety:detail", report.pk)
    return render(request, "safety/form.html", {"form": form})


@login_required
def detail(request, pk: int):
    report = _report_or_404(request.user, pk)
    handles = selectors.handles(request.user, report)
    form = HandleForm(initial={"status": report.status, "handling": report.handling})
    return render(
        request,
        "safety/detail.html",
        {"report": report, "handles": handles, "form": form if handles else None},
    )


@login_required
@require_POST
def handle(request, pk: int):
    report = _report_or_404(request.user, pk)
    if not selectors.handles(request.user, report):
        raise PermissionDenied(_("只有医务科可以处理不良事件报告。"))
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            services.handle_report(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已保存处理意见。"))
            return redirect("safety:detail", report.pk)
    return render(request, "safety/detail.html", {"report": report, "handles": True, "form": form})
