"""听课任务 pages: 我的听课任务 (the observer's list) and one task with 去登记 and 核对.

Reads go through keshi.records.assignment_selectors: a task the user may not read is a 404;
核对 by anyone but its observer is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keshi.records import assignment_selectors as selectors
from keshi.records import assignment_services as services
from keshi.records.models import ObservationAssignment


def _visible_or_404(user, pk: int) -> ObservationAssignment:
    assignment = selectors.assignment_for(user, pk)
    if assignment is None:
        raise Http404(_("没有这项听课任务，或您无权查看。"))
    return assignment


def record_url(assignment: ObservationAssignment) -> str:
    """去登记: the observation form with the observed teacher (and a date in the window)."""
    today = timezone.localdate()
    on = min(max(today, assignment.start), assignment.due)
    query = {"kind": "observation", "observed": assignment.teacher_id, "date": on.isoformat()}
    return f"{reverse('records:create')}?{urlencode(query)}"


@login_required
@require_GET
def my_assignments(request):
    today = timezone.localdate()
    mine = selectors.my_assignments(request.user).order_by("done_at", "due", "pk")
    tally = selectors.tally(mine, today=today)
    rows = [(row, record_url(row.assignment)) for row in tally.rows]
    return render(
        request, "records/assignments.html", {"tally": tally, "rows": rows, "today": today}
    )


@login_required
@require_GET
def assignment_detail(request, pk: int):
    assignment = _visible_or_404(request.user, pk)
    mine = selectors.may_act(request.user, assignment)
    earlier = None
    if mine and not assignment.done:
        earlier = selectors.free_observation(assignment)
    context = {
        "a": assignment,
        "label": selectors.label(assignment),
        "state": assignment.state(timezone.localdate()),
        "state_label": selectors.STATE_LABELS[assignment.state(timezone.localdate())],
        "mine": mine,
        "earlier": earlier,
        "record_url": record_url(assignment),
    }
    return render(request, "records/assignment_detail.html", context)


@login_required
@require_POST
def assignment_done(request, pk: int):
    assignment = _visible_or_404(request.user, pk)
    try:
        services.mark_done(assignment=assignment, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已与听课记录核对，任务完成。"))
    return redirect("records:assignment", assignment.pk)
