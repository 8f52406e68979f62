"""听课反馈 pages: what I received (list, detail, 已阅, 回复), the coverage page for leads and
the office (with its Excel export), and the htmx partial with an instrument's items.

Reads go through keshi.records.feedback_selectors: an observation outside the user's feedback
circle is a 404; 已阅 and 回复 by anyone but the observed teacher is a 403.
"""

from __future__ import annotations

import contextlib
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keshi.calendar.selectors import current_term
from keshi.checks.models import Rubric
from keshi.org.scoping import scope_for
from keshi.records import feedback_forms, feedback_services, selectors
from keshi.records import feedback_selectors as fs
from keshi.records.exports import coverage_xlsx
from keshi.records.models import Activity

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _feedback_or_404(user, pk: int) -> Activity:
    activity = fs.feedback_for(user, pk)
    if activity is None:
        raise Http404(_("没有这条听课反馈，或您无权查看。"))
    return activity


def _row(activity: Activity) -> dict:
    feedback = fs.feedback_of(activity)
    return {
        "activity": activity,
        "feedback": feedback,
        "items": fs.scored_items(feedback),
        "has_feedback": fs.has_feedback(activity),
    }


@login_required
@require_GET
def received(request):
    state = request.GET.get("state", "")
    state = state if state in ("new", "read") else ""
    q = request.GET.get("q", "")[:50]
    qs = fs.received(request.user, state=state, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [_row(a) for a in page.object_list],
        "state": state,
        "q": q,
        "new_count": fs.new_count(request.user),
        "is_person": scope_for(request.user).person_id is not None,
        "may_see_coverage": fs.may_see_coverage(request.user),
    }
    return render(request, "records/feedback_list.html", context)


@login_required
@require_GET
def detail(request, pk: int):
    activity = _feedback_or_404(request.user, pk)
    row = _row(activity)
    row["is_observed"] = scope_for(request.user).person_id == activity.observed_id
    row["is_observer"] = scope_for(request.user).person_id == activity.person_id
    return render(request, "records/feedback_detail.html", row)


@login_required
@require_POST
def acknowledge(request, pk: int):
    activity = _feedback_or_404(request.user, pk)
    feedback_services.acknowledge(activity=activity, by=request.user)
    messages.success(request, _("已标记为已阅。"))
    return redirect("records:feedback_detail", pk=pk)


@login_required
@require_POST
def reply(request, pk: int):
    activity = _feedback_or_404(request.user, pk)
    try:
        feedback_services.reply(activity=activity, by=request.user, text=request.POST.get("reply"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("回复已发送给听课教师。"))
    return redirect("records:feedback_detail", pk=pk)


# ---- coverage -----------------------------------------------------------------------------


def _period(request) -> tuple[date | None, date | None, object]:
    """The dates asked for, else the current term of the user's org."""
    start = end = None
    with contextlib.suppress(ValueError):
        start = date.fromisoformat(request.GET.get("start", ""))
    with contextlib.suppress(ValueError):
        end = date.fromisoformat(request.GET.get("end", ""))
    term = None
    if start is None and end is None and "start" not in request.GET:
        org = selectors.home_org_for(request.user)
        term = current_term(org) if org else None
        if term is not None:
            start, end = term.start, term.end
    return start, end, term


def _coverage(request):
    if not fs.may_see_coverage(request.user):
        raise PermissionDenied(_("听课反馈统计只对教研组长、教科室和学校领导开放。"))
    start, end, term = _period(request)
    q = request.GET.get("q", "")[:50]
    return fs.coverage(request.user, start=start, end=end, q=q), start, end, term, q


@login_required
@require_GET
def coverage(request):
    qs, start, end, term, q = _coverage(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    groups = fs.coverage_by_group(list(qs))
    context = {
        "page": page,
        "groups": groups,
        "any_observed": any(g.observed for g in groups),
        "start": start,
        "end": end,
        "term": term,
        "q": q,
    }
    return render(request, "records/feedback_coverage.html", context)


@login_required
@require_GET
def coverage_export(request):
    qs, start, end, _term, _q = _coverage(request)
    rows = list(qs)
    span = f"{start or ''}—{end or ''}" if start or end else _("全部日期")
    content = coverage_xlsx(_("听课反馈统计（%(span)s）") % {"span": span}, rows)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"听课反馈统计-{timezone.localdate():%Y%m%d}.xlsx"
    )
    return response


# ---- the instrument's items (htmx) --------------------------------------------------------


@login_required
@require_GET
def instrument(request):
    """The score inputs of the instrument picked on the observation form."""
    org = selectors.home_org_for(request.user)
    rubric = None
    with contextlib.suppress(ValueError, TypeError):
        pk = int(request.GET.get("rubric") or 0)
        rubric = fs.instrument_rubrics(org).filter(pk=pk).first() if pk else None
    items = feedback_forms.items_for(rubric) if isinstance(rubric, Rubric) else []
    return render(request, "records/_instrument.html", {"rubric": rubric, "items": items})
