"""整改 pages: 我的整改 (the 责任人's own, closed with a note and an evidence file), the 整改台账
over every inspection the user may read, and the evidence download. Who may read what is
keshi.checks.selectors': a 整改 one may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from keshi.checks import selectors, services
from keshi.checks.forms import CloseForm
from keshi.checks.models import Rectification
from keshi.checks.views import page_of, tab_context
from keshi.documents.http import stored_file

STATUSES = [("open", _lazy("整改中")), ("overdue", _lazy("逾期")), ("closed", _lazy("已销号"))]


def close_with_form(request, rectification: Rectification) -> bool:
    """Validate the posted 销号 form (note + evidence file) and close; messages either way."""
    form = CloseForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            _("未销号：")
            + "；".join(
                f"{form.fields[f].label}：{e[0]}"
                for f, e in form.errors.items()
                if f in form.fields
            ),
        )
        return False
    name, data = form.cleaned_data["evidence"]
    try:
        services.close_rectification(
            rectification=rectification,
            closed_on=form.cleaned_data["closed_on"],
            note=form.cleaned_data["closure_note"],
            by=request.user,
            evidence_name=name,
            evidence=data,
        )
    except ValidationError as exc:
        messages.error(request, _("未销号：") + "；".join(exc.messages))
        return False
    messages.success(request, _("整改事项已销号。"))
    return True


def _listing(request, qs, *, mine: bool):
    today = timezone.localdate()
    status = request.GET.get("status", "")
    context = tab_context(request, "rectifications")
    context.update(
        page=page_of(request, selectors.rectification_filter(qs, status, today)),
        counts=selectors.rectification_counts(qs, today),
        status=status,
        statuses=STATUSES,
        mine=mine,
        today=today,
        close_form=CloseForm() if mine else None,
    )
    return render(request, "checks/rectifications.html", context)


@login_required
@require_GET
def my_rectifications(request):
    return _listing(request, selectors.my_rectifications(request.user), mine=True)


@login_required
@require_POST
def my_rectification_close(request, pk: int):
    rectification = selectors.my_rectification_for(request.user, pk)
    if rectification is None:
        raise Http404(_("没有这项整改，或它不是您的。"))
    close_with_form(request, rectification)
    return redirect("checks:my_rectifications")


@login_required
@require_GET
def rectification_list(request):
    qs = selectors.rectifications_for(request.user).order_by(
        "closed_on", "due", "inspection__title", "pk"
    )
    return _listing(request, qs, mine=False)


@login_required
@require_GET
def rectification_evidence(request, pk: int):
    rectification = selectors.evidence_for(request.user, pk)
    if rectification is None:
        raise Http404(_("没有这份佐证材料，或您无权查看。"))
    return stored_file(
        rectification.evidence,
        rectification.evidence_name or "evidence",
        rectification.evidence_type,
    )
